using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Tests;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Lambda.Tests;

/// <summary>
/// <c>bootstrap</c> as Lambda runs it: a process of its own, configured by environment variables,
/// talking to the runtime API at AWS_LAMBDA_RUNTIME_API. The NativeAOT binary named by
/// BASETEN_LAMBDA_PATH (CI publishes it and sets this), else the JIT build beside the tests.
/// </summary>
public sealed class BootstrapProcessTests : IAsyncLifetime
{
    private const string Key = "lambda-process-key-0123456789";
    private static readonly TimeSpan s_bound = FakeLambdaRuntime.Bound;
    private FakeLambdaRuntime _runtime = null!;
    private LoopbackServer _baseten = null!;

    public async Task InitializeAsync()
    {
        _runtime = await FakeLambdaRuntime.StartAsync();
        _baseten = await LoopbackServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _baseten.DisposeAsync();
        await _runtime.DisposeAsync();
    }

    [Fact]
    public async Task Bootstrap_AnswersAnInvocation_WithTheModelsOutput()
    {
        _baseten.RespondJson(200, """{"output": "Hello from the model"}""");
        await using BootstrapProcess bootstrap = Start(Key);

        _runtime.Enqueue(new LambdaEvent("req-1", """{"prompt": "Say hello"}""", TimeSpan.FromMinutes(1)));
        Posted posted = await _runtime.NextPostedAsync();

        Assert.Equal(("response", "req-1"), (posted.Kind, posted.RequestId));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"output": "Hello from the model"}"""), JsonNode.Parse(posted.Body)), posted.Body);
        (string output, string error) = await bootstrap.StopAsync();
        Assert.Equal((string.Empty, string.Empty), (output, error));
    }

    [Fact]
    public async Task Bootstrap_ReportsABasetenError_WithStatusAndRequestId_AndNeverPrintsOrPostsTheKey()
    {
        _baseten.Respond = async context =>
        {
            context.Response.StatusCode = 500;
            context.Response.Headers["X-BASETEN-REQUEST-ID"] = "req-baseten-9";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"error": "crashed while holding {{Key}}"}""");
        };
        await using BootstrapProcess bootstrap = Start(Key);

        _runtime.Enqueue(new LambdaEvent("req-1", """{"prompt": "x"}""", TimeSpan.FromMinutes(1)));
        Posted posted = await _runtime.NextPostedAsync();

        Assert.Equal(("error", "Baseten.ApiError"), (posted.Kind, posted.ErrorTypeHeader));
        JsonElement error = JsonDocument.Parse(posted.Body).RootElement;
        Assert.Equal((500, "req-baseten-9"), (error.GetProperty("basetenStatus").GetInt32(), error.GetProperty("basetenRequestId").GetString()));
        Assert.Equal("[request req-baseten-9] POST /production/predict failed with 500 (Internal Server Error): crashed while holding ***", error.GetProperty("errorMessage").GetString());
        (string output, string log) = await bootstrap.StopAsync();
        Assert.Equal(string.Empty, output);
        Assert.Equal("req-1 Baseten.ApiError: [request req-baseten-9] POST /production/predict failed with 500 (Internal Server Error): crashed while holding ***\n", log.ReplaceLineEndings("\n"));
        AssertNoKey(output + log);
    }

    [Fact]
    public async Task Bootstrap_ReportsATimeout_WhenTheDeadlineIsTooClose_OrComesWhileTheModelRuns()
    {
        _baseten.Respond = async context => await Task.Delay(Timeout.Infinite, context.RequestAborted).WaitAsync(s_bound);
        await using BootstrapProcess bootstrap = Start(Key);

        // Too close: within the margin already. Then one the model cannot meet (the stand-in never answers).
        _runtime.Enqueue(new LambdaEvent("req-close", """{"prompt": "x"}""", TimeSpan.FromMilliseconds(100)));
        _runtime.Enqueue(new LambdaEvent("req-slow", """{"prompt": "x"}""", PredictFunction.DeadlineMargin + TimeSpan.FromSeconds(1)));
        Posted close = await _runtime.NextPostedAsync();
        Posted slow = await _runtime.NextPostedAsync();

        Assert.Equal(("error", "req-close", "Function.Timeout"), (close.Kind, close.RequestId, close.ErrorTypeHeader));
        Assert.Equal(("error", "req-slow", "Function.Timeout"), (slow.Kind, slow.RequestId, slow.ErrorTypeHeader));
        Assert.True(_baseten.Requests.Count <= 1);
        (string output, string log) = await bootstrap.StopAsync();
        AssertNoKey(output + log);
    }

    [Fact]
    public async Task Bootstrap_WithoutAKey_PostsAnInitError_AndExits()
    {
        await using BootstrapProcess bootstrap = Start(null);

        int exitCode = await bootstrap.WaitForExitAsync();
        Posted posted = await _runtime.NextPostedAsync();

        Assert.Equal(1, exitCode);
        Assert.Equal(("init/error", "Runtime.APIKeyNotFound"), (posted.Kind, posted.ErrorTypeHeader));
        Assert.StartsWith("BASETEN_API_KEY is not set", JsonDocument.Parse(posted.Body).RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_runtime.Requests, request => request.Method == "GET");
    }

    private void AssertNoKey(string printed)
    {
        Assert.DoesNotContain(Key, printed, StringComparison.Ordinal);
        foreach (RecordedRequest request in _runtime.Requests)
        {
            Assert.DoesNotContain(Key, System.Text.Encoding.UTF8.GetString(request.Body), StringComparison.Ordinal);
            Assert.All(request.Headers.Values, value => Assert.DoesNotContain(Key, value, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Bootstrap_InChatMode_AnswersWithTheLLMsText()
    {
        _baseten.RespondJson(200, """{"id":"c1","object":"chat.completion","model":"openai/gpt-oss-120b","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""");
        await using BootstrapProcess bootstrap = Start(Key, new Dictionary<string, string?> { ["BASETEN_FUNCTION"] = "chat", ["BASETEN_MODEL"] = "openai/gpt-oss-120b", ["BASETEN_MODEL_ID"] = null });

        _runtime.Enqueue(new LambdaEvent("req-chat", """{"prompt": "Say hello", "system": "Be brief."}""", TimeSpan.FromMinutes(1)));
        Posted posted = await _runtime.NextPostedAsync();

        Assert.Equal(("response", "req-chat"), (posted.Kind, posted.RequestId));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"output":"Hello!","model":"openai/gpt-oss-120b","finish_reason":"stop","usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}"""),
            JsonNode.Parse(posted.Body)), posted.Body);
        RecordedRequest chat = Assert.Single(_baseten.Requests);
        Assert.Equal("/v1/chat/completions", chat.RawTarget);
        using JsonDocument sent = JsonDocument.Parse(chat.Body);
        Assert.Equal("openai/gpt-oss-120b", sent.RootElement.GetProperty("model").GetString());
        Assert.Equal(2, sent.RootElement.GetProperty("messages").GetArrayLength());
        (string output, string error) = await bootstrap.StopAsync();
        Assert.Equal((string.Empty, string.Empty), (output, error));
    }

    private BootstrapProcess Start(string? apiKey, IReadOnlyDictionary<string, string?>? settings = null)
    {
        string? native = Environment.GetEnvironmentVariable("BASETEN_LAMBDA_PATH");
        var start = new ProcessStartInfo(native ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (native is null)
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bootstrap.dll"));
        }

        foreach (string name in new[] { "BASETEN_API_KEY", "BASETEN_MODEL_ID", "BASETEN_ENVIRONMENT", "BASETEN_BASE_URL", "BASETEN_FUNCTION", "BASETEN_MODEL", "_X_AMZN_TRACE_ID" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["AWS_LAMBDA_RUNTIME_API"] = _runtime.Address;
        start.Environment["BASETEN_MODEL_ID"] = "abc123";
        start.Environment["BASETEN_BASE_URL"] = _baseten.BaseAddress.ToString();
        if (apiKey is not null)
        {
            start.Environment["BASETEN_API_KEY"] = apiKey;
        }

        foreach ((string name, string? value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return new BootstrapProcess(Process.Start(start)!);
    }

    /// <summary>The running bootstrap, its output read as it comes; killed if a test leaves it running.</summary>
    private sealed class BootstrapProcess(Process process) : IAsyncDisposable
    {
        private readonly Task<string> _output = process.StandardOutput.ReadToEndAsync();
        private readonly Task<string> _error = process.StandardError.ReadToEndAsync();

        public async Task<int> WaitForExitAsync()
        {
            await process.WaitForExitAsync().WaitAsync(s_bound);
            return process.ExitCode;
        }

        /// <summary>Ends the process as Lambda does (it never exits on its own) and returns what it printed.</summary>
        public async Task<(string Output, string Error)> StopAsync()
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(s_bound);
            return (await _output.WaitAsync(s_bound), await _error.WaitAsync(s_bound));
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(s_bound);
            }

            process.Dispose();
        }
    }
}
