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

/// <summary>
/// Downloads, server-sent events and JSON lines over a real loopback server. The server and the
/// test hand over to each other with TaskCompletionSources, never sleeps; every wait is bounded.
/// </summary>
public sealed class StreamingTests : IAsyncLifetime
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);
    private readonly TaskCompletionSource _proceed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _serverSawAbort = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync()
    {
        _proceed.TrySetResult();
        await _server.DisposeAsync();
    }

    private ApiTransport Transport(HttpClient? client = null)
        => new(client ?? new HttpClient(), _server.BaseAddress, new ApiAuthorization("Api-Key", "stream-key"), disposeHttpClient: true, RetryPolicy.None);

    private static ApiRequest Request(string accept) => new(HttpMethod.Get, "/v1/stream", "/v1/stream") { Accept = accept };

    /// <summary>Writes <paramref name="first"/>, flushes, waits for the test's go-ahead (or the client's abort), then writes <paramref name="rest"/>.</summary>
    private void RespondInTwoParts(string contentType, byte[] first, byte[] rest)
        => _server.Respond = async context =>
        {
            context.RequestAborted.Register(() => _serverSawAbort.TrySetResult());
            context.Response.ContentType = contentType;
            await context.Response.Body.WriteAsync(first);
            await context.Response.Body.FlushAsync();
            await Task.WhenAny(_proceed.Task, _serverSawAbort.Task).WaitAsync(s_bound);
            if (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(rest);
            }
        };

    private void RespondText(string contentType, string body)
        => _server.Respond = async context =>
        {
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        };

    [Fact]
    public async Task BinaryDownload_IsStreamed_TheFirstBytesArriveBeforeTheServerHasFinished()
    {
        byte[] first = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        byte[] rest = Enumerable.Range(0, 7000).Select(i => (byte)(i * 7)).ToArray();
        RespondInTwoParts("application/octet-stream", first, rest);
        using ApiTransport transport = Transport();

        await using Stream stream = await transport.SendStreamAsync(Request("application/octet-stream"), CancellationToken.None).WaitAsync(s_bound);
        byte[] received = new byte[first.Length];
        await stream.ReadExactlyAsync(received).AsTask().WaitAsync(s_bound);
        Assert.Equal(first, received);
        Assert.False(_proceed.Task.IsCompleted);

        _proceed.SetResult();
        using var remainder = new MemoryStream();
        await stream.CopyToAsync(remainder).WaitAsync(s_bound);
        Assert.Equal(rest, remainder.ToArray());
    }

    [Fact]
    public async Task DisposingADownloadStream_DisposesTheResponseAndTheRequestBody()
    {
        RespondInTwoParts("application/octet-stream", new byte[100], new byte[100]);

        // No drain on dispose: the handler closes the connection at once, which the server sees.
        using ApiTransport transport = Transport(new HttpClient(new SocketsHttpHandler { ResponseDrainTimeout = TimeSpan.Zero }));
        var body = new DisposeRecordingContent();
        var request = new ApiRequest(HttpMethod.Post, "/v1/download", "/v1/download") { Content = body };

        Stream stream = await transport.SendStreamAsync(request, CancellationToken.None).WaitAsync(s_bound);
        await stream.ReadExactlyAsync(new byte[100]).AsTask().WaitAsync(s_bound);
        Assert.False(body.Disposed);
        await stream.DisposeAsync();

        Assert.True(body.Disposed);
        await _serverSawAbort.Task.WaitAsync(s_bound);
    }

    private const string EventPayload =
        "\uFEFF: a comment, ignored\n"
        + "\n"
        + "event: delta\n"
        + "data: line one\n"
        + "data:  line two keeps one of its spaces\n"
        + "id: 7\n"
        + "unknown-field: ignored\n"
        + "\n"
        + "data:no-space\r\n"
        + "\r\n"
        + "retry: 1500\r"
        + "data\r"
        + "data: after an empty data line\r"
        + "\r"
        + "event: dropped-because-no-data\n"
        + "id\n"
        + "retry: soon\n"
        + "\n"
        + "data: {\"text\":\"x\",\"index\":1}\n"
        + "\n"
        + "data: cut off by the end of the body, so discarded\n";

    private static readonly ServerSentEvent[] s_expectedEvents =
    [
        new("delta", "line one\n line two keeps one of its spaces", "7"),
        new(null, "no-space", "7"),
        new(null, "\nafter an empty data line", "7") { Retry = TimeSpan.FromMilliseconds(1500) },
        new(null, "{\"text\":\"x\",\"index\":1}", null) { Retry = TimeSpan.FromMilliseconds(1500) },
    ];

    [Fact]
    public async Task Events_AreParsedPerTheStandard_OverTheWire()
    {
        RespondText("text/event-stream", EventPayload);
        using ApiTransport transport = Transport();

        var events = new List<ServerSentEvent>();
        await foreach (ServerSentEvent serverSentEvent in transport.SendEventsAsync(Request("text/event-stream"), CancellationToken.None))
        {
            events.Add(serverSentEvent);
        }

        Assert.Equal(s_expectedEvents, events);
        Assert.Equal("text/event-stream", _server.Requests.Single().Headers["Accept"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Events_AreParsedTheSame_HoweverTheBodyIsSplitIntoReads(int readSize)
    {
        using var response = new ApiResponse(new HttpResponseMessage(HttpStatusCode.OK), Request("text/event-stream"), null, ApiErrorFactory.Api);
        using var reader = new ServerSentEventReader(new TrickleStream(Encoding.UTF8.GetBytes(EventPayload), readSize), response);

        var events = new List<ServerSentEvent>();
        for (int i = 0; i < 100 && await reader.ReadAsync(CancellationToken.None) is { } serverSentEvent; i++)
        {
            events.Add(serverSentEvent);
        }

        Assert.Equal(s_expectedEvents, events);
    }

    [Fact]
    public async Task TypedEvents_ParseEachEventsData_AndStopAtDone()
    {
        RespondText("text/event-stream",
            "data: {\"text\":\"a\",\"index\":0}\n\n: keep-alive\n\nevent: chunk\ndata: {\"text\":\"b\",\ndata: \"index\":1}\n\ndata: [DONE]\n\ndata: {\"text\":\"after done\",\"index\":2}\n\n");
        using ApiTransport transport = Transport();

        var tokens = new List<Token>();
        await foreach (Token token in transport.SendEventsAsync(Request("text/event-stream"), TestJsonContext.Default.Token, CancellationToken.None))
        {
            tokens.Add(token);
        }

        Assert.Equal([new Token("a", 0), new Token("b", 1)], tokens);
    }

    [Fact]
    public async Task TypedEvents_DataThatIsNotTheType_ThrowsBasetenApiException()
    {
        RespondText("text/event-stream", "data: {\"text\":\"a\",\"index\":0}\n\ndata: not json\n\n");
        using ApiTransport transport = Transport();

        var tokens = new List<Token>();
        ApiException exception = await Assert.ThrowsAsync<ApiException>(async () =>
        {
            await foreach (Token token in transport.SendEventsAsync(Request("text/event-stream"), TestJsonContext.Default.Token, CancellationToken.None))
            {
                tokens.Add(token);
            }
        });

        Assert.Single(tokens);
        Assert.Equal(HttpStatusCode.OK, exception.StatusCode);
        Assert.Contains("Token", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    public async Task EventLine_LongerThanTheLimit_ThrowsBasetenApiException(int over, bool refused)
    {
        const string prefix = "data: ";
        string line = prefix + new string('x', ApiTransport.MaxLineLength - prefix.Length + over);
        RespondText("text/event-stream", line + "\n\n");
        using ApiTransport transport = Transport();

        Task<List<ServerSentEvent>> read = ReadAllAsync(transport.SendEventsAsync(Request("text/event-stream"), CancellationToken.None));

        if (refused)
        {
            ApiException exception = await Assert.ThrowsAsync<ApiException>(() => read.WaitAsync(s_bound));
            Assert.Contains("longer than 1 MiB", exception.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(ApiTransport.MaxLineLength - prefix.Length, Assert.Single(await read.WaitAsync(s_bound)).Data.Length);
        }
    }

    [Fact]
    public async Task Event_WithMoreDataLinesThanMaxResponseBytes_ThrowsBasetenApiException()
    {
        byte[] line = Encoding.ASCII.GetBytes("data: " + new string('x', 1000 * 1000) + "\n");
        _server.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            for (long sent = 0; sent <= ApiTransport.MaxResponseBytes + line.Length && !context.RequestAborted.IsCancellationRequested; sent += line.Length)
            {
                await context.Response.Body.WriteAsync(line, context.RequestAborted);
            }
        };
        using ApiTransport transport = Transport();

        ApiException exception = await Assert.ThrowsAsync<ApiException>(
            () => ReadAllAsync(transport.SendEventsAsync(Request("text/event-stream"), CancellationToken.None)).WaitAsync(s_bound));

        Assert.Contains("an event is larger than 32 MiB", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CancellingAnEventStream_MidStream_EndsTheServersRequest(bool throughTheEnumerator)
    {
        RespondInTwoParts("text/event-stream", Encoding.UTF8.GetBytes("data: first\n\n"), Encoding.UTF8.GetBytes("data: second\n\n"));
        using ApiTransport transport = Transport();
        using var cancellation = new CancellationTokenSource();

        // The token may come through the call or through GetAsyncEnumerator (await foreach ... WithCancellation).
        await using IAsyncEnumerator<ServerSentEvent> enumerator = throughTheEnumerator
            ? transport.SendEventsAsync(Request("text/event-stream"), CancellationToken.None).GetAsyncEnumerator(cancellation.Token)
            : transport.SendEventsAsync(Request("text/event-stream"), cancellation.Token).GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync().AsTask().WaitAsync(s_bound));
        Assert.Equal("first", enumerator.Current.Data);

        Task<bool> next = enumerator.MoveNextAsync().AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(s_bound));
        await _serverSawAbort.Task.WaitAsync(s_bound);
        Assert.False(_proceed.Task.IsCompleted);
    }

    [Fact]
    public async Task JsonLines_AreReadOnePerNonBlankLine_AsTheyArrive()
    {
        RespondInTwoParts("application/x-ndjson",
            Encoding.UTF8.GetBytes("{\"text\":\"a\",\"index\":0}\r\n\n   \r\n"),
            Encoding.UTF8.GetBytes("{\"text\":\"b\",\n\"index\":1}\n{\"text\":\"c\",\"index\":2}"));
        using ApiTransport transport = Transport();

        // The first line is read while the server still holds the rest back.
        await using IAsyncEnumerator<Token> lines = transport.SendJsonLinesAsync(Request("application/x-ndjson"), TestJsonContext.Default.Token, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await lines.MoveNextAsync().AsTask().WaitAsync(s_bound));
        Assert.Equal(new Token("a", 0), lines.Current);
        Assert.False(_proceed.Task.IsCompleted);

        // A value split over two lines is two invalid lines, not one value.
        _proceed.SetResult();
        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => lines.MoveNextAsync().AsTask().WaitAsync(s_bound));
        Assert.Contains("Token", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonLines_LastLineWithoutANewline_IsRead()
    {
        RespondText("application/jsonl", "{\"text\":\"a\",\"index\":0}\n\n{\"text\":\"b\",\"index\":1}\r\n{\"text\":\"c\",\"index\":2}");
        using ApiTransport transport = Transport();

        List<Token> tokens = await ReadAllAsync(transport.SendJsonLinesAsync(Request("application/jsonl"), TestJsonContext.Default.Token, CancellationToken.None)).WaitAsync(s_bound);

        Assert.Equal([new Token("a", 0), new Token("b", 1), new Token("c", 2)], tokens);
    }

    [Theory]
    [InlineData("{\"text\":\"" , true)]
    [InlineData("null", false)]
    public async Task JsonLines_ALineTooLongOrNull_ThrowsBasetenApiException(string line, bool tooLong)
    {
        RespondText("application/x-ndjson", tooLong ? line + new string('x', ApiTransport.MaxLineLength) + "\"}\n" : line + "\n");
        using ApiTransport transport = Transport();

        ApiException exception = await Assert.ThrowsAsync<ApiException>(
            () => ReadAllAsync(transport.SendJsonLinesAsync(Request("application/x-ndjson"), TestJsonContext.Default.Token, CancellationToken.None)).WaitAsync(s_bound));

        Assert.Contains(tooLong ? "longer than 1 MiB" : "null", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellingJsonLines_MidStream_EndsTheServersRequest()
    {
        RespondInTwoParts("application/x-ndjson", Encoding.UTF8.GetBytes("{\"text\":\"a\",\"index\":0}\n"), Encoding.UTF8.GetBytes("{\"text\":\"b\",\"index\":1}\n"));
        using ApiTransport transport = Transport();
        using var cancellation = new CancellationTokenSource();

        await using IAsyncEnumerator<Token> lines = transport.SendJsonLinesAsync(Request("application/x-ndjson"), TestJsonContext.Default.Token, cancellation.Token).GetAsyncEnumerator();
        Assert.True(await lines.MoveNextAsync().AsTask().WaitAsync(s_bound));
        Task<bool> next = lines.MoveNextAsync().AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(s_bound));
        await _serverSawAbort.Task.WaitAsync(s_bound);
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

    /// <summary>Hands out at most a set number of bytes per read, to split lines and CR LF pairs across reads.</summary>
    private sealed class TrickleStream(byte[] bytes, int readSize) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, readSize), bytes.Length - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = Math.Min(Math.Min(buffer.Length, readSize), bytes.Length - _position);
            bytes.AsMemory(_position, n).CopyTo(buffer);
            _position += n;
            return ValueTask.FromResult(n);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A small request body that records being disposed.</summary>
    private sealed class DisposeRecordingContent() : ByteArrayContent([1, 2, 3])
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
