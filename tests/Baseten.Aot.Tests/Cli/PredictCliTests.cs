using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Tests;

/// <summary><c>baseten predict</c> as a separate process against the loopback server.</summary>
[Collection(ProcessEnvironment.Name)]
public sealed class PredictCliTests : IAsyncLifetime
{
    private const string Key = "cli-predict-key-0123456789";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(new[] { "--model", "abc123" }, "/production/predict")]
    [InlineData(new[] { "--model", "abc123", "--environment", "staging" }, "/environments/staging/predict")]
    [InlineData(new[] { "--model", "abc123", "--deployment", "d1" }, "/deployment/d1/predict")]
    [InlineData(new[] { "--chain", "ch9", "--environment", "staging" }, "/environments/staging/run_remote")]
    public async Task Predict_SendsTheBodyToTheTargetsRoute_AndPrintsTheOutput(string[] target, string path)
    {
        _server.RespondJson(200, """{"text":"hi"}""");

        CliResult result = await CliProcessTests.RunAsync(Key, """{"prompt":"x"}""", ["predict", .. target, "--body", "-", "--base-url", _server.BaseAddress.ToString()]);

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.Equal("{\"text\":\"hi\"}\n", result.Output.ReplaceLineEndings("\n"));
        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", path), (request.Method, request.RawTarget));
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        Assert.Equal("""{"prompt":"x"}""", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task Predict_WritesTheFirstChunk_BeforeTheModelHasWrittenTheLast()
    {
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: first\n\n");
            await context.Response.Body.FlushAsync();
            await proceed.Task.WaitAsync(s_bound);
            await context.Response.WriteAsync("data: last\n\n");
        };
        string body = Path.GetTempFileName();
        await File.WriteAllTextAsync(body, "{}");
        using Process process = CliProcessTests.Start(Key, "predict", "--model", "abc123", "--body", body, "--base-url", _server.BaseAddress.ToString());
        try
        {
            string? first = await process.StandardOutput.ReadLineAsync().WaitAsync(s_bound);
            Assert.Equal("data: first", first);
            Assert.False(proceed.Task.IsCompleted);

            proceed.SetResult();
            string rest = await process.StandardOutput.ReadToEndAsync().WaitAsync(s_bound);
            await process.WaitForExitAsync().WaitAsync(s_bound);
            Assert.Equal("\ndata: last\n\n", rest.ReplaceLineEndings("\n"));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            proceed.TrySetResult();
            File.Delete(body);
        }
    }

    [Fact]
    public async Task DryRun_PrintsTheRequestToTheModelsHost_KeyRedacted_AndSendsNothing()
    {
        CliResult result = await CliProcessTests.RunAsync(Key, """{"prompt":"x"}""", "predict", "--model", "abc123", "--deployment", "d1", "--body", "-", "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("POST https://model-abc123.api.baseten.co/deployment/d1/predict HTTP/1.1\n", result.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer ***", result.Output, StringComparison.Ordinal);
        Assert.Contains("""{"prompt":"x"}""", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Output, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ApiError_IsOneLine_WithTheRequestId_ExitCode1()
    {
        _server.Respond = async context =>
        {
            context.Response.StatusCode = 400;
            context.Response.Headers["X-BASETEN-REQUEST-ID"] = "req-cli-1";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"error\":\"bad input\\nsecond line " + Key + "\"}");
        };

        CliResult result = await CliProcessTests.RunAsync(Key, "{}", "predict", "--model", "abc123", "--body", "-", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Contains("[request req-cli-1] POST /production/predict failed with 400", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "predict", "--model", "a", "--chain", "b", "--body", "-" }, "give one of --model and --chain")]
    [InlineData(new[] { "predict", "--body", "-" }, "give one of --model and --chain")]
    [InlineData(new[] { "predict", "--model", "a" }, "option --body is required")]
    [InlineData(new[] { "predict", "--model", "a", "--environment", "e", "--deployment", "d", "--body", "-" }, "give --environment or --deployment, not both")]
    [InlineData(new[] { "predict", "--model", "a/b", "--body", "-" }, "letters, digits")]
    public async Task BadCommandLine_IsOneLine_ExitCode2(string[] args, string expected)
    {
        CliResult result = await CliProcessTests.RunAsync(Key, "{}", args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task BodyThatIsNotJson_IsOneLine_ExitCode2()
    {
        CliResult result = await CliProcessTests.RunAsync(Key, "not json", "predict", "--model", "abc123", "--body", "-", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("standard input is not JSON", result.Error, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }
}
