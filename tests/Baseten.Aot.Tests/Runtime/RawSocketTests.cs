using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot.Tests;

/// <summary>
/// A server that breaks HTTP/1.1 at the byte level (<see cref="RawSocketServer"/>): bodies that drip
/// or stop, resets, bombs, bad framing, redirects elsewhere, and the key echoed back in the encodings
/// server frameworks use. Every call ends with a documented exception within a hard bound, so a hang
/// fails the test instead of stalling CI; where a timeout is the expected end, the attempt timeout is
/// a second of the system clock and the bound is thirty. Nothing asserts how long anything took.
/// </summary>
public sealed class RawSocketTests
{
    // A slash, a plus and an equals sign: what JSON, URL and form encoders escape.
    internal const string Key = "rAw/k3y+Secret=";

    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_drip = TimeSpan.FromMilliseconds(100);

    // One attempt; its timeout ends a stalled call well inside the bound, yet is far longer than loopback needs.
    private static readonly RetryPolicy s_once = new() { MaxAttempts = 1, AttemptTimeout = TimeSpan.FromSeconds(10) };
    private static readonly RetryPolicy s_shortTimeout = new() { MaxAttempts = 1, AttemptTimeout = TimeSpan.FromSeconds(1) };

    private const string TokenJson = """{"text":"ok","index":1}""";

    private static ApiTransport Transport(RawSocketServer server, RetryPolicy? policy = null, ApiAuthorization? authorization = null, HttpClient? httpClient = null)
        => ApiTransport.Create(httpClient, server.BaseAddress, authorization ?? ApiAuthorization.Bearer(Key), policy ?? s_once);

    private static ApiRequest Get() => new(HttpMethod.Get, "/v1/x", "/v1/x");

    private static ApiRequest Post() => new(HttpMethod.Post, "/v1/x", "/v1/x") { Content = ApiContent.Text("{}") };

    private static string Response(string statusLine, string body, params string[] headers)
        => statusLine + "\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "Content-Length: " + Encoding.UTF8.GetByteCount(body).ToString(CultureInfo.InvariantCulture) + "\r\n\r\n" + body;

    private static string Head(string statusLine, params string[] headers)
        => statusLine + "\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";

    private static async Task<Exception> FailsAsync(Task call)
    {
        Exception? exception = await Record.ExceptionAsync(() => call.WaitAsync(s_bound));
        Assert.NotNull(exception);
        Assert.False(exception is TimeoutException && !call.IsCompleted, "the call did not end within " + s_bound.TotalSeconds + " s");
        return exception;
    }

    private static async Task<T> FailsAsync<T>(Task call)
        where T : Exception
    {
        Exception exception = await FailsAsync(call);
        return Assert.IsAssignableFrom<T>(exception);
    }

    // ---- Slow drip: a deadline on the whole body, not on each read ----

