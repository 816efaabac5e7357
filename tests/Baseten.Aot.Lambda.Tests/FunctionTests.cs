using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Tests;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Lambda.Tests;

/// <summary>The function in its default mode: each event is the model's input, the model's output is the response.</summary>
public sealed class FunctionTests() : InProcessFunctionTests(Key, new() { ["BASETEN_MODEL_ID"] = "abc123" })
{
    private const string Key = "lambda-secret-key-0123456789";

    [Fact]
    public async Task Invocation_SendsTheEventAsTheModelsInput_AndPostsTheModelsOutputAsItsResponse()
    {
        Baseten.RespondJson(200, """{"output": "Hello from the model"}""");
        Start();

        Runtime.Enqueue(new LambdaEvent("req-1", """{"prompt": "Say hello", "max_tokens": 16}""", TimeSpan.FromMinutes(1), "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1"));
        Posted posted = await Runtime.NextPostedAsync();

        Assert.Equal(("response", "req-1", null), (posted.Kind, posted.RequestId, posted.ErrorTypeHeader));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"output": "Hello from the model"}"""), JsonNode.Parse(posted.Body)), posted.Body);
        RecordedRequest predict = Assert.Single(Baseten.Requests);
        Assert.Equal(("POST", "/production/predict"), (predict.Method, predict.RawTarget));
        Assert.Equal("Bearer " + Key, predict.Headers["Authorization"]);
        Assert.Equal("""{"prompt":"Say hello","max_tokens":16}""", Encoding.UTF8.GetString(predict.Body));
        Assert.Equal("Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1", Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"));
        Assert.Equal(string.Empty, Log);
    }

    [Fact]
    public async Task Invocations_AreServedOneAfterAnother_ThroughTheNamedEnvironment()
    {
        Baseten.RespondJson(200, """{"output": "ok"}""");
        Start(new() { ["BASETEN_ENVIRONMENT"] = "staging" });

        for (int i = 1; i <= 3; i++)
        {
            Runtime.Enqueue(new LambdaEvent("req-" + i, """{"prompt": "x"}""", TimeSpan.FromMinutes(1)));
            Posted posted = await Runtime.NextPostedAsync();
            Assert.Equal(("response", "req-" + i), (posted.Kind, posted.RequestId));
        }

        Assert.All(Baseten.Requests, request => Assert.Equal("/environments/staging/predict", request.RawTarget));
        Assert.Equal(3, Baseten.Requests.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task BasetenError_IsAnInvocationError_WithItsStatusAndRequestId(int status)
    {
        Baseten.Respond = async context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers["X-BASETEN-REQUEST-ID"] = "req-baseten-7";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"error": "the model refused"}""");
        };
        Start();

        Runtime.Enqueue(new LambdaEvent("req-1", """{"prompt": "x"}""", TimeSpan.FromMinutes(1)));
        Posted posted = await Runtime.NextPostedAsync();

        Assert.Equal(("error", "req-1", "Baseten.ApiError"), (posted.Kind, posted.RequestId, posted.ErrorTypeHeader));
        JsonElement error = JsonDocument.Parse(posted.Body).RootElement;
        Assert.Equal("Baseten.ApiError", error.GetProperty("errorType").GetString());
        Assert.Equal(status, error.GetProperty("basetenStatus").GetInt32());
        Assert.Equal("req-baseten-7", error.GetProperty("basetenRequestId").GetString());
        Assert.StartsWith($"[request req-baseten-7] POST /production/predict failed with {status} (", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("): the model refused", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, error.GetProperty("stackTrace").ValueKind);
        Assert.Equal(0, error.GetProperty("stackTrace").GetArrayLength());
        Assert.Single(Baseten.Requests);
        Assert.Equal($"req-1 Baseten.ApiError: {error.GetProperty("errorMessage").GetString()}\n", Log.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task OutputThatIsNotTheModelsOutput_IsAnInvocationError_WithTheStatus()
    {
        Baseten.RespondJson(200, """{"text": "not what the function expects"}""");
        Start();

        Runtime.Enqueue(new LambdaEvent("req-1", """{"prompt": "x"}""", TimeSpan.FromMinutes(1)));
        Posted posted = await Runtime.NextPostedAsync();

        Assert.Equal(("error", "Baseten.InvalidOutput"), (posted.Kind, posted.ErrorTypeHeader));
        Assert.Equal(200, JsonDocument.Parse(posted.Body).RootElement.GetProperty("basetenStatus").GetInt32());
    }

    [Fact]
    public async Task DeadlineReachedWhileTheModelRuns_CancelsThePredict_AndReportsATimeout()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Baseten.Respond = async context =>
        {
            arrived.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).WaitAsync(Bound);
            }
            catch (OperationCanceledException)
            {
                aborted.TrySetResult();
            }
        };
        Start();

        Runtime.Enqueue(new LambdaEvent("req-slow", """{"prompt": "x"}""", TimeSpan.FromSeconds(10)));
        await arrived.Task.WaitAsync(Bound);
        Clock.Advance(TimeSpan.FromSeconds(10) - PredictFunction.DeadlineMargin - TimeSpan.FromMilliseconds(1));
        Assert.True(Runtime.NothingMorePosted);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Posted posted = await Runtime.NextPostedAsync();

        Assert.Equal(("error", "req-slow", "Function.Timeout"), (posted.Kind, posted.RequestId, posted.ErrorTypeHeader));
        Assert.Contains("the predict was cancelled", JsonDocument.Parse(posted.Body).RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        await aborted.Task.WaitAsync(Bound);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(100)]
    [InlineData(0)]
    [InlineData(-2000)]
    public async Task DeadlineWithinTheMargin_ReportsATimeout_WithoutCallingTheModel(int deadlineInMilliseconds)
    {
        Baseten.RespondJson(200, """{"output": "ok"}""");
        Start();

        Runtime.Enqueue(new LambdaEvent("req-late", """{"prompt": "x"}""", TimeSpan.FromMilliseconds(deadlineInMilliseconds)));
        Posted posted = await Runtime.NextPostedAsync();

        Assert.Equal(("error", "req-late", "Function.Timeout"), (posted.Kind, posted.RequestId, posted.ErrorTypeHeader));
        Assert.Contains("the model was not called", JsonDocument.Parse(posted.Body).RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Empty(Baseten.Requests);
    }

    [Fact]
    public async Task NoDeadlineHeader_CallsTheModelWithoutOne()
    {
        Baseten.RespondJson(200, """{"output": "ok"}""");
        Start();

        Runtime.Enqueue(new LambdaEvent("req-1", """{"prompt": "x"}"""));

        Assert.Equal("response", (await Runtime.NextPostedAsync()).Kind);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"prompt": null}""")]
    [InlineData("""{"prompt": "x", "max_tokns": 5}""")]
    [InlineData("""{"prompt": "x", "max_tokens": "five"}""")]
    [InlineData("null")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task EventThatIsNotTheModelsInput_IsAnInvocationError_AndTheNextInvocationIsServed(string body)
    {
        Baseten.RespondJson(200, """{"output": "ok"}""");
        Start();

        Runtime.Enqueue(new LambdaEvent("req-bad", body, TimeSpan.FromMinutes(1)));
        Runtime.Enqueue(new LambdaEvent("req-good", """{"prompt": "x"}""", TimeSpan.FromMinutes(1)));
        Posted bad = await Runtime.NextPostedAsync();
        Posted good = await Runtime.NextPostedAsync();

        Assert.Equal(("error", "req-bad", "Function.InvalidEvent"), (bad.Kind, bad.RequestId, bad.ErrorTypeHeader));
        Assert.Equal(("response", "req-good"), (good.Kind, good.RequestId));
        Assert.Single(Baseten.Requests);
    }

    [Fact]
    public async Task BasetenUnreachable_IsAnInvocationError()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Start(new() { ["BASETEN_BASE_URL"] = $"http://127.0.0.1:{closedPort}/" });

        Runtime.Enqueue(new LambdaEvent("req-1", """{"prompt": "x"}""", TimeSpan.FromMinutes(1)));
        Posted posted = await Runtime.NextPostedAsync();

        Assert.Equal(("error", "Baseten.Unreachable"), (posted.Kind, posted.ErrorTypeHeader));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public async Task NoApiKey_IsAnInitError_AndTheFunctionExits(string? key)
    {
        await InitErrorAsync(new() { ["BASETEN_API_KEY"] = key }, "Runtime.APIKeyNotFound");
    }

    [Theory]
    [InlineData("BASETEN_BASE_URL", "not a url")]
    [InlineData("BASETEN_BASE_URL", "http://example.com/")]
    [InlineData("BASETEN_ENVIRONMENT", "..")]
    public async Task InvalidSetting_IsAnInitError_AndTheFunctionExits(string name, string value)
    {
        await InitErrorAsync(new() { [name] = value }, "Runtime.ConfigInvalid");
    }

    [Fact]
    public async Task NeitherModelIdNorBaseUrl_IsAnInitError_AndTheFunctionExits()
    {
        await InitErrorAsync(new() { ["BASETEN_MODEL_ID"] = null, ["BASETEN_BASE_URL"] = null }, "Runtime.ConfigInvalid");
    }

    [Fact]
    public async Task TheKeyNeverAppears_InAnythingPostedOrLogged_HoweverBasetenEchoesIt()
    {
        int calls = 0;
        Baseten.Respond = async context =>
        {
            context.Response.ContentType = "application/json";
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers["X-BASETEN-REQUEST-ID"] = "req-" + Key;
                await context.Response.WriteAsync($$"""{"error": "key {{Key}} is not valid"}""");
            }
            else
            {
                await context.Response.WriteAsync($$"""{"output": "you sent {{Key}}"}""");
            }
        };
        Start();

        Runtime.Enqueue(new LambdaEvent("req-1", """{"prompt": "x"}""", TimeSpan.FromMinutes(1)));
        Runtime.Enqueue(new LambdaEvent("req-2", """{"prompt": "x"}""", TimeSpan.FromMinutes(1)));
        Posted refused = await Runtime.NextPostedAsync();
        Posted echoed = await Runtime.NextPostedAsync();

        Assert.Equal(("error", "Baseten.ApiError"), (refused.Kind, refused.ErrorTypeHeader));
        Assert.Contains("key *** is not valid", refused.Body, StringComparison.Ordinal);
        Assert.Equal(("error", "Function.KeyInOutput"), (echoed.Kind, echoed.ErrorTypeHeader));
        AssertNoKey();
    }

    [Fact]
    public async Task ResponseTheRuntimeApiRefuses_IsReportedAsAnInvocationError()
    {
        Baseten.RespondJson(200, """{"output": "ok"}""");
        Runtime.ResponseStatus = 413;
        Start();

        Runtime.Enqueue(new LambdaEvent("req-1", """{"prompt": "x"}""", TimeSpan.FromMinutes(1)));
        Posted refused = await Runtime.NextPostedAsync();
        Posted error = await Runtime.NextPostedAsync();

        Assert.Equal(("response", "req-1"), (refused.Kind, refused.RequestId));
        Assert.Equal(("error", "req-1", "Runtime.ResponseRejected"), (error.Kind, error.RequestId, error.ErrorTypeHeader));
        Assert.Equal("the runtime API refused the response with 413 (15 bytes)", JsonDocument.Parse(error.Body).RootElement.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task RuntimeApiAnswering500_EndsTheFunction()
    {
        Baseten.RespondJson(200, """{"output": "ok"}""");
        Runtime.ResponseStatus = 500;
        Start();

        Runtime.Enqueue(new LambdaEvent("req-1", """{"prompt": "x"}""", TimeSpan.FromMinutes(1)));

        Assert.Equal(LambdaBootstrap.Failure, await Running!.WaitAsync(Bound));
        Assert.Equal("response", (await Runtime.NextPostedAsync()).Kind);
        Assert.Contains("runtime API: POST /runtime/invocation/req-1/response answered 500", Log, StringComparison.Ordinal);
    }

    private async Task InitErrorAsync(Dictionary<string, string?> settings, string errorType)
    {
        Start(settings);

        Assert.Equal(LambdaBootstrap.Failure, await Running!.WaitAsync(Bound));
        Posted posted = await Runtime.NextPostedAsync();
        Assert.Equal(("init/error", errorType), (posted.Kind, posted.ErrorTypeHeader));
        Assert.Equal(errorType, JsonDocument.Parse(posted.Body).RootElement.GetProperty("errorType").GetString());
        Assert.DoesNotContain(Runtime.Requests, request => request.Method == "GET");
        Assert.Empty(Baseten.Requests);
        Assert.StartsWith("init: " + errorType + ": ", Log, StringComparison.Ordinal);
    }
}
