using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace Baseten.Aot.Tests;

/// <summary>
/// One Prism mock server over an OpenAPI document, on loopback, validating every request against
/// it: answering with the document's static examples or, <c>--dynamic</c>, with random data
/// generated from the schemas. Prism comes from tests/prism (npm ci --prefix tests/prism). Its last
/// lines of output are kept for the message when it fails to start.
/// </summary>
internal sealed class PrismServer : IDisposable
{
    private const int KeptLines = 40;

    private readonly Process _process;
    private readonly string _description;
    private readonly Queue<string> _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PrismServer(Process process, Uri address, string description)
    {
        _process = process;
        _description = description;
        Address = address;
        _process.EnableRaisingEvents = true;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"Prism ({_description}) exited with code {_process.ExitCode} before listening on {Address}. Its output:\n{Output()}"));
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    /// <summary>Starts Prism on a free loopback port; <see cref="WaitUntilListeningAsync"/> waits for it to serve.</summary>
    public static PrismServer Start(string document, bool dynamic)
    {
        string prism = Path.Combine(Repository.Root, "tests", "prism", "node_modules", ".bin", OperatingSystem.IsWindows() ? "prism.cmd" : "prism");
        if (!File.Exists(prism))
        {
            throw new InvalidOperationException($"Prism is not installed at {prism}: run 'npm ci --prefix tests/prism' first (the README's test command does).");
        }

        int port = FreePort();
        var start = new ProcessStartInfo(prism)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "mock", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), document })
        {
            start.ArgumentList.Add(arg);
        }

        if (dynamic)
        {
            start.ArgumentList.Add("--dynamic");
        }

        string description = (dynamic ? "dynamic, " : "static, ") + Path.GetFileName(document);
        return new PrismServer(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"), description);
    }

    /// <summary>Waits, at most <paramref name="limit"/>, for Prism to say it listens ("Prism is listening on http://..."): no polling.</summary>
    public async Task WaitUntilListeningAsync(TimeSpan limit)
    {
        try
        {
            await _listening.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Prism ({_description}) did not listen on {Address} within {limit.TotalSeconds} s. Its output:\n{Output()}");
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
