using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace Baseten.Aot.LiveApi.Tests;

/// <summary>
/// Two Prism mock servers over Baseten's live management document (read in place from
/// ../shared), on loopback, both validating every request: one answering with the document's
/// static examples, one (<c>--dynamic</c>) with random data generated from the schemas. Prism
/// comes from tests/prism (npm ci --prefix tests/prism). Loading the 1.1 MB document takes a few
/// seconds; the wait for each server is bounded by <see cref="StartupLimit"/>.
/// </summary>
public sealed class LivePrismServers : IAsyncDisposable
{
    /// <summary>How long a server may take to load the document and listen.</summary>
    public static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(180);

    private readonly List<Server> _servers = [];

    public Uri StaticAddress { get; private set; } = null!;

    public Uri DynamicAddress { get; private set; } = null!;

    public static string RepositoryRoot { get; } = FindRoot();

    public async Task StartAsync()
    {
        string prism = Path.Combine(RepositoryRoot, "tests", "prism", "node_modules", ".bin", OperatingSystem.IsWindows() ? "prism.cmd" : "prism");
        if (!File.Exists(prism))
        {
            throw new InvalidOperationException($"Prism is not installed at {prism}: run 'npm ci --prefix tests/prism' first (the README's test command does).");
        }

        Server staticServer = Start(prism, dynamic: false);
        Server dynamicServer = Start(prism, dynamic: true);
        await Task.WhenAll(staticServer.WaitUntilListeningAsync(), dynamicServer.WaitUntilListeningAsync());
        StaticAddress = staticServer.Address;
        DynamicAddress = dynamicServer.Address;
    }

    public ValueTask DisposeAsync()
    {
        foreach (Server server in _servers)
        {
            server.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private Server Start(string prism, bool dynamic)
    {
        int port = FreePort();
        var start = new ProcessStartInfo(prism)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "mock", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), LiveApiDocument.DocumentPath })
        {
            start.ArgumentList.Add(arg);
        }

        if (dynamic)
        {
            start.ArgumentList.Add("--dynamic");
        }

        var server = new Server(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"), dynamic ? "dynamic" : "static");
        _servers.Add(server);
        return server;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Baseten.Aot.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("The repository root (with Baseten.Aot.sln) is not above " + AppContext.BaseDirectory);
    }

    /// <summary>One Prism process, its last lines of output kept for the failure message.</summary>
    private sealed class Server : IDisposable
    {
        private const int KeptLines = 40;

        private readonly Process _process;
        private readonly string _name;
        private readonly Queue<string> _output = new();
        private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Server(Process process, Uri address, string name)
        {
            _process = process;
            _name = name;
            Address = address;
            _process.EnableRaisingEvents = true;
            _process.OutputDataReceived += (_, e) => OnLine(e.Data);
            _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
            _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"Prism ({_name}) exited with code {_process.ExitCode} before listening on {Address}. Its output:\n{Output()}"));
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public Uri Address { get; }

        // Prism says when it listens ("Prism is listening on http://..."): no polling.
        public async Task WaitUntilListeningAsync()
        {
            try
            {
                await _listening.Task.WaitAsync(StartupLimit);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Prism ({_name}) did not listen on {Address} within {StartupLimit.TotalSeconds} s of loading {LiveApiDocument.DocumentPath}. Its output:\n{Output()}");
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }

            _process.Dispose();
        }

        private void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.Enqueue(line);
                if (_output.Count > KeptLines)
                {
                    _output.Dequeue();
                }
            }

            if (line.Contains("is listening on", StringComparison.Ordinal))
            {
                _listening.TrySetResult();
            }
        }

        private string Output()
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }
}
