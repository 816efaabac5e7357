using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Tests;

/// <summary>The request/response seam generated code calls: parameters, bodies and the non-streaming reads, over a real loopback server.</summary>
public sealed class ApiRequestTests : IAsyncLifetime
{
    private const string Key = "seam-key-0987654321";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ApiTransport Transport(RetryPolicy? retry = null, HttpClient? client = null)
        => new(client ?? new HttpClient(), _server.BaseAddress, new ApiAuthorization("Api-Key", Key), disposeHttpClient: true, retry ?? RetryPolicy.None);

    private static ApiRequest Get() => new(HttpMethod.Get, "/v1/things/{thing_id}", "/v1/things/abc");

    private void RespondNoContent() => _server.Respond = context =>
    {
        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    };

    [Fact]
    public async Task HeaderAndCookieParameters_ArriveAsSent()
    {
        RespondNoContent();
        using ApiTransport transport = Transport();
        ApiRequest request = Get();
        request.SetHeader("X-Trace-Id", "abc 123\tend");
        request.AddCookie("session", "a b;c=d\r\ne");
        request.AddCookie("theme", "dark");
        request.Accept = "text/plain";

        await transport.SendNoContentAsync(request, CancellationToken.None);

        RecordedRequest recorded = Assert.Single(_server.Requests);
        Assert.Equal("/v1/things/abc", recorded.RawTarget);
        Assert.Equal("abc 123\tend", recorded.Headers["X-Trace-Id"]);
        Assert.Equal("session=a%20b%3Bc%3Dd%0D%0Ae; theme=dark", recorded.Headers["Cookie"]);
        Assert.Equal("text/plain", recorded.Headers["Accept"]);
        Assert.Equal("Api-Key " + Key, recorded.Headers["Authorization"]);
    }

    [Fact]
    public async Task SetHeaderTwice_SendsTheLastValueOnce()
    {
        RespondNoContent();
        using ApiTransport transport = Transport();
        ApiRequest request = Get();
        request.SetHeader("X-Mode", "first");
        request.SetHeader("x-mode", "second");

        await transport.SendNoContentAsync(request, CancellationToken.None);

        Assert.Equal("second", _server.Requests.Single().Headers["X-Mode"]);
    }

