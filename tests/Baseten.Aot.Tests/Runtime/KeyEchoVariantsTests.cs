using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Tests;

// The key as a server may echo it other than verbatim: upper-cased, lower-cased, URL-encoded (so
// upper-cased), or cut in two by the ResponseBody limit. None of it stays readable in the exception.
public sealed class KeyEchoVariantsTests : IAsyncLifetime
{
    // Letters in both cases, and the characters URL encoders escape.
    private const string Key = "k3yAbC/with+plus=";

    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<ApiException> FailAsync(string body)
    {
        _server.Respond = async context =>
        {
            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
        };
        using ApiTransport transport = ApiTransport.Create(null, _server.BaseAddress, ApiAuthorization.Bearer(Key), RetryPolicy.None);
        return await Assert.ThrowsAsync<ApiException>(() => transport.SendNoContentAsync(new ApiRequest(HttpMethod.Get, "/x", "/x"), CancellationToken.None));
    }

    [Theory]
    [InlineData("upper")]
    [InlineData("lower")]
    [InlineData("url-encoded, upper")]
    [InlineData("url-encoded, lower")]
    public async Task KeyEchoedInAnotherCase_IsRedacted(string how)
    {
        string echoed = how switch
        {
            "upper" => Key.ToUpperInvariant(),
            "lower" => Key.ToLowerInvariant(),
            "url-encoded, upper" => Uri.EscapeDataString(Key).ToUpperInvariant(),
            _ => Uri.EscapeDataString(Key).ToLowerInvariant(),
        };

        ApiException exception = await FailAsync("{\"error\":\"invalid key " + echoed + "\"}");

        string everything = exception + "\n" + exception.ResponseBody + "\n" + exception.ServerMessage;
        Assert.DoesNotContain(Key, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Uri.EscapeDataString(Key), everything, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("***", exception.ResponseBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(16)] // all but the last of its 17 characters
    public async Task KeyCutInTwoByTheBodyLimit_LeavesNoPrefix(int kept)
    {
        // The body's first MaxResponseBodyBytes bytes end with the key's first `kept` characters.
        string before = "{\"error\":\"" + new string('x', ApiException.MaxResponseBodyBytes - kept - 10);
        ApiException exception = await FailAsync(before + Key.ToUpperInvariant() + " is not a key\"}");

        string body = exception.ResponseBody!;
        Assert.StartsWith(before, body, StringComparison.Ordinal);
        Assert.EndsWith("***", body, StringComparison.Ordinal);
        for (int length = 1; length < Key.Length; length++)
        {
            Assert.False(body.EndsWith(Key[..length], StringComparison.OrdinalIgnoreCase), "the body ends with the key's first " + length + " characters");
        }
    }

    [Theory]
    [InlineData("url-encoded", 8)]    // k3yAbC%2: cut inside an escape
    [InlineData("url-encoded", 12)]   // k3yAbC%2Fwit
    [InlineData("php-escaped", 9)]    // k3yAbC\/w: a slash escaped, as PHP writes it
    [InlineData("stj-escaped", 14)]   // k3yAbC/with\u0: a plus escaped, as System.Text.Json writes it
    public async Task EscapedKeyCutInTwoByTheBodyLimit_LeavesNoPrefix(string how, int kept)
    {
        string echoed = how switch
        {
            "url-encoded" => Uri.EscapeDataString(Key),
            "php-escaped" => Key.Replace("/", "\\/", StringComparison.Ordinal),
            _ => System.Text.Json.JsonEncodedText.Encode(Key).Value,
        };
        Assert.NotEqual(Key[..kept], echoed[..kept]);
        string before = "{\"error\":\"" + new string('x', ApiException.MaxResponseBodyBytes - kept - 10);
        ApiException exception = await FailAsync(before + echoed + " is not a key\"}");

        string body = exception.ResponseBody!;
        Assert.StartsWith(before, body, StringComparison.Ordinal);
        Assert.Equal(before + "***", body);
        Assert.DoesNotContain(echoed[..kept], exception.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
