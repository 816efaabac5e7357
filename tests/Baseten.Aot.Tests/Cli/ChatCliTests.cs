using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Tests;

/// <summary><c>baseten chat</c> and <c>baseten models</c> as a separate process against the loopback server.</summary>
[Collection(ProcessEnvironment.Name)]
public sealed class ChatCliTests : IAsyncLifetime
{
    private const string Key = "cli-chat-key-0123456789";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Sse(params string[] data) => string.Concat(data.Select(d => "data: " + d + "\n\n"));

    private void RespondEvents(string body)
        => _server.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(body);
        };

    private static readonly string s_answer = Sse(
        """{"choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Hm, "}}]}""",
        """{"choices":[{"index":0,"delta":{"reasoning_content":"easy."}}]}""",
        """{"choices":[{"index":0,"delta":{"content":"Four"}}]}""",
        """{"choices":[{"index":0,"delta":{"content":"."},"finish_reason":"stop"}]}""",
        """{"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":6,"total_tokens":17,"completion_tokens_details":{"reasoning_tokens":4}}}""",
        "[DONE]");

    [Theory]
    [InlineData(new[] { "--model-api", "openai/gpt-oss-120b" }, "/v1/chat/completions", "openai/gpt-oss-120b")]
    [InlineData(new[] { "--model", "abc123" }, "/environments/production/sync/v1/chat/completions", null)]
    [InlineData(new[] { "--model", "abc123", "--environment", "staging" }, "/environments/staging/sync/v1/chat/completions", null)]
    [InlineData(new[] { "--model", "abc123", "--deployment", "d1" }, "/deployment/d1/sync/v1/chat/completions", null)]
    public async Task Chat_SendsTheMessageToTheTargetsRoute_AndPrintsTheAnswer(string[] target, string path, string? model)
    {
        RespondEvents(s_answer);

        CliResult result = await CliProcessTests.RunAsync(Key, null, ["chat", .. target, "--system", "Be brief.", "What is 2+2?", "--base-url", _server.BaseAddress.ToString()]);

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.Equal("Four.\n", result.Output.ReplaceLineEndings("\n"));
        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", path), (request.Method, request.RawTarget));
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        using JsonDocument body = JsonDocument.Parse(request.Body);
        Assert.Equal(model, body.RootElement.TryGetProperty("model", out JsonElement sent) ? sent.GetString() : null);
        Assert.Equal(["system", "user"], body.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("What is 2+2?", body.RootElement.GetProperty("messages")[1].GetProperty("content").GetString());
        Assert.True(body.RootElement.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task Chat_ReadsTheMessageFromStandardInput_PrintsReasoningToStandardError_AndUsageWithVerbose()
    {
        RespondEvents(s_answer);

        CliResult result = await CliProcessTests.RunAsync(Key, "What is 2+2?\n", "chat", "--model-api", "m", "--reasoning", "--verbose", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Four.\n", result.Output.ReplaceLineEndings("\n"));
        Assert.Contains("Hm, easy.\n", result.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("baseten: finish: stop, tokens: 11 prompt, 6 completion (4 reasoning), 17 total", result.Error, StringComparison.Ordinal);
        Assert.Contains("attempt 1: POST", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Error, StringComparison.Ordinal);
        using JsonDocument body = JsonDocument.Parse(_server.Requests.Single().Body);
        Assert.Equal("What is 2+2?", body.RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Chat_WritesTheFirstToken_BeforeTheServerHasWrittenTheNext()
    {
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(Sse("""{"choices":[{"index":0,"delta":{"content":"first\n"}}]}"""));
            await context.Response.Body.FlushAsync();
            await proceed.Task.WaitAsync(s_bound);
            await context.Response.WriteAsync(Sse("""{"choices":[{"index":0,"delta":{"content":"last"}}]}""", "[DONE]"));
        };
        using Process process = CliProcessTests.Start(Key, ["chat", "--model-api", "m", "hi", "--base-url", _server.BaseAddress.ToString()]);
        try
        {
            Assert.Equal("first", await process.StandardOutput.ReadLineAsync().WaitAsync(s_bound));
            Assert.False(proceed.Task.IsCompleted);

            proceed.SetResult();
            Assert.Equal("last\n", (await process.StandardOutput.ReadToEndAsync().WaitAsync(s_bound)).ReplaceLineEndings("\n"));
            await process.WaitForExitAsync().WaitAsync(s_bound);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            proceed.TrySetResult();
            EndIfRunning(process);
        }
    }

    [Fact]
    public async Task Chat_InterruptedMidStream_Exits130_WithoutAStackTrace()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(Sse("""{"choices":[{"index":0,"delta":{"content":"started\n"}}]}"""));
            await context.Response.Body.FlushAsync();
            await release.Task.WaitAsync(s_bound);
        };
        using Process process = CliProcessTests.Start(Key, ["chat", "--model-api", "m", "hi", "--base-url", _server.BaseAddress.ToString()]);
        try
        {
            Assert.Equal("started", await process.StandardOutput.ReadLineAsync().WaitAsync(s_bound));
            Task<string> errors = process.StandardError.ReadToEndAsync();

            using (Process signal = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await signal.WaitForExitAsync().WaitAsync(s_bound);
            }

            await process.WaitForExitAsync().WaitAsync(s_bound);
            Assert.Equal(130, process.ExitCode);
            Assert.DoesNotContain("   at ", await errors.WaitAsync(s_bound), StringComparison.Ordinal);
        }
        finally
        {
            release.TrySetResult();
            EndIfRunning(process);
        }
    }

    [Fact]
    public async Task Chat_AnErrorInTheMiddleOfTheAnswer_IsOneLine_ExitCode1_WithoutTheKey()
    {
        RespondEvents(Sse("""{"choices":[{"index":0,"delta":{"content":"Fo"}}]}""", "{\"error\":{\"message\":\"engine died\\nat " + Key + "\"}}", "[DONE]"));

        CliResult result = await CliProcessTests.RunAsync(Key, null, "chat", "--model-api", "m", "hi", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Fo", result.Output);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Contains("in the middle of its event stream: engine died", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_AnAnswerCutShort_IsExitCode1_AndSaysSo()
    {
        RespondEvents(Sse("""{"choices":[{"index":0,"delta":{"content":"Fo"}}]}"""));

        CliResult result = await CliProcessTests.RunAsync(Key, null, "chat", "--model-api", "m", "hi", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("[DONE]", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_PrintsTheRequestToModelApis_KeyRedacted_AndSendsNothing()
    {
        CliResult result = await CliProcessTests.RunAsync(Key, null, "chat", "--model-api", "openai/gpt-oss-120b", "hello", "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("POST https://inference.baseten.co/v1/chat/completions HTTP/1.1\n", result.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer ***", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"model\":\"openai/gpt-oss-120b\"", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Output, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Models_ListsTheCatalog_OneSlugALine()
    {
        _server.RespondJson(200, """{"object":"list","data":[{"id":"openai/gpt-oss-120b"},{"id":"zai-org/GLM-4.7"}]}""");

        CliResult result = await CliProcessTests.RunAsync(Key, null, "models", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.Equal("openai/gpt-oss-120b\nzai-org/GLM-4.7\n", result.Output.ReplaceLineEndings("\n"));
        Assert.Equal(("GET", "/v1/models"), (_server.Requests.Single().Method, _server.Requests.Single().RawTarget));
    }

    [Theory]
    [InlineData(new[] { "chat", "hi" }, "give one of --model-api and --model")]
    [InlineData(new[] { "chat", "--model-api", "m", "--environment", "staging", "hi" }, "--environment and --deployment choose a deployment of --model")]
    [InlineData(new[] { "chat", "--model", "a", "--environment", "e", "--deployment", "d", "hi" }, "give --environment or --deployment, not both")]
    [InlineData(new[] { "chat", "--model-api", "m", "one", "two" }, "unexpected argument 'two'")]
    [InlineData(new[] { "models", "--system", "x" }, "unknown option '--system'")]
    public async Task BadCommandLines_AreOneLine_ExitCode2(string[] args, string message)
    {
        CliResult result = await CliProcessTests.RunAsync(Key, null, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    private static void EndIfRunning(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
        }
    }
}