    [Fact]
    public async Task JsonBody_DrippedOneByteAtATime_TimesOut()
    {
        await using var server = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync(Head("HTTP/1.1 200 OK", "Content-Type: application/json", "Content-Length: " + (TokenJson.Length * 10).ToString(CultureInfo.InvariantCulture)));
            await c.DripAsync(string.Concat(Enumerable.Repeat(TokenJson, 10)), s_drip);
        });
        using ApiTransport transport = Transport(server, s_shortTimeout);

        TimeoutException exception = await FailsAsync<TimeoutException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));

        Assert.Contains("body did not arrive", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkedBody_DrippedOneChunkAtATime_TimesOut()
    {
        await using var server = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync(Head("HTTP/1.1 200 OK", "Content-Type: application/json", "Transfer-Encoding: chunked"));
            for (int i = 0; i < 100 && !c.Stopping.IsCancellationRequested; i++)
            {
                await c.WriteAsync("1\r\n \r\n");
                await Task.Delay(s_drip, c.Stopping);
            }
        });
        using ApiTransport transport = Transport(server, s_shortTimeout);

        await FailsAsync<TimeoutException>(transport.SendTextAsync(Get(), CancellationToken.None));
    }

    [Fact]
    public async Task ErrorBody_Dripped_TimesOut()
    {
        await using var server = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync(Head("HTTP/1.1 500 Internal Server Error", "Content-Type: application/json", "Content-Length: 400"));
            await c.DripAsync("{\"error\":\"" + new string('x', 390) + "\"}", s_drip);
        });
        using ApiTransport transport = Transport(server, s_shortTimeout);

        TimeoutException exception = await FailsAsync<TimeoutException>(transport.SendNoContentAsync(Get(), CancellationToken.None));

        Assert.Contains("answered 500", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headers_Dripped_TimeOut()
    {
        await using var server = RawSocketServer.Start(c => c.DripAsync(Response("HTTP/1.1 200 OK", TokenJson, "Content-Type: application/json", "X-Padding: " + new string('p', 200)), s_drip));
        using ApiTransport transport = Transport(server, s_shortTimeout);

        TimeoutException exception = await FailsAsync<TimeoutException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));

        Assert.Contains("did not answer within 1 s", exception.Message, StringComparison.Ordinal);
    }

    // ---- Truncation: fewer bytes than declared ----

    [Fact]
    public async Task ContentLengthLargerThanSent_ThenClose_IsAnIOException()
    {
        await using var server = RawSocketServer.Start(Head("HTTP/1.1 200 OK", "Content-Type: application/json", "Content-Length: 1000") + "{\"text\":\"o");
        using ApiTransport transport = Transport(server);

        await FailsAsync<IOException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));
    }

    [Fact]
    public async Task ContentLengthLargerThanSent_ThenSilence_TimesOut()
    {
        await using var server = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync(Head("HTTP/1.1 200 OK", "Content-Type: application/json", "Content-Length: 1000") + "{\"text\":\"o");
            await c.SilenceAsync();
        });
        using ApiTransport transport = Transport(server, s_shortTimeout);

        await FailsAsync<TimeoutException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));
    }

    [Fact]
    public async Task ChunkedBody_WithoutItsLastChunk_ThenClose_IsAnIOException()
    {
        await using var server = RawSocketServer.Start(Head("HTTP/1.1 200 OK", "Content-Type: application/json", "Transfer-Encoding: chunked") + "5\r\n{\"tex\r\n");
        using ApiTransport transport = Transport(server);

        await FailsAsync<IOException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));
    }

    [Theory]
    [InlineData("close")]
    [InlineData("reset")]
    [InlineData("bad chunk")]
    public async Task ErrorBody_CutShort_IsStillTheApiException_WithWhatArrived(string how)
    {
        const string Body = "{\"error\":\"overloaded\"}";
        await using var server = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync(how == "bad chunk"
                ? Head("HTTP/1.1 503 Service Unavailable", "Content-Type: application/json", "Transfer-Encoding: chunked") + Body.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n" + Body + "\r\nzz\r\n"
                : Head("HTTP/1.1 503 Service Unavailable", "Content-Type: application/json", "Content-Length: 1000") + Body);
            if (how == "reset")
            {
                c.Reset();
            }
        });
        using ApiTransport transport = Transport(server);

        ApiException exception = await FailsAsync<ApiException>(transport.SendNoContentAsync(Get(), CancellationToken.None));

        Assert.Equal(503, (int)exception.StatusCode);

        // After a bad chunk there may be nothing to show: .NET reads on past the good chunk in the
        // same read, and the error it throws loses what that read had copied.
        if (how != "bad chunk")
        {
            Assert.Equal("overloaded", exception.ServerMessage);
        }
    }

    // ---- Resets ----

    [Fact]
    public async Task ResetBeforeAnyAnswer_IsAnHttpRequestException()
    {
        await using var server = RawSocketServer.Start(c =>
        {
            c.Reset();
            return Task.CompletedTask;
        });
        using ApiTransport transport = Transport(server);

        await FailsAsync<HttpRequestException>(transport.SendNoContentAsync(Post(), CancellationToken.None));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ResetMidHeaders_IsAnHttpRequestException()
    {
        await using var server = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: appli");
            c.Reset();
        });
        using ApiTransport transport = Transport(server);

        await FailsAsync<HttpRequestException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));
    }

    [Fact]
    public async Task ResetMidBody_IsAnIOException()
    {
        await using var server = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync(Head("HTTP/1.1 200 OK", "Content-Type: application/json", "Content-Length: 1000") + "{\"text\":\"o");
            c.Reset();
        });
        using ApiTransport transport = Transport(server);

        await FailsAsync<IOException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));
    }

    // ---- Bombs ----

    [Fact]
    public async Task HugeHeaders_AreRefused()
    {
        byte[] header = Encoding.ASCII.GetBytes("X-Bomb: " + new string('b', 1000) + "\r\n");
        await using var server = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync("HTTP/1.1 200 OK\r\n");
            await c.RepeatAsync(header, 64L * 1024 * 1024);
        });
        using ApiTransport transport = Transport(server);

        HttpRequestException exception = await FailsAsync<HttpRequestException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));

        Assert.Equal(HttpRequestError.ConfigurationLimitExceeded, exception.HttpRequestError);
    }

    [Fact]
    public async Task EndlessChunkedBody_IsRefusedAtTheLimit()
    {
        byte[] chunk = Encoding.ASCII.GetBytes("4000\r\n" + new string('x', 0x4000) + "\r\n");
        await using var server = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync(Head("HTTP/1.1 200 OK", "Content-Type: application/json", "Transfer-Encoding: chunked") + "9\r\n{\"text\":\"\r\n");
            await c.RepeatAsync(chunk, 1L << 40);
        });
        using ApiTransport transport = Transport(server);

        ApiException exception = await FailsAsync<ApiException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));

        Assert.Contains("larger than 32 MiB", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkSizeLineThatNeverEnds_IsRefused()
    {
        byte[] extension = Encoding.ASCII.GetBytes(new string('e', 4096));
        await using var server = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync(Head("HTTP/1.1 200 OK", "Content-Type: application/json", "Transfer-Encoding: chunked") + "1;");
            await c.RepeatAsync(extension, 1L << 40);
        });
        using ApiTransport transport = Transport(server);

        await FailsAsync<HttpRequestException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));
    }

    [Fact]
    public async Task DeclaredBodyOver32MiB_IsRefused()
    {
        const int Length = 33 * 1024 * 1024;
        byte[] body = Encoding.ASCII.GetBytes("{\"text\":\"" + new string('x', Length - 20) + "\",\"index\":1}");
        await using var server = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync(Head("HTTP/1.1 200 OK", "Content-Type: application/json", "Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture)));
            await c.WriteAsync(body);
        });
        using ApiTransport transport = Transport(server);

        ApiException exception = await FailsAsync<ApiException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));

        Assert.Contains("larger than 32 MiB", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventStreamLineThatNeverEnds_IsRefusedAtTheLineLimit()
    {
        byte[] chunk = Encoding.ASCII.GetBytes(new string('x', 16 * 1024));
        await using var server = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync(Head("HTTP/1.1 200 OK", "Content-Type: text/event-stream") + "data: ");
            await c.RepeatAsync(chunk, 1L << 40);
        });
        using ApiTransport transport = Transport(server);

        ApiException exception = await FailsAsync<ApiException>(ReadAllAsync(transport.SendEventsAsync(Get(), CancellationToken.None)));

        Assert.Contains("longer than 1 MiB", exception.Message, StringComparison.Ordinal);
    }

    // ---- Bad framing ----

    [Fact]
    public async Task InvalidChunkSize_IsAnIOException()
    {
        await using var server = RawSocketServer.Start(Head("HTTP/1.1 200 OK", "Content-Type: application/json", "Transfer-Encoding: chunked") + "zz\r\n" + TokenJson + "\r\n0\r\n\r\n");
        using ApiTransport transport = Transport(server);

        await FailsAsync<IOException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));
    }

    [Fact]
    public async Task ContentLengthAndTransferEncoding_TheChunkedFramingWins()
    {
        // RFC 9112 6.3: Transfer-Encoding overrides Content-Length; reading 5 bytes would leave the rest to be taken for the next response.
        string chunked = TokenJson.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n" + TokenJson + "\r\n0\r\n\r\n";
        await using var server = RawSocketServer.Start(Head("HTTP/1.1 200 OK", "Content-Type: application/json", "Content-Length: 5", "Transfer-Encoding: chunked") + chunked);
        using ApiTransport transport = Transport(server);

        Token token = await transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None).WaitAsync(s_bound);

        Assert.Equal(new Token("ok", 1), token);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"text\":\"ok\"}")]
    public async Task TwoDifferentContentLengths_AreRefused_NeverReadAsAValueFromPartOfTheBody(string prefix)
    {
        // .NET frames the body by the first Content-Length: here a prefix that is a valid Token by itself.
        string body = prefix + TokenJson;
        await using var server = RawSocketServer.Start(Head("HTTP/1.1 200 OK", "Content-Type: application/json", "Content-Length: " + prefix.Length.ToString(CultureInfo.InvariantCulture), "Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture)) + body);
        using ApiTransport transport = Transport(server);

        ApiException exception = await FailsAsync<ApiException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));

        Assert.Contains("two different Content-Lengths", exception.Message, StringComparison.Ordinal);
        Assert.Equal(200, (int)exception.StatusCode);
    }

    [Fact]
    public async Task TheSameContentLengthTwice_IsOneLength_AndTheBodyReads()
    {
        string length = TokenJson.Length.ToString(CultureInfo.InvariantCulture);
        await using var server = RawSocketServer.Start(Head("HTTP/1.1 200 OK", "Content-Type: application/json", "Content-Length: " + length, "Content-Length: " + length) + TokenJson);
        using ApiTransport transport = Transport(server);

        Token token = await transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None).WaitAsync(s_bound);

        Assert.Equal(new Token("ok", 1), token);
    }

    [Theory]
    [InlineData("HTTX/1.1 200 OK")]
    [InlineData("HTTP/1.1 2OO OK")]
    [InlineData("<html>hello</html>")]
    [InlineData("HTTP/1.1")]
    public async Task GarbageStatusLine_IsAnHttpRequestException(string statusLine)
    {
        await using var server = RawSocketServer.Start(statusLine + "\r\nContent-Length: 2\r\n\r\n{}");
        using ApiTransport transport = Transport(server);

        await FailsAsync<HttpRequestException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));
    }

    // ---- Redirects: never followed, and the key never reaches the place they point to ----

    [Theory]
    [InlineData(301, "POST")]
    [InlineData(302, "POST")]
    [InlineData(303, "POST")]
    [InlineData(307, "POST")]
    [InlineData(308, "POST")]
    [InlineData(302, "GET")]
    [InlineData(307, "GET")]
    public async Task RedirectToAnotherPort_IsNotFollowed(int status, string method)
    {
        await using var elsewhere = RawSocketServer.Start(Response("HTTP/1.1 200 OK", TokenJson, "Content-Type: application/json"));
        await using var server = RawSocketServer.Start(Response("HTTP/1.1 " + status.ToString(CultureInfo.InvariantCulture) + " Moved", string.Empty, "Location: " + elsewhere.BaseAddress + "v1/x"));
        using ApiTransport transport = Transport(server);
        ApiRequest request = method == "GET" ? Get() : Post();

        ApiException exception = await FailsAsync<ApiException>(transport.SendJsonAsync(request, TestJsonContext.Default.Token, CancellationToken.None));

        Assert.Equal(status, (int)exception.StatusCode);
        Assert.Equal(0, elsewhere.ConnectionCount);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://127.0.0.1:{port}/v1/x")]
    [InlineData("http://localhost:{port}/v1/x")]
    [InlineData("//127.0.0.1:{port}/v1/x")]
    public async Task RedirectToAnotherSchemeOrHost_IsNotFollowed(string location)
    {
        await using var elsewhere = RawSocketServer.Start(Response("HTTP/1.1 200 OK", TokenJson, "Content-Type: application/json"));
        await using var server = RawSocketServer.Start(Response("HTTP/1.1 307 Temporary Redirect", string.Empty, "Location: " + location.Replace("{port}", elsewhere.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        using ApiTransport transport = Transport(server);

        ApiException exception = await FailsAsync<ApiException>(transport.SendJsonAsync(Post(), TestJsonContext.Default.Token, CancellationToken.None));

        Assert.Equal(307, (int)exception.StatusCode);
        Assert.Equal(0, elsewhere.ConnectionCount);
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("query")]
    public async Task RedirectFollowedByACallersOwnHttpClient_NeverCarriesTheKeyToAnotherHost(string where)
    {
        await using var elsewhere = RawSocketServer.Start(Response("HTTP/1.1 200 OK", TokenJson, "Content-Type: application/json"));
        await using var server = RawSocketServer.Start(Response("HTTP/1.1 307 Temporary Redirect", string.Empty, "Location: http://localhost:" + elsewhere.Port.ToString(CultureInfo.InvariantCulture) + "/v1/x"));
        ApiAuthorization authorization = where switch
        {
            "bearer" => ApiAuthorization.Bearer(Key),
            "header" => ApiAuthorization.ApiKeyHeader("X-API-Key", Key),
            "cookie" => ApiAuthorization.ApiKeyCookie("session", Key),
            _ => ApiAuthorization.ApiKeyQuery("api_key", Key),
        };

        // HttpClient's defaults follow redirects: the caller chose them.
        using var httpClient = new HttpClient();
        using ApiTransport transport = Transport(server, authorization: authorization, httpClient: httpClient);
        await Record.ExceptionAsync(() => transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None).WaitAsync(s_bound));

        foreach (string received in elsewhere.Requests)
        {
            AssertNoKey(received);
        }
    }

    // .NET's redirect handler drops only Authorization: a key in a header of its own or a cookie
    // would go on to the new host. The README's advice for such documents is a handler that
    // follows no redirect; this holds it to that.
    [Theory]
    [InlineData("header")]
    [InlineData("cookie")]
    public async Task AKeyInItsOwnHeaderOrACookie_StaysPut_WithTheHandlerTheReadmeAdvises(string where)
    {
        await using var elsewhere = RawSocketServer.Start(Response("HTTP/1.1 200 OK", TokenJson, "Content-Type: application/json"));
        await using var server = RawSocketServer.Start(Response("HTTP/1.1 307 Temporary Redirect", string.Empty, "Location: http://localhost:" + elsewhere.Port.ToString(CultureInfo.InvariantCulture) + "/v1/x"));
        ApiAuthorization authorization = where == "header" ? ApiAuthorization.ApiKeyHeader("X-API-Key", Key) : ApiAuthorization.ApiKeyCookie("session", Key);

        using var httpClient = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using ApiTransport transport = Transport(server, authorization: authorization, httpClient: httpClient);
        ApiException exception = await FailsAsync<ApiException>(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));

        Assert.Equal(307, (int)exception.StatusCode);
        Assert.Equal(0, elsewhere.ConnectionCount);
    }

    // The key has gone by the time the answer is back (.NET sends it on before the transport sees
    // anything); what the transport can do is refuse that answer, loudly, instead of reading it as
    // the API's.
    [Theory]
    [InlineData("header", "GET")]
    [InlineData("cookie", "GET")]
    [InlineData("header", "POST")]
    public async Task AKeyInItsOwnHeaderOrACookie_RedirectedByACallersHttpClient_IsAnErrorThatSaysSo(string where, string method)
    {
        await using var elsewhere = RawSocketServer.Start(Response("HTTP/1.1 200 OK", TokenJson, "Content-Type: application/json"));
        await using var server = RawSocketServer.Start(Response("HTTP/1.1 307 Temporary Redirect", string.Empty, "Location: http://localhost:" + elsewhere.Port.ToString(CultureInfo.InvariantCulture) + "/v1/x"));
        ApiAuthorization authorization = where == "header" ? ApiAuthorization.ApiKeyHeader("X-API-Key", Key) : ApiAuthorization.ApiKeyCookie("session", Key);

        // HttpClient's defaults follow redirects.
        using var httpClient = new HttpClient();
        using ApiTransport transport = Transport(server, RetryPolicy.None, authorization, httpClient);
        ApiException exception = await FailsAsync<ApiException>(transport.SendJsonAsync(method == "GET" ? Get() : Post(), TestJsonContext.Default.Token, CancellationToken.None));

        Assert.Contains("redirected to another server (localhost:" + elsewhere.Port.ToString(CultureInfo.InvariantCulture) + ")", exception.Message, StringComparison.Ordinal);
        Assert.Contains(where == "header" ? "X-API-Key header" : "session cookie", exception.Message, StringComparison.Ordinal);
        Assert.Contains("AllowAutoRedirect = false", exception.Message, StringComparison.Ordinal);
        Assert.Equal(1, exception.Attempts);
        AssertNoKey(exception);
    }

    [Fact]
    public async Task ARedirectOnTheSameServer_ByACallersHttpClient_IsFollowedAsItChose()
    {
        int connections = 0;
        await using var server = RawSocketServer.Start(c => c.WriteAsync(Interlocked.Increment(ref connections) == 1
            ? Response("HTTP/1.1 307 Temporary Redirect", string.Empty, "Location: /v1/y", "Connection: close")
            : Response("HTTP/1.1 200 OK", TokenJson, "Content-Type: application/json", "Connection: close")));

        using var httpClient = new HttpClient();
        using ApiTransport transport = Transport(server, RetryPolicy.None, ApiAuthorization.ApiKeyHeader("X-API-Key", Key), httpClient);
        Token token = await transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None).WaitAsync(s_bound);

        Assert.Equal(new Token("ok", 1), token);
        Assert.Contains(server.Requests, r => r.StartsWith("GET /v1/y ", StringComparison.Ordinal));
    }

    // ---- The key echoed back ----

    public static TheoryData<string, string> Echoes => new()
    {
        // System.Text.Json's default encoder (ASP.NET Core): + and = as \u002B, \u003D; / as is.
        { "aspnet", JsonSerializer.Serialize(new { error = "invalid key " + Key }) },
        { "python", "{\"detail\": \"invalid key " + Key + "\"}" },
        { "php", "{\"error\":\"invalid key " + Key.Replace("/", "\\/", StringComparison.Ordinal) + "\"}" },
        { "fastapi", "{\"detail\":[{\"type\":\"value_error\",\"loc\":[\"header\",\"authorization\"],\"msg\":\"bad\",\"input\":\"Bearer " + Key + "\"}]}" },
        { "lowercase-escapes", "{\"error\":\"" + string.Concat(Key.Select(c => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture))) + "\"}" },
        { "percent", "{\"error\":\"/v1/x?api_key=" + Uri.EscapeDataString(Key) + "\"}" },
        { "lowercase-percent", "{\"error\":\"rAw%2fk3y%2bSecret%3d\"}" },
        { "text", "Unauthorized: " + Key },
        { "httpbin", JsonSerializer.Serialize(new { headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + Key } }) },
    };

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task KeyEchoedInTheErrorBody_NeverLeavesInTheException(string framework, string body)
    {
        Assert.NotNull(framework);
        await using var server = RawSocketServer.Start(Response("HTTP/1.1 401 Unauthorized", body, "Content-Type: application/json"));
        using ApiTransport transport = Transport(server);

        ApiException exception = await FailsAsync<ApiException>(transport.SendNoContentAsync(Get(), CancellationToken.None));

        AssertNoKey(exception);
    }

    [Theory]
    [InlineData("X-Request-Id")]
    [InlineData("X-BASETEN-REQUEST-ID")]
    public async Task KeyEchoedInTheRequestIdHeader_NeverLeavesInTheException(string header)
    {
        await using var server = RawSocketServer.Start(Response("HTTP/1.1 401 Unauthorized", "{}", header + ": " + Key));
        using ApiTransport transport = Transport(server);

        ApiException exception = await FailsAsync<ApiException>(transport.SendNoContentAsync(Get(), CancellationToken.None));

        AssertNoKey(exception);
    }

    [Theory]
    [InlineData("HTTP/1.1 401 Bad%20key%20rAw%2Fk3y%2BSecret%3D")]
    public async Task KeyEchoedInTheReasonPhrase_NeverLeavesInTheException(string statusLine)
    {
        await using var server = RawSocketServer.Start(Response(statusLine, "{}"));
        using ApiTransport transport = Transport(server);

        ApiException exception = await FailsAsync<ApiException>(transport.SendNoContentAsync(Get(), CancellationToken.None));

        AssertNoKey(exception);
    }

    [Fact]
    public async Task BasicCredentialsEchoed_NeverLeaveInTheException()
    {
        // An echo server (httpbin's /anything) sends the Authorization header back as it came: base64 of user:password.
        string encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + Key));
        await using var server = RawSocketServer.Start(Response("HTTP/1.1 401 Unauthorized", JsonSerializer.Serialize(new { error = "Basic " + encoded + " for user:" + Key })));
        using ApiTransport transport = Transport(server, authorization: ApiAuthorization.Basic("user", Key));

        ApiException exception = await FailsAsync<ApiException>(transport.SendNoContentAsync(Get(), CancellationToken.None));

        AssertNoKey(exception);
        Assert.DoesNotContain(encoded, Everything(exception), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Key + "\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: " + Key + "\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Header " + Key + "\r\n\r\n")]
    [InlineData("HTTP/1.1 " + Key + "\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n" + Key)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}" + Key + "\r\n0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n" + Key + "\r\n\r\n")]
    public async Task KeyInABrokenResponse_NeverLeavesInWhatIsThrown(string response)
    {
        await using var server = RawSocketServer.Start(response);
        using ApiTransport transport = Transport(server);

        Exception exception = await FailsAsync(transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));

        AssertNoKey(exception);
    }

    [Theory]
    [InlineData("text", "terminator")]
    [InlineData("text", "trailer")]
    [InlineData("stream", "terminator")]
    [InlineData("stream", "trailer")]
    [InlineData("response-stream", "terminator")]
    [InlineData("response-text", "terminator")]
    [InlineData("json-lines", "terminator")]
    [InlineData("events", "terminator")]
    [InlineData("events", "trailer")]
    public async Task KeyInAChunkLine_NeverLeavesInWhatAnyBodyReadThrows(string read, string where)
    {
        // .NET quotes a malformed chunk terminator or trailer line in its exception; every way of reading a body scrubs it.
        string body = where == "terminator"
            ? "2\r\n{}" + Key + "\r\n0\r\n\r\n"
            : "2\r\n{}\r\n0\r\n" + Key + "\r\n\r\n";
        await using var server = RawSocketServer.Start("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
        using ApiTransport transport = Transport(server);

        Exception exception = await FailsAsync(read switch
        {
            "text" => transport.SendTextAsync(Get(), CancellationToken.None),
            "stream" => DrainAsync(transport.SendStreamAsync(Get(), CancellationToken.None)),
            "response-stream" => ReadResponseAsync(transport, static (r, t) => DrainAsync(r.ReadStreamAsync(t))),
            "response-text" => ReadResponseAsync(transport, static (r, t) => r.ReadTextAsync(t)),
            "json-lines" => ReadAllAsync(transport.SendJsonLinesAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None)),
            _ => ReadAllAsync(transport.SendEventsAsync(Get(), CancellationToken.None)),
        });

        Assert.True(exception is IOException or HttpRequestException or ApiException, exception.GetType().Name);
        AssertNoKey(exception);
    }

    [Fact]
    public async Task KeyEchoedInTheRequestIdOfASuccess_IsRedactedWhereverTheIdIsShown()
    {
        await using var server = RawSocketServer.Start(async c =>
        {
            for (int i = 0; i < 2; i++)
            {
                await c.WriteAsync(Response("HTTP/1.1 200 OK", TokenJson, "Content-Type: application/json", "X-Request-Id: id-" + Key));
            }
        });
        using ApiTransport transport = Transport(server);
        var options = new ApiCallOptions();
        ApiRequest request = Get();
        request.Options = options;

        await transport.SendJsonAsync(request, TestJsonContext.Default.Token, CancellationToken.None).WaitAsync(s_bound);
        using ApiResponse response = await transport.SendAsync(Get(), CancellationToken.None).WaitAsync(s_bound);

        Assert.Equal("id-***", options.Response!.RequestId);
        Assert.Equal("id-***", response.RequestId);
    }

    private static async Task DrainAsync(Task<Stream> open)
    {
        await using Stream stream = await open;
        byte[] buffer = new byte[64];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }
    }

    private static async Task ReadResponseAsync(ApiTransport transport, Func<ApiResponse, CancellationToken, Task> read)
    {
        using ApiResponse response = await transport.SendAsync(Get(), CancellationToken.None);
        await read(response, CancellationToken.None);
    }

    internal static string Everything(Exception exception)
        => exception is ApiException api
            ? exception + "\n" + api.ResponseBody + "\n" + api.ServerMessage + "\n" + api.RequestId
            : exception.ToString();

    /// <summary>The key is nowhere in the text: not as it is, nor JSON-escaped (either case), nor percent-encoded (either case).</summary>
    internal static void AssertNoKey(Exception exception) => AssertNoKey(Everything(exception));

    internal static void AssertNoKey(string text)
    {
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Key.Replace("/", "\\/", StringComparison.Ordinal), text, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(Key), text, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<List<T>> ReadAllAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (T item in items)
        {
            list.Add(item);
        }

        return list;
    }
}

