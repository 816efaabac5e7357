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

namespace Baseten.Aot.Tests;

/// <summary>
/// An HTTP/1.1 server on 127.0.0.1 that is nothing but a socket: it reads each request's head and
/// body, then runs the test's script, which writes whatever bytes it likes (a status line .NET
/// refuses, a body that drips or stops, a reset). Kestrel cannot misbehave this way. Every wait in
/// here ends when the server is disposed, so a script can never outlive its test.
/// </summary>
internal sealed class RawSocketServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<RawConnection, Task> _script;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _accepting;
    private int _connectionCount;

    private RawSocketServer(Func<RawConnection, Task> script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public Uri BaseAddress => new("http://127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture));

    /// <summary>How many connections were accepted: a listener that must never be reached checks it is zero.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>The head and body of every request received, as Latin-1 text.</summary>
    public IReadOnlyCollection<string> Requests => _requests.ToArray();

    /// <summary>Starts a server that runs <paramref name="script"/> for every request.</summary>
    public static RawSocketServer Start(Func<RawConnection, Task> script) => new(script);

    /// <summary>Starts a server that answers every request with <paramref name="response"/> and closes.</summary>
    public static RawSocketServer Start(string response) => new(connection => connection.WriteAsync(response));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting.WaitAsync(TimeSpan.FromSeconds(10));
            await Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception exception) when (exception is ObjectDisposedException or SocketException or IOException or OperationCanceledException)
        {
            // A connection the client broke: what these tests do on purpose.
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                Socket socket = await _listener.AcceptSocketAsync(_stopping.Token);
                Interlocked.Increment(ref _connectionCount);
                _connections.Add(Task.Run(() => ServeAsync(socket)));
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            using var connection = new RawConnection(socket, _stopping.Token);
            try
            {
                if (await connection.ReadRequestAsync() is not { } request)
                {
                    return;
                }

                _requests.Enqueue(request);
                await _script(connection);
                connection.CloseGracefully();
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away (timed out, refused a bomb) or the test ended.
            }
        }
    }
}

/// <summary>One accepted connection, as a script sees it: what to write, and how to break.</summary>
internal sealed class RawConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    public RawConnection(Socket socket, CancellationToken stopping)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        Stopping = stopping;
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>Cancelled when the test's server is disposed.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>The request line and headers received, without the blank line.</summary>
    public string RequestHead { get; private set; } = string.Empty;

    public Task WriteAsync(string latin1) => WriteAsync(Encoding.Latin1.GetBytes(latin1));

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        await _stream.WriteAsync(bytes, Stopping);
        await _stream.FlushAsync(Stopping);
    }

    /// <summary>Writes one byte at a time with a pause after each, until all are sent or the client leaves.</summary>
    public async Task DripAsync(string latin1, TimeSpan pause)
    {
        foreach (byte b in Encoding.Latin1.GetBytes(latin1))
        {
            await WriteAsync(new[] { b });
            await Task.Delay(pause, Stopping);
        }
    }

    /// <summary>Writes <paramref name="chunk"/> again and again until <paramref name="limit"/> bytes are sent or the client leaves.</summary>
    public async Task RepeatAsync(byte[] chunk, long limit)
    {
        for (long sent = 0; sent < limit; sent += chunk.Length)
        {
            await _stream.WriteAsync(chunk, Stopping);
        }

        await _stream.FlushAsync(Stopping);
    }

    /// <summary>Sends nothing more and keeps the connection open until the client closes it or the test ends.</summary>
    public async Task SilenceAsync()
    {
        var buffer = new byte[1024];
        while (await _stream.ReadAsync(buffer, Stopping) > 0)
        {
        }
    }

    /// <summary>Ends the connection with a TCP reset (RST) instead of a close (FIN).</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    /// <summary>Ends the connection with a FIN: what was written is delivered, then the client reads end of stream.</summary>
    public void CloseGracefully()
    {
        if (_socket.Connected)
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
    }

    // Reads the head, then as much body as Content-Length declares (a client's chunked upload is not expected here).
    internal async Task<string?> ReadRequestAsync()
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOfBlankLine(received)) < 0)
        {
            int read = await _stream.ReadAsync(buffer, Stopping);
            if (read == 0)
            {
                return null;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        RequestHead = Encoding.Latin1.GetString(received.GetRange(0, headEnd).ToArray());
        int bodyLength = ContentLength(RequestHead);
        while (received.Count < headEnd + 4 + bodyLength)
        {
            int read = await _stream.ReadAsync(buffer, Stopping);
            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        return Encoding.Latin1.GetString(received.ToArray());
    }

    private static int IndexOfBlankLine(List<byte> bytes)
    {
        for (int i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private static int ContentLength(string head)
    {
        foreach (string line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line.AsSpan("Content-Length:".Length).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
