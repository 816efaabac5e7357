using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Cli;
using Baseten.Aot.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Baseten.Aot.Tests;

/// <summary>
/// <c>--verbose</c> as a separate process against the loopback server: one line per attempt and per
/// retry on standard error, standard output as without it, the key never shown.
/// </summary>
[Collection(ProcessEnvironment.Name)]
public sealed class VerboseCliTests : IAsyncLifetime
{
    // Characters that URL-escaping changes, so that the escaped form is a different string to find.
    private const string Key = "vb-Key/4+Zq9=secret-7731";
    private LoopbackServer _server = null!;
    private int _calls;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Verbose_CreateEnvironment_LogsBothAttemptsAndTheRetry_StdoutUnchanged()
    {
        RespondUnavailableThen(200, SeedData.ResponseExample, "Service Unavailable");
        string[] args = ["chains", "create-environment", "abc", "--name", "staging", "--base-url", _server.BaseAddress.ToString()];

        CliResult plain = await CliProcessTests.RunAsync(Key, null, args);
        _calls = 0;
        CliResult verbose = await CliProcessTests.RunAsync(Key, null, [.. args, "--verbose"]);

        Assert.Equal((0, string.Empty), (plain.ExitCode, plain.Error));
        Assert.Equal(0, verbose.ExitCode);
        Assert.Equal(plain.Output, verbose.Output);
        Assert.Contains("\"name\": \"staging\"", verbose.Output, StringComparison.Ordinal);
        string url = Regex.Escape(_server.BaseAddress + "v1/chains/abc/environments");
        string[] lines = Lines(verbose.Error);
        Assert.Equal(3, lines.Length);
        Assert.Matches("^baseten: attempt 1: POST " + url + @" -> 503 Service Unavailable in \d+ ms \(x-baseten-request-id: req-1\)$", lines[0]);
        Assert.Equal("baseten: retrying: attempt 2 of at most 3, in 0 ms as the server asked", lines[1]);
        Assert.Matches("^baseten: attempt 2: POST " + url + @" -> 200 OK in \d+ ms \(x-baseten-request-id: req-2\)$", lines[2]);

        // The key was sent with both attempts, and printed nowhere.
        Assert.Equal(4, _server.Requests.Count);
        Assert.All(_server.Requests, request => Assert.Equal("Api-Key " + Key, request.Headers["Authorization"]));
        AssertNoKey(verbose);
    }

