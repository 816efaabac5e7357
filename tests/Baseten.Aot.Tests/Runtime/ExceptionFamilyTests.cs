using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot.Tests;

/// <summary>
/// One exception family: <see cref="ApiException"/> from any transport and any generated client,
/// <see cref="BasetenApiException"/> (which derives from it) from Baseten's own clients, and the
/// attempts a call took on both.
/// </summary>
public sealed class ExceptionFamilyTests
{
    private static readonly Uri s_base = new("https://api.example.test");

    // Retries without waiting: no delay, no jitter, no budget shared with other tests.
    private static RetryPolicy Retries(int attempts) => new() { MaxAttempts = attempts, BaseDelay = TimeSpan.Zero, Jitter = static () => 0, Budget = null, RetryUnsafeMethods = true };

    private static HttpClient Answering(params (HttpStatusCode Status, string Body)[] answers) => new(new Scripted(answers));

    [Fact]
    public async Task ATransportAnyoneCreates_ThrowsTheBaseType_NotABasetenNamedOne()
    {
        using ApiTransport transport = ApiTransport.Create(Answering((HttpStatusCode.NotFound, """{"error":"no such pet"}""")), s_base, ApiAuthorization.Bearer("k"), RetryPolicy.None);

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => transport.SendNoContentAsync(new ApiRequest(HttpMethod.Get, "/pets/{id}", "/pets/7"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, exception.StatusCode);
        Assert.Equal("/pets/{id}", exception.PathTemplate);
        Assert.Equal("no such pet", exception.ServerMessage);
        Assert.Equal(1, exception.Attempts);
    }

    [Fact]
    public async Task AClientGeneratedForAnotherDocument_ThrowsTheBaseType()
    {
        using var client = new Shapes.ShapesClient(ApiTransport.Create(Answering((HttpStatusCode.Conflict, "{}")), s_base, null, RetryPolicy.None));

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => client.GetTicketAsync(7, "eu-west"));

        Assert.Equal(HttpStatusCode.Conflict, exception.StatusCode);
    }

    [Fact]
    public async Task BasetenClient_ThrowsBasetenApiException_EvenOverATransportItWasGiven()
    {
        using var owned = new BasetenClient(Answering((HttpStatusCode.Forbidden, "{}")), new BasetenClientOptions { ApiKey = "k" });
        using var given = new BasetenClient(ApiTransport.Create(Answering((HttpStatusCode.Forbidden, "{}")), s_base, ApiAuthorization.Bearer("k"), RetryPolicy.None));

        ApiException fromOwned = await Assert.ThrowsAsync<BasetenApiException>(() => owned.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "staging" }));
        ApiException fromGiven = await Assert.ThrowsAsync<BasetenApiException>(() => given.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "staging" }));

        Assert.Equal(HttpStatusCode.Forbidden, fromOwned.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, fromGiven.StatusCode);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Attempts_CountsEverySend_ThatAnErrorAnswerEnded(int maxAttempts)
    {
        var answers = new List<(HttpStatusCode, string)>();
        for (int i = 0; i < maxAttempts; i++)
        {
            answers.Add((HttpStatusCode.ServiceUnavailable, "{}"));
        }

        var handler = new Scripted(answers.ToArray());
        using ApiTransport transport = ApiTransport.Create(new HttpClient(handler), s_base, null, Retries(maxAttempts));

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => transport.SendNoContentAsync(new ApiRequest(HttpMethod.Get, "/x", "/x"), CancellationToken.None));

        Assert.Equal(maxAttempts, handler.Sent);
        Assert.Equal(maxAttempts, exception.Attempts);
    }

    [Fact]
    public async Task ABodyThatIsNotTheDocumentedJson_CarriesTheAttemptsToo()
    {
        using ApiTransport transport = ApiTransport.Create(
            Answering((HttpStatusCode.BadGateway, "{}"), (HttpStatusCode.OK, "not json")), s_base, null, Retries(3));

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => transport.SendJsonAsync(new ApiRequest(HttpMethod.Get, "/t", "/t"), TestJsonContext.Default.Token, CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, exception.StatusCode);
        Assert.Contains("not a valid Token", exception.Message, StringComparison.Ordinal);
        Assert.Equal(2, exception.Attempts);
    }

    [Fact]
    public void ThePublicConstructors_MakeAnExceptionOfNoCall()
    {
        var exception = new BasetenApiException("boom", new InvalidOperationException());

        Assert.IsAssignableFrom<ApiException>(exception);
        Assert.Equal(0, exception.Attempts);
        Assert.Equal(default, exception.StatusCode);
        Assert.Null(exception.ResponseBody);
        Assert.IsType<InvalidOperationException>(exception.InnerException);
    }

    // Answers in order, then the last answer again.
    private sealed class Scripted((HttpStatusCode Status, string Body)[] answers) : HttpMessageHandler
    {
        public int Sent { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            (HttpStatusCode status, string body) = answers[Math.Min(Sent, answers.Length - 1)];
            Sent++;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