    [Theory]
    [InlineData("a\r\nX-Injected: 1")]
    [InlineData("a\nX-Injected: 1")]
    [InlineData("a\rb")]
    [InlineData("a\0b")]
    [InlineData("caf\u00e9")]
    public async Task HeaderValueWithALineBreakOrNonAscii_IsRefused_AndNothingOfItIsSent(string value)
    {
        RespondNoContent();
        using ApiTransport transport = Transport();
        ApiRequest request = Get();

        ArgumentException exception = Assert.Throws<ArgumentException>(() => request.SetHeader("X-Test", value));
        Assert.Equal("value", exception.ParamName);
        Assert.Throws<ArgumentException>(() => request.Accept = value);

        await transport.SendNoContentAsync(request, CancellationToken.None);
        RecordedRequest recorded = Assert.Single(_server.Requests);
        Assert.False(recorded.Headers.ContainsKey("X-Test"));
        Assert.False(recorded.Headers.ContainsKey("X-Injected"));
        Assert.Equal("application/json", recorded.Headers["Accept"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("X Trace")]
    [InlineData("X-Trace:")]
    [InlineData("X-Trac\u00e9")]
    [InlineData("X\r\nY")]
    public void HeaderOrCookieNameThatIsNotAToken_IsRefused(string name)
    {
        ApiRequest request = Get();
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => request.SetHeader(name, "v")).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => request.AddCookie(name, "v")).ParamName);
        Assert.Null(request.Cookie);
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("host")]
    [InlineData("Content-Length")]
    [InlineData("Content-Type")]
    [InlineData("Cookie")]
    public void HeadersTheTransportSets_CannotBeSetAsParameters(string name)
        => Assert.Throws<ArgumentException>(() => Get().SetHeader(name, "x"));

    [Fact]
    public async Task NoContent_Returns_On204_AndIgnoresA200Body()
    {
        RespondNoContent();
        using ApiTransport transport = Transport();
        await transport.SendNoContentAsync(Get(), CancellationToken.None);

        _server.RespondJson(200, """{"ignored": true}""");
        await transport.SendNoContentAsync(Get(), CancellationToken.None);

        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task NoContent_DoesNotWaitForABodyOfUnknownLength()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Respond = async context =>
        {
            await context.Response.WriteAsync("{\"partial\":");
            await context.Response.Body.FlushAsync();
            await Task.WhenAny(release.Task, Task.Delay(Timeout.Infinite, context.RequestAborted)).WaitAsync(s_bound);
        };
        using ApiTransport transport = Transport();

        try
        {
            await transport.SendNoContentAsync(Get(), CancellationToken.None).WaitAsync(s_bound);
            Assert.False(release.Task.IsCompleted);
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Theory]
    [InlineData("text/plain; charset=utf-8", new byte[] { 0x68, 0xC3, 0xA9, 0x0A, 0x77 }, "h\u00e9\nw")]
    [InlineData("text/plain; charset=iso-8859-1", new byte[] { 0x68, 0xE9 }, "h\u00e9")]
    [InlineData("text/plain", new byte[] { 0x68, 0xC3, 0xA9 }, "h\u00e9")]
    [InlineData("text/plain; charset=no-such-charset", new byte[] { 0x68, 0xC3, 0xA9 }, "h\u00e9")]
    public async Task Text_IsDecodedInTheCharsetTheServerNames(string contentType, byte[] body, string expected)
    {
        _server.Respond = async context =>
        {
            context.Response.ContentType = contentType;
            await context.Response.Body.WriteAsync(body);
        };
        using ApiTransport transport = Transport();

        Assert.Equal(expected, await transport.SendTextAsync(Get(), CancellationToken.None));
    }

    [Fact]
    public async Task ApiResponse_ExposesStatusHeadersAndRequestId()
    {
        _server.Respond = async context =>
        {
            context.Response.StatusCode = 201;
            context.Response.Headers["X-BASETEN-REQUEST-ID"] = "req-1";
            context.Response.Headers["X-Request-Id"] = "other";
            context.Response.Headers["X-Custom"] = "yes";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"text": "a", "index": 3}""");
        };
        using ApiTransport transport = Transport();

        using ApiResponse response = await transport.SendAsync(Get(), CancellationToken.None);

        Assert.Equal(201, response.Status);
        Assert.Equal("req-1", response.RequestId);
        Assert.Equal("yes", Assert.Single(response.Headers.GetValues("X-Custom")));
        Assert.Equal("application/json", response.ContentHeaders.ContentType!.MediaType);
        Assert.Equal(new Token("a", 3), await response.ReadJsonAsync(TestJsonContext.Default.Token, CancellationToken.None));
    }

    [Fact]
    public async Task RequestId_FallsBackToXRequestId_AndIsOnTheException()
    {
        _server.Respond = async context =>
        {
            context.Response.StatusCode = 409;
            context.Response.Headers["X-Request-Id"] = "req-2";
            await context.Response.WriteAsync("""{"error": "conflict"}""");
        };
        using ApiTransport transport = Transport();

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => transport.SendAsync(Get(), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Conflict, exception.StatusCode);
        Assert.Equal("req-2", exception.RequestId);
        Assert.Equal("/v1/things/{thing_id}", exception.PathTemplate);
        Assert.Equal("/v1/things/abc", exception.Path);
    }

    public static TheoryData<string> ReadShapes => ["response", "json", "no-content", "text", "stream", "events", "typed-events", "json-lines"];

    [Theory]
    [MemberData(nameof(ReadShapes))]
    public async Task EveryReadShape_ThrowsBasetenApiException_OnANonSuccessStatus(string shape)
    {
        _server.RespondJson(503, """{"error": "busy"}""");
        using ApiTransport transport = Transport();
        ApiRequest request = Get();
        CancellationToken none = CancellationToken.None;

        Func<Task> call = shape switch
        {
            "response" => () => transport.SendAsync(request, none),
            "json" => () => transport.SendJsonAsync(request, TestJsonContext.Default.Token, none),
            "no-content" => () => transport.SendNoContentAsync(request, none),
            "text" => () => transport.SendTextAsync(request, none),
            "stream" => () => transport.SendStreamAsync(request, none),
            "events" => async () => await transport.SendEventsAsync(request, none).GetAsyncEnumerator(none).MoveNextAsync(),
            "typed-events" => async () => await transport.SendEventsAsync(request, TestJsonContext.Default.Token, none).GetAsyncEnumerator(none).MoveNextAsync(),
            "json-lines" => async () => await transport.SendJsonLinesAsync(request, TestJsonContext.Default.Token, none).GetAsyncEnumerator(none).MoveNextAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
        ApiException exception = await Assert.ThrowsAsync<ApiException>(call);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, exception.StatusCode);
        Assert.Equal("busy", exception.ServerMessage);
        Assert.Equal("GET", exception.Method);
    }

    [Fact]
    public async Task JsonBodyLargerThanTheLimit_IsRefused_OnTheNewPath()
    {
        RespondEndless("{\"index\": 0, \"text\": \"", new string('x', 64 * 1024));
        using ApiTransport transport = Transport();

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));

        Assert.Contains("larger than 32 MiB", exception.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, exception.StatusCode);
    }

    [Fact]
    public async Task TextBodyLargerThanTheLimit_IsRefused()
    {
        RespondEndless("start", new string('x', 64 * 1024));
        using ApiTransport transport = Transport();

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => transport.SendTextAsync(Get(), CancellationToken.None));

        Assert.Contains("larger than 32 MiB", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("null")]
    public async Task SendJson_ABodyThatIsNotTheType_ThrowsBasetenApiException(string body)
    {
        _server.RespondJson(200, body);
        using ApiTransport transport = Transport();

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));

        Assert.Contains("Token", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonBody_IsSentWithContentLength_AndDisposedAfterTheCall()
    {
        _server.RespondJson(200, """{"text": "back", "index": 2}""");
        using ApiTransport transport = Transport();
        var request = new ApiRequest(HttpMethod.Post, "/v1/things", "/v1/things") { Content = ApiContent.Json(new Token("out", 1), TestJsonContext.Default.Token) };

        Token answer = await transport.SendJsonAsync(request, TestJsonContext.Default.Token, CancellationToken.None);

        RecordedRequest recorded = Assert.Single(_server.Requests);
        Assert.Equal("""{"text":"out","index":1}""", Encoding.UTF8.GetString(recorded.Body));
        Assert.Equal(recorded.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), recorded.Headers["Content-Length"]);
        Assert.Equal("application/json", recorded.Headers["Content-Type"]);
        Assert.Equal(new Token("back", 2), answer);
        Assert.Throws<ObjectDisposedException>(() => ((PooledJsonContent)request.Content!).Bytes.Length);
    }

    [Fact]
    public async Task BinaryBody_FromAStreamThatCannotSeek_IsSentChunked_AndTheStreamIsLeftOpen()
    {
        RespondNoContent();
        using ApiTransport transport = Transport();
        byte[] bytes = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        using var stream = new ForwardOnlyStream(bytes);
        var request = new ApiRequest(HttpMethod.Put, "/v1/files/{name}", "/v1/files/a") { Content = ApiContent.Binary(stream, "image/png") };

        await transport.SendNoContentAsync(request, CancellationToken.None);

        RecordedRequest recorded = Assert.Single(_server.Requests);
        Assert.Equal(bytes, recorded.Body);
        Assert.Equal("image/png", recorded.Headers["Content-Type"]);
        Assert.Equal("chunked", recorded.Headers["Transfer-Encoding"]);
        Assert.False(stream.Disposed);
    }

    [Fact]
    public async Task BinaryBody_FromASeekableStream_SendsTheRestWithAContentLength()
    {
        RespondNoContent();
        using ApiTransport transport = Transport();
        using var stream = new MemoryStream([1, 2, 3, 4, 5]) { Position = 2 };
        var request = new ApiRequest(HttpMethod.Put, "/v1/files/{name}", "/v1/files/a") { Content = ApiContent.Binary(stream) };

        await transport.SendNoContentAsync(request, CancellationToken.None);

        RecordedRequest recorded = Assert.Single(_server.Requests);
        Assert.Equal(new byte[] { 3, 4, 5 }, recorded.Body);
        Assert.Equal("3", recorded.Headers["Content-Length"]);
        Assert.Equal("application/octet-stream", recorded.Headers["Content-Type"]);
    }

    [Fact]
    public async Task TextFormAndMultipartBodies_ArriveAsSent()
    {
        RespondNoContent();
        using ApiTransport transport = Transport();

        await transport.SendNoContentAsync(new ApiRequest(HttpMethod.Post, "/t", "/t") { Content = ApiContent.Text("h\u00e9llo", "text/markdown") }, CancellationToken.None);
        await transport.SendNoContentAsync(new ApiRequest(HttpMethod.Post, "/f", "/f") { Content = ApiContent.FormUrlEncoded([new("a", "1"), new("b", "x y&z")]) }, CancellationToken.None);
        MultipartFormDataContent multipart = ApiContent.Multipart();
        multipart.Add(ApiContent.Json(new Token("meta", 0), TestJsonContext.Default.Token), "metadata");
        multipart.Add(ApiContent.Binary(new MemoryStream([0xCA, 0xFE])), "file", "f.bin");
        await transport.SendNoContentAsync(new ApiRequest(HttpMethod.Post, "/m", "/m") { Content = multipart }, CancellationToken.None);

        RecordedRequest[] recorded = _server.Requests.ToArray();
        Assert.Equal("text/markdown; charset=utf-8", recorded[0].Headers["Content-Type"]);
        Assert.Equal("h\u00e9llo", Encoding.UTF8.GetString(recorded[0].Body));
        Assert.Equal("application/x-www-form-urlencoded", recorded[1].Headers["Content-Type"]);
        Assert.Equal("a=1&b=x+y%26z", Encoding.ASCII.GetString(recorded[1].Body));
        Assert.StartsWith("multipart/form-data; boundary=", recorded[2].Headers["Content-Type"], StringComparison.Ordinal);
        string body = Encoding.Latin1.GetString(recorded[2].Body);
        Assert.Contains("name=\"metadata\"", body, StringComparison.Ordinal);
        Assert.Contains("""{"text":"meta","index":0}""", body, StringComparison.Ordinal);
        Assert.Contains("filename=\"f.bin\"", body, StringComparison.Ordinal);
        Assert.Contains("\u00CA\u00FE", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamedBody_IsNotRetriedOnceRead_ThoughTheSameRequestWithJsonIs()
    {
        var policy = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.Zero, AttemptTimeout = null, RetryUnsafeMethods = true };
        int count = 0;
        _server.Respond = async context =>
        {
            bool first = Interlocked.Increment(ref count) % 2 == 1;
            context.Response.StatusCode = first ? 503 : 204;
            if (!first)
            {
                // The streamed request below goes on a new connection: on the pooled one, the
                // server's closing it could race the send, and .NET cannot resend a body it read.
                context.Response.Headers.Connection = "close";
            }

            await context.Response.WriteAsync(first ? """{"error": "again"}""" : string.Empty);
        };
        using ApiTransport transport = Transport(policy);

        await transport.SendNoContentAsync(new ApiRequest(HttpMethod.Put, "/u", "/u") { Content = ApiContent.Json(new Token("x", 1), TestJsonContext.Default.Token) }, CancellationToken.None);
        Assert.Equal(2, _server.Requests.Count);

        var streamed = new ApiRequest(HttpMethod.Put, "/u", "/u") { Content = ApiContent.Binary(new ForwardOnlyStream([1, 2, 3])) };
        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => transport.SendNoContentAsync(streamed, CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, exception.StatusCode);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task StreamedBody_IsRetriedAfterARefusedConnection_WhichReadNothing()
    {
        var handler = new RefuseOnceHandler();
        using ApiTransport transport = Transport(new RetryPolicy { BaseDelay = TimeSpan.Zero, AttemptTimeout = null }, new HttpClient(handler));
        var request = new ApiRequest(HttpMethod.Post, "/u", "/u") { Content = ApiContent.Binary(new ForwardOnlyStream([1, 2, 3])) };

        await transport.SendNoContentAsync(request, CancellationToken.None);

        Assert.Equal(2, handler.Calls);
        Assert.Equal(new byte[] { 1, 2, 3 }, handler.LastBody);
    }

    // Writes the first part, then the second part over and over until the client goes away or the limit is passed.
    private void RespondEndless(string start, string repeated)
    {
        byte[] chunk = Encoding.UTF8.GetBytes(repeated);
        _server.Respond = async context =>
        {
            context.Response.StatusCode = 200;
            await context.Response.WriteAsync(start);
            for (long sent = 0; sent <= ApiTransport.MaxResponseBytes + chunk.Length && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        };
    }

    /// <summary>A stream that can only be read forward, once, like a network or pipe stream; remembers being disposed.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public bool Disposed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    /// <summary>Refuses the first connection without touching the body; reads the body of the second and answers 204.</summary>
    private sealed class RefuseOnceHandler : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        public byte[]? LastBody { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                throw new HttpRequestException(HttpRequestError.ConnectionError, "simulated refused connection");
            }

            LastBody = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }
    }
}
