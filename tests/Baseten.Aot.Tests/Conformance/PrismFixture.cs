using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace Baseten.Aot.Tests;

/// <summary>
/// Two Prism mock servers over spec/baseten.openapi.yaml (or, in a subclass, another document) on
/// loopback, both validating every request against it: one answering with the document's static
/// examples, one (<c>--dynamic</c>) with random data generated from the schemas. Prism comes from
/// tests/prism (npm ci --prefix tests/prism).
/// </summary>
public class PrismFixture : IAsyncLifetime
{
    private readonly string _document;
    private Process? _static;
    private Process? _dynamic;

    public PrismFixture()
        : this(Path.Combine(RepositoryRoot, "spec", "baseten.openapi.yaml"))
    {
    }

    protected PrismFixture(string document) => _document = document;

    public Uri StaticAddress { get; private set; } = null!;

    public Uri DynamicAddress { get; private set; } = null!;

    public static string RepositoryRoot { get; } = FindRoot();

    public async Task InitializeAsync()
    {
        string prism = Path.Combine(RepositoryRoot, "tests", "prism", "node_modules", ".bin", OperatingSystem.IsWindows() ? "prism.cmd" : "prism");
        if (!File.Exists(prism))
        {
            throw new InvalidOperationException($"Prism is not installed at {prism}: run 'npm ci --prefix tests/prism' first (the README's test command does).");
        }

        (_static, StaticAddress) = Start(prism, dynamic: false);
        (_dynamic, DynamicAddress) = Start(prism, dynamic: true);
        await Task.WhenAll(WaitUntilListeningAsync(_static, StaticAddress), WaitUntilListeningAsync(_dynamic, DynamicAddress));
    }

    public Task DisposeAsync()
    {
        foreach (Process? process in new[] { _static, _dynamic })
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
            }

            process?.Dispose();
        }

        return Task.CompletedTask;
    }

    private (Process Process, Uri Address) Start(string prism, bool dynamic)
    {
        int port = FreePort();
        var start = new ProcessStartInfo(prism)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "mock", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), _document })
        {
            start.ArgumentList.Add(arg);
        }

        if (dynamic)
        {
            start.ArgumentList.Add("--dynamic");
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, new Uri($"http://127.0.0.1:{port}/"));
    }

    private static async Task WaitUntilListeningAsync(Process process, Uri address)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        DateTime deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Prism exited with code {process.ExitCode} before listening on {address}.");
            }

            try
            {
                using HttpResponseMessage response = await client.GetAsync(address);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
            catch (TaskCanceledException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"Prism did not listen on {address} within 90 seconds.");
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
}
