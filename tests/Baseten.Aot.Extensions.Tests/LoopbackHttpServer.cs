using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Extensions.Tests;

/// <summary>A request as the stand-in server read it off the socket.</summary>
internal sealed record LoopbackRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>What the stand-in server answers.</summary>
internal sealed record LoopbackResponse(int Status, string Body = "", string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// An HTTP/1.1 server on 127.0.0.1 with an ephemeral port, on a bare TcpListener (no Kestrel, so it
/// publishes under NativeAOT in the host smoke app too): it reads each request (Content-Length or
/// chunked body), records it, answers with what <see cref="Respond"/> returns and closes the
/// connection. Shared by the tests and tests/Baseten.Aot.HostSmoke.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<LoopbackRequest> _requests = new();
    private readonly Task _accepting;

    public LoopbackHttpServer(Func<LoopbackRequest, LoopbackResponse> respond)
    {
        Respond = respond;
        _listener.Start();
        BaseAddress = new Uri("http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture));
        _accepting = AcceptAsync();
    }

    public Uri BaseAddress { get; }

    public Func<LoopbackRequest, LoopbackResponse> Respond { get; set; }

    public IReadOnlyList<LoopbackRequest> Requests => _requests.ToArray();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient connection = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(TcpClient connection)
    {
        using (connection)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                NetworkStream stream = connection.GetStream();
                LoopbackRequest request = await ReadRequestAsync(stream, timeout.Token);
                _requests.Enqueue(request);
                LoopbackResponse response = Respond(request);
                await WriteResponseAsync(stream, response, timeout.Token);
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException or SocketException)
            {
                // The client went away, or the server is stopping: nothing to answer.
            }
        }
    }

    private static async Task<LoopbackRequest> ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        var reader = new ByteReader(stream);
        string[] requestLine = (await reader.ReadLineAsync(cancellationToken)).Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (string line = await reader.ReadLineAsync(cancellationToken); line.Length > 0; line = await reader.ReadLineAsync(cancellationToken))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string name = line[..colon];
            string value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out string? earlier) ? earlier + ", " + value : value;
        }

        var body = new MemoryStream();
        if (headers.TryGetValue("Content-Length", out string? length))
        {
            await reader.CopyAsync(body, int.Parse(length, CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (headers.TryGetValue("Transfer-Encoding", out string? encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            for (int size = ChunkSize(await reader.ReadLineAsync(cancellationToken)); size > 0; size = ChunkSize(await reader.ReadLineAsync(cancellationToken)))
            {
                await reader.CopyAsync(body, size, cancellationToken);
                await reader.ReadLineAsync(cancellationToken);
            }

            await reader.ReadLineAsync(cancellationToken);
        }

        return new LoopbackRequest(requestLine[0], requestLine[1], headers, Encoding.UTF8.GetString(body.ToArray()));
    }

    private static int ChunkSize(string line) => int.Parse(line.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static async Task WriteResponseAsync(Stream stream, LoopbackResponse response, CancellationToken cancellationToken)
    {
        byte[] body = Encoding.UTF8.GetBytes(response.Body);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {response.Status} Stand-in\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {response.ContentType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
            .Append("Connection: close\r\n");
        foreach (KeyValuePair<string, string> header in response.Headers ?? new Dictionary<string, string>())
        {
            head.Append(CultureInfo.InvariantCulture, $"{header.Key}: {header.Value}\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    // Reads CRLF-terminated lines and counted bytes from one buffer, so nothing read ahead is lost.
    private sealed class ByteReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    throw new IOException("The connection closed mid-request.");
                }

                byte next = _buffer[_start++];
                if (next == (byte)'\n')
                {
                    byte[] bytes = line.ToArray();
                    return Encoding.ASCII.GetString(bytes, 0, bytes.Length > 0 && bytes[^1] == (byte)'\r' ? bytes.Length - 1 : bytes.Length);
                }

                line.WriteByte(next);
            }
        }

        public async Task CopyAsync(Stream destination, int count, CancellationToken cancellationToken)
        {
            while (count > 0)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    throw new IOException("The connection closed mid-body.");
                }

                int take = Math.Min(count, _end - _start);
                destination.Write(_buffer, _start, take);
                _start += take;
                count -= take;
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, cancellationToken);
            return _end > 0;
        }
    }
}