/// <summary>
/// The CLI, as a separate process, against the same broken servers: one line on standard error, the
/// documented exit code, never a stack trace, never the key.
/// </summary>
[Collection(ProcessEnvironment.Name)]
public sealed class RawSocketCliTests
{
    private static Task<CliResult> CreateEnvironmentAsync(RawSocketServer server)
        => CliProcessTests.RunAsync(RawSocketTests.Key, null, "chains", "create-environment", "abc", "--name", "staging", "--base-url", server.BaseAddress.ToString());

    private static void AssertOneSafeLine(CliResult result, int exitCode)
    {
        Assert.True(exitCode == result.ExitCode, "exit code " + result.ExitCode + ": " + result.Error);
        Assert.Equal(string.Empty, result.Output);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("baseten: error: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        RawSocketTests.AssertNoKey(result.Error);
    }

    [Theory]
    [InlineData("reset before an answer")]
    [InlineData("reset mid-headers")]
    [InlineData("reset mid-body")]
    [InlineData("closed mid-body")]
    [InlineData("bad chunk size")]
    [InlineData("huge headers")]
    [InlineData("garbage status line")]
    [InlineData("key in a chunk terminator")]
    public async Task BrokenConnectionOrFraming_IsOneLine_ExitCode3(string how)
    {
        const string Ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";
        await using var server = RawSocketServer.Start(async c =>
        {
            switch (how)
            {
                case "reset before an answer":
                    c.Reset();
                    break;
                case "reset mid-headers":
                    await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Ty");
                    c.Reset();
                    break;
                case "reset mid-body":
                    await c.WriteAsync(Ok + "Content-Length: 1000\r\n\r\n{\"name\":\"sta");
                    c.Reset();
                    break;
                case "closed mid-body":
                    await c.WriteAsync(Ok + "Content-Length: 1000\r\n\r\n{\"name\":\"sta");
                    break;
                case "bad chunk size":
                    await c.WriteAsync(Ok + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
                    break;
                case "huge headers":
                    await c.WriteAsync(Ok);
                    await c.RepeatAsync(System.Text.Encoding.ASCII.GetBytes("X-Bomb: " + new string('b', 1000) + "\r\n"), 8L * 1024 * 1024);
                    break;
                case "garbage status line":
                    await c.WriteAsync("HTTP/1.1 " + RawSocketTests.Key + "\r\n\r\n");
                    break;
                default:
                    await c.WriteAsync(Ok + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}" + RawSocketTests.Key + "\r\n0\r\n\r\n");
                    break;
            }
        });

        AssertOneSafeLine(await CreateEnvironmentAsync(server), 3);
    }

    [Fact]
    public async Task ErrorBodyCutShort_IsTheApiError_ExitCode1()
    {
        await using var server = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync("HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"error\":\"no environments for you\"}");
            c.Reset();
        });

        CliResult result = await CreateEnvironmentAsync(server);

        AssertOneSafeLine(result, 1);
        Assert.Contains("403 (Forbidden): no environments for you", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyEchoedInTheRequestId_IsNotPrinted()
    {
        await using var server = RawSocketServer.Start("HTTP/1.1 401 Unauthorized\r\nX-BASETEN-REQUEST-ID: " + RawSocketTests.Key + "\r\nContent-Length: 2\r\n\r\n{}");

        CliResult result = await CreateEnvironmentAsync(server);

        AssertOneSafeLine(result, 1);
        Assert.StartsWith("baseten: error: [request ***]", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyOver32MiB_IsRefused_ExitCode1()
    {
        await using var server = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"name\":\"");
            await c.RepeatAsync(System.Text.Encoding.ASCII.GetBytes(new string('x', 64 * 1024)), 33L * 1024 * 1024);
        });

        CliResult result = await CreateEnvironmentAsync(server);

        AssertOneSafeLine(result, 1);
        Assert.Contains("larger than 32 MiB", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task RedirectToAnotherPort_IsAnApiError_AndNothingReachesIt(int status)
    {
        await using var elsewhere = RawSocketServer.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        await using var server = RawSocketServer.Start("HTTP/1.1 " + status.ToString(System.Globalization.CultureInfo.InvariantCulture) + " Moved\r\nLocation: http://localhost:" + elsewhere.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/v1/chains/abc/environments\r\nContent-Length: 0\r\n\r\n");

        CliResult result = await CreateEnvironmentAsync(server);

        AssertOneSafeLine(result, 1);
        Assert.Equal(0, elsewhere.ConnectionCount);
    }
}