    [Fact]
    public async Task Verbose_Predict_LogsTheAttempt_StdoutUnchanged()
    {
        // One attempt: predict's retries are shown by Verbose_RefusedConnection_SaysSoForEachAttempt,
        // since the raw JSON bytes it sends (ReadOnlyMemoryContent) are not one of the bodies the
        // transport counts as re-sendable, so a 503 with Retry-After is not repeated for it today.
        _server.Respond = async context =>
        {
            context.Response.Headers["x-baseten-request-id"] = "req-1";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"text":"hi"}""");
        };
        string[] args = ["--model", "abc123", "--body", "-", "--base-url", _server.BaseAddress.ToString()];

        CliResult plain = await CliProcessTests.RunAsync(Key, "{}", ["predict", .. args]);
        CliResult verbose = await CliProcessTests.RunAsync(Key, "{}", ["predict", "-v", .. args]);

        Assert.Equal((0, string.Empty), (plain.ExitCode, plain.Error));
        Assert.Equal(0, verbose.ExitCode);
        Assert.Equal("{\"text\":\"hi\"}\n", verbose.Output.ReplaceLineEndings("\n"));
        Assert.Equal(plain.Output, verbose.Output);
        string url = Regex.Escape(_server.BaseAddress + "production/predict");
        Assert.Matches("^baseten: attempt 1: POST " + url + @" -> 200 OK in \d+ ms \(x-baseten-request-id: req-1\)$", Assert.Single(Lines(verbose.Error)));
        Assert.All(_server.Requests, request => Assert.Equal("Bearer " + Key, request.Headers["Authorization"]));
        AssertNoKey(verbose);
    }

    [Fact]
    public async Task Verbose_ServerControlCharactersInTheReasonPhrase_NeverReachTheTerminal()
    {
        RespondUnavailableThen(200, SeedData.ResponseExample, "Busy \u001b[2J\u001b]52;c;cHduZWQ=\u0007 gotcha");

        CliResult result = await CliProcessTests.RunAsync(Key, null, "chains", "create-environment", "abc", "--name", "x", "--base-url", _server.BaseAddress.ToString(), "--verbose");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(" -> 503 Busy ?[2J?]52;c;cHduZWQ=? gotcha in ", Lines(result.Error)[0], StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Error);
        Assert.DoesNotContain('\u0007', result.Error);
    }

    [Fact]
    public async Task Verbose_KeyEchoedByTheServer_IsRedactedInEveryForm()
    {
        // A server that quotes the key back, raw in the reason phrase and URL-escaped in the request id.
        RespondUnavailableThen(200, SeedData.ResponseExample, "Busy for " + Key, requestIdPrefix: Uri.EscapeDataString(Key) + "-");

        CliResult result = await CliProcessTests.RunAsync(Key, null, "chains", "create-environment", "abc", "--name", "x", "--base-url", _server.BaseAddress.ToString(), "--verbose");

        Assert.Equal(0, result.ExitCode);
        string[] lines = Lines(result.Error);
        Assert.Matches(@" -> 503 Busy for \*\*\* in \d+ ms \(x-baseten-request-id: \*\*\*-1\)$", lines[0]);
        Assert.EndsWith("(x-baseten-request-id: ***-2)", lines[2], StringComparison.Ordinal);
        AssertNoKey(result);
    }

    [Fact]
    public async Task Verbose_RefusedConnection_SaysSoForEachAttempt()
    {
        // A port bound but not listening refuses every connection, and stays ours while the test runs.
        using var bound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        bound.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var address = new Uri("http://127.0.0.1:" + ((IPEndPoint)bound.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/");

        CliResult result = await CliProcessTests.RunAsync(Key, "{}", "predict", "--model", "abc123", "--body", "-", "--base-url", address.ToString(), "--verbose");

        Assert.Equal((3, string.Empty), (result.ExitCode, result.Output));
        string url = Regex.Escape(address + "production/predict");
        string[] lines = Lines(result.Error);
        Assert.Equal(6, lines.Length);
        Assert.Matches("^baseten: attempt 1: POST " + url + @" -> connection refused after \d+ ms$", lines[0]);
        Assert.Equal("baseten: retrying: attempt 2 of at most 3, after a backoff", lines[1]);
        Assert.Matches(@"^baseten: attempt 2: .* -> connection refused after \d+ ms$", lines[2]);
        Assert.Equal("baseten: retrying: attempt 3 of at most 3, after a backoff", lines[3]);
        Assert.Matches(@"^baseten: attempt 3: .* -> connection refused after \d+ ms$", lines[4]);
        Assert.StartsWith("baseten: error: cannot reach the API", lines[5], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_ErrorThatIsNotRetried_IsOneAttemptLine_ThenTheErrorLine()
    {
        // A POST answered 500 may have been acted on: it is not repeated, and no retry line is written.
        _server.RespondJson(500, """{"error":"boom"}""");

        CliResult result = await CliProcessTests.RunAsync(Key, null, "chains", "create-environment", "abc", "--name", "x", "--base-url", _server.BaseAddress.ToString(), "-v");

        Assert.Equal((1, string.Empty), (result.ExitCode, result.Output));
        string[] lines = Lines(result.Error);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^baseten: attempt 1: POST .* -> 500 Internal Server Error in \d+ ms$", lines[0]);
        Assert.Equal("baseten: error: POST /v1/chains/abc/environments failed with 500 (Internal Server Error): boom", lines[1]);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Verbose_WithDryRun_PrintsTheSameRequest_AndNoAttemptLine()
    {
        string[] args = ["chains", "create-environment", "abc", "--name", "staging", "--dry-run", "--base-url", _server.BaseAddress.ToString()];

        CliResult plain = await CliProcessTests.RunAsync(Key, null, args);
        CliResult verbose = await CliProcessTests.RunAsync(Key, null, [.. args, "--verbose"]);

        Assert.Equal((0, string.Empty, plain.Output), (verbose.ExitCode, verbose.Error, verbose.Output));
        Assert.Empty(_server.Requests);
    }

    // The first request of a run is answered 503 with Retry-After: 0 and the given reason phrase,
    // the next with the status and JSON; each with a request id ending in the attempt's number.
    private void RespondUnavailableThen(int status, string json, string reasonPhrase, string requestIdPrefix = "req-")
        => _server.Respond = async context =>
        {
            int call = Interlocked.Increment(ref _calls);
            context.Response.Headers["x-baseten-request-id"] = requestIdPrefix + call.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (call == 1)
            {
                context.Response.StatusCode = 503;
                context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = reasonPhrase;
                context.Response.Headers.RetryAfter = "0";
                return;
            }

            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
        };

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    private static void AssertNoKey(CliResult result)
    {
        foreach (string form in new[] { Key, Uri.EscapeDataString(Key), "secret-7731" })
        {
            Assert.DoesNotContain(form, result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(form, result.Error, StringComparison.Ordinal);
        }
    }
}

/// <summary><c>--verbose</c> in process: the grammar, the help texts, and the line for failures a loopback server cannot stage quickly.</summary>
public sealed class VerboseCommandLineTests
{
    [Theory]
    [InlineData("--verbose")]
    [InlineData("-v")]
    public void Verbose_IsAnOptionOfEveryCommandThatCallsTheApi(string flag)
    {
        Assert.True(CommandLine.Parse(["chains", "create-environment", "abc", flag, "--name", "x"]).CreateEnvironment!.Verbose);
        Assert.True(CommandLine.Parse(["predict", flag, "--model", "m", "--body", "-"]).Predict!.Verbose);
        Assert.False(CommandLine.Parse(["chains", "create-environment", "abc", "--name", "x"]).CreateEnvironment!.Verbose);
        Assert.False(CommandLine.Parse(["predict", "--model", "m", "--body", "-"]).Predict!.Verbose);
    }

    [Theory]
    [InlineData("timeout", "timed out")]
    [InlineData("canceled", "canceled")]
    [InlineData("dns", "host not found")]
    [InlineData("ended", "connection closed before an answer")]
    [InlineData("io", "connection error")]
    public async Task AttemptLine_NamesTheKindOfFailure_NeverItsMessage(string failure, string kind)
    {
        // The message a failure carries may quote what the server sent: only its kind is shown.
        const string Quoted = "server said \u001b[2J something";
        using var cancel = new CancellationTokenSource();
        Exception thrown = failure switch
        {
            "timeout" or "canceled" => new OperationCanceledException(Quoted),
            "dns" => new HttpRequestException(HttpRequestError.NameResolutionError, Quoted),
            "ended" => new HttpRequestException(HttpRequestError.ResponseEnded, Quoted),
            _ => new IOException(Quoted),
        };
        if (failure == "canceled")
        {
            await cancel.CancelAsync();
        }

        using var error = new StringWriter();
        var log = new VerboseLog(error, "k", cancel.Token);
        var message = new ApiMessage(new ApiRequest(HttpMethod.Get, "/v1/things", "/v1/things"), new Uri("https://api.example.test/v1/things"), CancellationToken.None) { Attempt = 2 };

        Exception caught = await Assert.ThrowsAnyAsync<Exception>(async () => await log.ProcessAsync(message, [log, new FailAttempt(thrown)], 0));

        Assert.Same(thrown, caught);
        Assert.Matches(@"^baseten: attempt 2: GET https://api\.example\.test/v1/things -> " + kind + @" after \d+ ms$", error.ToString().TrimEnd());
    }

    [Fact]
    public void Verbose_TakesNoValue()
    {
        Assert.StartsWith("unknown option '--verbose'", CommandLine.Parse(["predict", "--verbose=yes", "--model", "m", "--body", "-"]).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chains", "create-environment", "--help")]
    [InlineData("predict", "--help", null)]
    public async Task Help_OfEachCommandThatCallsTheApi_ListsVerbose(string command, string second, string? third)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await BasetenCli.RunAsync(third is null ? [command, second] : [command, second, third], output, error);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("-v, --verbose", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("[--verbose]", output.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>The end of a pipeline that fails the attempt with a given exception.</summary>
internal sealed class FailAttempt(Exception exception) : ApiPolicy
{
    public override ValueTask ProcessAsync(ApiMessage message, IReadOnlyList<ApiPolicy> pipeline, int index) => ValueTask.FromException(exception);
}
