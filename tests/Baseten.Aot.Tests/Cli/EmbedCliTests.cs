using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Tests;

/// <summary><c>baseten embed</c> as a separate process (native when BASETEN_CLI_PATH is set) against the loopback BEI stand-in.</summary>
[Collection(ProcessEnvironment.Name)]
public sealed class EmbedCliTests : IAsyncLifetime
{
    private const string Key = "cli-embed-key-0123456789";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);
    private LoopbackServer _server = null!;
    private readonly BeiStandIn _bei = new();

    public async Task InitializeAsync() => _server = BeiStandIn.Attach(await LoopbackServer.StartAsync(), _bei);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Lines(int count) => string.Concat(BeiStandIn.Inputs(count).Select(t => t + "\n"));

    // Read while the CLI may still be writing the file.
    private static int NewlinesIn(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file);
        return reader.ReadToEnd().Count(c => c == '\n');
    }

    private static void AssertJsonLines(string text, int count)
    {
        string[] lines = text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(count, lines.Length);
        for (int i = 0; i < count; i++)
        {
            using JsonDocument line = JsonDocument.Parse(lines[i]);
            Assert.Equal(i, line.RootElement.GetProperty("index").GetInt32());
            Assert.Equal(BeiStandIn.VectorOf(i), line.RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray());
        }
    }

    [Theory]
    [InlineData("base64", new string[0], "/environments/production/sync/v1/embeddings")]
    [InlineData("float", new[] { "--environment", "staging" }, "/environments/staging/sync/v1/embeddings")]
    [InlineData("base64", new[] { "--deployment", "d1" }, "/deployment/d1/sync/v1/embeddings")]
    public async Task Embed_ReadsLinesFromStandardInput_AndWritesJsonLinesInInputOrder(string encoding, string[] target, string path)
    {
        CliResult result = await CliProcessTests.RunAsync(Key, Lines(23), ["embed", "--model", "abc123", .. target, "--input", "-", "--batch-size", "5", "--concurrency", "3", "--encoding", encoding, "--base-url", _server.BaseAddress.ToString()]);

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        AssertJsonLines(result.Output, 23);
        Assert.Equal(5, _server.Requests.Count);
        Assert.All(_server.Requests, r => Assert.Equal(path, r.RawTarget));
        Assert.Contains(_server.Requests, r => Encoding.UTF8.GetString(r.Body).Contains("\"encoding_format\":\"" + encoding + "\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Embed_WritesTheOutputFile_AndPrintsNothingWhenStandardErrorIsNotATerminal()
    {
        string input = Path.GetTempFileName();
        string output = Path.GetTempFileName();
        await File.WriteAllTextAsync(input, Lines(300));

        CliResult result = await CliProcessTests.RunAsync(Key, null, "embed", "--model", "abc123", "--input", input, "--output", output, "--base-url", _server.BaseAddress.ToString());

        Assert.Equal((0, string.Empty, string.Empty), (result.ExitCode, result.Output, result.Error));
        AssertJsonLines(await File.ReadAllTextAsync(output), 300);
    }

    [Fact]
    public async Task DryRun_PrintsTheFirstRequestOnly_WithTheKeyRedacted()
    {
        CliResult result = await CliProcessTests.RunAsync(Key, Lines(10), "embed", "--model", "abc123", "--input", "-", "--batch-size", "4", "--dry-run");

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.StartsWith("POST https://model-abc123.api.baseten.co/environments/production/sync/v1/embeddings HTTP/1.1\n", result.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("""{"input":["t0","t1","t2","t3"],"model":"model","encoding_format":"base64"}""", result.Output, StringComparison.Ordinal);
        Assert.Single(result.Output.Split("POST "), part => part.Length > 0);
        Assert.DoesNotContain(Key, result.Output, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task AFailedBatch_ExitsWithOneLineNamingItsInputs()
    {
        _bei.Before = (first, _, _) => Task.FromResult<int?>(first == "t10" ? 529 : null);

        CliResult result = await CliProcessTests.RunAsync(Key, Lines(30), "embed", "--model", "abc123", "--input", "-", "--batch-size", "10", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("baseten: error: The batch of inputs 10 to 19 failed", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData(new[] { "--input", "-" }, "option --model is required")]
    [InlineData(new[] { "--model", "m" }, "option --input is required")]
    [InlineData(new[] { "--model", "m", "--input", "-", "--encoding", "int8" }, "--encoding is float or base64")]
    [InlineData(new[] { "--model", "m", "--input", "-", "--batch-size", "0" }, "--batch-size must be a whole number from 1 to 1024")]
    [InlineData(new[] { "--model", "m", "--input", "-", "--environment", "a", "--deployment", "b" }, "give --environment or --deployment, not both")]
    public async Task ABadCommandLine_ExitsTwoWithOneLine(string[] args, string message)
    {
        CliResult result = await CliProcessTests.RunAsync(Key, "", ["embed", .. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    /// <summary>Ctrl+C (SIGINT) in the middle of a job: exit 130 at once, and the output file holds whole lines only, in order.</summary>
    [Fact]
    public async Task Interrupt_Exits130_LeavingOnlyCompleteLines()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        _bei.Before = async (first, _, token) =>
        {
            await Task.Delay(BeiStandIn.IndexOf(first) < 40 ? 0 : Timeout.Infinite, token);
            return null;
        };
        string input = Path.GetTempFileName();
        string output = Path.GetTempFileName();
        await File.WriteAllTextAsync(input, Lines(200));
        using Process process = CliProcessTests.Start(Key, "embed", "--model", "abc123", "--input", input, "--output", output, "--batch-size", "10", "--concurrency", "4", "--base-url", _server.BaseAddress.ToString());
        Task<string> errors = process.StandardError.ReadToEndAsync();
        // Interrupted once the first 40 lines are written and the batches after them hang: waiting for
        // requests in flight alone can see the first four batches, before anything was written.
        using (var waited = new CancellationTokenSource(s_bound))
        {
            while (_bei.InFlight < 4 || NewlinesIn(output) < 40)
            {
                await Task.Delay(10, waited.Token);
            }
        }

        using (Process kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().WaitAsync(s_bound);
        }

        await process.WaitForExitAsync().WaitAsync(s_bound);
        Assert.Equal(130, process.ExitCode);
        Assert.Contains("canceled", await errors, StringComparison.Ordinal);
        string written = await File.ReadAllTextAsync(output);
        Assert.True(written.Length == 0 || written.EndsWith('\n'), "the output ends mid-line");
        AssertJsonLines(written, written.Count(c => c == '\n'));
        Assert.Equal(40, written.Count(c => c == '\n'));
    }
}
