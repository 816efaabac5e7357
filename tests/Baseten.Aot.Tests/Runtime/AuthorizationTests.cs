using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot.Tests;

/// <summary>Each place a security scheme can put its credential, on the wire, and never in what is printed.</summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<RecordedRequest> SendAsync(ApiAuthorization authorization, Action<ApiRequest>? configure = null)
    {
        _server.Respond = context =>
        {
            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        };
        using ApiTransport transport = ApiTransport.Create(null, _server.BaseAddress, authorization, RetryPolicy.None);
        var request = new ApiRequest(HttpMethod.Get, "/things", "/things?page=2");
        configure?.Invoke(request);
        await transport.SendNoContentAsync(request, CancellationToken.None);
        return _server.Requests[^1];
    }

    [Fact]
    public async Task Bearer_AndAScheme_GoInAuthorization()
    {
        Assert.Equal("Bearer t0k", (await SendAsync(ApiAuthorization.Bearer("t0k"))).Headers["Authorization"]);
        Assert.Equal("Api-Key k3y", (await SendAsync(new ApiAuthorization("Api-Key", "k3y"))).Headers["Authorization"]);
    }

    [Fact]
    public async Task Basic_IsBase64OfUserColonPassword_AndBothSecretsAreRedacted()
    {
        ApiAuthorization basic = ApiAuthorization.Basic("ana", "s3cret");

        RecordedRequest request = await SendAsync(basic);

        string encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("ana:s3cret"));
        Assert.Equal("Basic " + encoded, request.Headers["Authorization"]);
        Assert.Equal("x *** y ***", basic.Redact("x " + encoded + " y s3cret"));
        Assert.DoesNotContain("s3cret", basic.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ApiAuthorization.Basic("a:b", "c"));
    }

    [Fact]
    public void Redact_FindsTheSecretAsTheHexBytesDotNetQuotes()
    {
        // SocketsHttpHandler prints a chunk-size line it cannot parse as BitConverter hex.
        ApiAuthorization bearer = ApiAuthorization.Bearer("k3y+");

        Assert.Equal("could not be parsed: '***'", bearer.Redact("could not be parsed: '6B-33-79-2B'"));
        Assert.Equal("'***'", bearer.Redact("'6b-33-79-2b'"));
        Assert.Equal("'6B-33-79'", bearer.Redact("'6B-33-79'"));
    }

    [Fact]
    public async Task ApiKeyHeader_IsAHeaderOfItsOwn()
    {
        RecordedRequest request = await SendAsync(ApiAuthorization.ApiKeyHeader("X-API-Key", "k3y"));

        Assert.Equal("k3y", request.Headers["X-API-Key"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task ApiKeyQuery_IsAppendedToTheQuery_ButNotToThePathErrorsShow()
    {
        RecordedRequest request = await SendAsync(ApiAuthorization.ApiKeyQuery("api_key", "k/3y"));

        Assert.Equal("/things?page=2&api_key=k%2F3y", request.RawTarget);

        _server.RespondJson(400, """{"error":"bad key k/3y"}""");
        using ApiTransport transport = ApiTransport.Create(null, _server.BaseAddress, ApiAuthorization.ApiKeyQuery("api_key", "k/3y"), RetryPolicy.None);
        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => transport.SendNoContentAsync(new ApiRequest(HttpMethod.Get, "/things", "/things"), CancellationToken.None));
        Assert.Equal("/things", exception.Path);
        Assert.DoesNotContain("k/3y", exception.Message + exception.ResponseBody + exception.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeyCookie_JoinsTheCookieParameters()
    {
        RecordedRequest request = await SendAsync(ApiAuthorization.ApiKeyCookie("session", "k3y"), r => r.AddCookie("theme", "dark"));

        Assert.Equal("session=k3y; theme=dark", request.Headers["Cookie"]);
    }

    [Theory]
    [InlineData("k\u00e9y")]
    [InlineData("k y")]
    [InlineData("k\u201cy")]
    [InlineData("")]
    public void ACredentialAHeaderCannotCarry_IsRefusedAtConstruction(string key)
    {
        Assert.Throws<ArgumentException>(() => ApiAuthorization.Bearer(key));
        Assert.Throws<ArgumentException>(() => ApiAuthorization.ApiKeyHeader("X-Key", key));
    }

    [Fact]
    public void ACredential_ForADocumentWithNoSecurityScheme_IsRefused_NotDropped()
    {
        var options = new ApiClientOptions { Credential = "sk-sent-nowhere", BaseAddress = new Uri("https://api.example.com") };

        ArgumentException exception = Assert.Throws<ArgumentException>(() => ApiTransport.Create(options, null, null, authorize: null, credentialVariable: null));

        Assert.Contains("declares no security scheme", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-sent-nowhere", exception.Message, StringComparison.Ordinal);
        using ApiTransport withoutOne = ApiTransport.Create(new ApiClientOptions { BaseAddress = options.BaseAddress }, null, null, authorize: null, credentialVariable: null);
    }

    [Theory]
    [InlineData("https://user:secret@api.example.com")]
    [InlineData("https://token@api.example.com")]
    public void BaseAddress_WithUserInfo_IsRefused_WithoutRepeatingIt(string address)
    {
        ArgumentException exception = Assert.Throws<ArgumentException>(() => ApiTransport.ValidateBaseAddress(new Uri(address), "baseAddress"));

        Assert.DoesNotContain("secret", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token@", exception.Message, StringComparison.Ordinal);
    }
}
