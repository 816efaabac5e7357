using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Baseten.Aot.Tests;

/// <summary>The caller's own model types, with metadata from System.Text.Json's generator, as an app declares them.</summary>
internal sealed record PromptInput(string Prompt, int MaxTokens);

internal sealed record Completion(string Text);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PromptInput))]
[JsonSerializable(typeof(Completion))]
internal sealed partial class CallerJsonContext : JsonSerializerContext;

/// <summary>
/// <see cref="BasetenInferenceClient"/> over a real loopback server: the host and route of every
/// target, the Bearer key, the caller's own JSON metadata, streaming as the model writes, retries
/// that never repeat a predict the model may have run, the cold-start wake, and the request id.
/// The server and the test hand over through TaskCompletionSources; every wait is bounded.
/// </summary>
public sealed class InferenceClientTests : IAsyncLifetime
{
    private const string Key = "inference-secret-key";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);
    private static readonly PromptInput s_input = new("hello", 8);
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private BasetenInferenceClient Client(Action<BasetenInferenceClientOptions>? configure = null)
    {
        var options = new BasetenInferenceClientOptions { ApiKey = Key, ModelId = "abc123", BaseAddress = _server.BaseAddress, Retry = RetryPolicy.None };
        configure?.Invoke(options);
        return new BasetenInferenceClient(options);
    }

    [Theory]
    [InlineData("abc123", null, null, "https://model-abc123.api.baseten.co/")]
    [InlineData(null, "xyz789", null, "https://chain-xyz789.api.baseten.co/")]
    [InlineData("abc123", null, "prod-us", "https://model-abc123-prod-us.api.baseten.co/")]
    [InlineData(null, "xyz789", "prod-eu", "https://chain-xyz789-prod-eu.api.baseten.co/")]
    public void Address_IsTheDocumentsServer_WithTheIdsFilledIn(string? model, string? chain, string? environment, string expected)
    {
        var options = new BasetenInferenceClientOptions { ModelId = model, ChainId = chain, Environment = environment };

        Assert.Equal(new Uri(expected), BasetenInferenceClient.AddressOf(options));
    }

    [Fact]
    public void BaseAddress_OverridesTheComputedHost()
    {
        var options = new BasetenInferenceClientOptions { ModelId = "abc123", Environment = "prod-us", BaseAddress = new Uri("https://proxy.example.com/baseten/") };

        Assert.Equal(new Uri("https://proxy.example.com/baseten/"), BasetenInferenceClient.AddressOf(options));
    }

    [Theory]
    [InlineData("abc", "xyz", null)]
    [InlineData(null, null, null)]
    [InlineData("abc.evil.com/x", null, null)]
    [InlineData("abc", null, "prod us")]
    public void Options_WithoutExactlyOneValidId_AreRefused(string? model, string? chain, string? environment)
    {
        var options = new BasetenInferenceClientOptions { ApiKey = Key, ModelId = model, ChainId = chain, Environment = environment };

        Assert.Throws<ArgumentException>(() => new BasetenInferenceClient(options));
    }

    public static TheoryData<string, string> Targets() => new()
    {
        { "production", "/production/predict" },
        { "development", "/development/predict" },
        { "environment", "/environments/staging%2Fb/predict" },
        { "deployment", "/deployment/dep42/predict" },
    };

    private static PredictTarget? TargetOf(string kind) => kind switch
    {
        "production" => null,
        "development" => PredictTarget.Development,
        "environment" => PredictTarget.Environment("staging/b"),
        _ => PredictTarget.Deployment("dep42"),
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Predict_GoesToTheTargetsRoute_WithTheCallersTypes_AndTheBearerKey(string kind, string path)
    {
        _server.RespondJson(200, """{"text":"hi there"}""");
        using BasetenInferenceClient client = Client();

        Completion completion = await client.PredictAsync(s_input, CallerJsonContext.Default.PromptInput, CallerJsonContext.Default.Completion, TargetOf(kind));

        RecordedRequest request = _server.Requests.Single();
        Assert.Equal(new Completion("hi there"), completion);
        Assert.Equal(("POST", path), (request.Method, request.RawTarget));
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        Assert.Equal("""{"prompt":"hello","max_tokens":8}""", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task Regional_UsesTheBarePaths_AndRefusesATarget()
    {
        _server.RespondJson(200, """[1,2]""");
        using BasetenInferenceClient client = Client(o => o.Environment = "prod-us");

        JsonElement output = await client.PredictAsync(JsonDocument.Parse("""{"x":1}""").RootElement);

        Assert.Equal("[1,2]", output.GetRawText());
        Assert.Equal("/predict", _server.Requests.Single().RawTarget);
        Assert.Throws<ArgumentException>(() => { _ = client.PredictAsync(output, PredictTarget.Development); });
    }

    [Fact]
    public async Task Chain_RunsRemote_AndRefusesPredict()
    {
        _server.RespondJson(200, """{"text":"chained"}""");
        using BasetenInferenceClient client = Client(o => (o.ModelId, o.ChainId) = (null, "chain9"));

        Completion completion = await client.RunRemoteAsync(s_input, CallerJsonContext.Default.PromptInput, CallerJsonContext.Default.Completion, PredictTarget.Environment("staging"));

        Assert.Equal("chained", completion.Text);
        Assert.Equal("/environments/staging/run_remote", _server.Requests.Single().RawTarget);
        Assert.Throws<InvalidOperationException>(() => { _ = client.PredictAsync(s_input, CallerJsonContext.Default.PromptInput, CallerJsonContext.Default.Completion); });
    }

    [Fact]
    public async Task Error_CarriesTheRequestId_AndTheTypedErrorBody_AndNeverTheKey()
    {
        _server.Respond = async context =>
        {
            context.Response.StatusCode = 400;
            context.Response.Headers["X-BASETEN-REQUEST-ID"] = "req-777";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"error\":\"bad input for key " + Key + "\",\"error_code\":\"client_error\",\"detail\":\"max_tokens\"}");
        };
        using BasetenInferenceClient client = Client();

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => client.PredictAsync(s_input, CallerJsonContext.Default.PromptInput, CallerJsonContext.Default.Completion));

        Assert.Equal("req-777", exception.RequestId);
        Assert.Equal("/production/predict", exception.PathTemplate);
        ErrorResponse? error = exception.ReadError(BasetenInferenceJsonContext.Default.ErrorResponse);
        Assert.Equal(("client_error", "max_tokens"), (error?.ErrorCode?.Value, error?.Detail));
        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, exception.ResponseBody!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RawResponse_CarriesTheRequestId()
    {
        _server.Respond = async context =>
        {
            context.Response.Headers["X-BASETEN-REQUEST-ID"] = "req-ok-1";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{}");
        };
        using var transport = new ApiTransport(new HttpClient(), _server.BaseAddress, ApiAuthorization.Bearer(Key), disposeHttpClient: true, RetryPolicy.None);

        using ApiResponse response = await transport.SendAsync(new ApiRequest(HttpMethod.Post, "/production/predict", "/production/predict") { Content = ApiContent.Json(s_input, CallerJsonContext.Default.PromptInput) }, CancellationToken.None);

        Assert.Equal("req-ok-1", response.RequestId);
    }

    [Fact]
    public async Task PredictStream_HandsOverTheFirstChunk_BeforeTheModelHasWrittenTheLast()
    {
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Respond = async context =>
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync("first chunk;"u8.ToArray());
            await context.Response.Body.FlushAsync();
            await proceed.Task.WaitAsync(s_bound);
            await context.Response.Body.WriteAsync("last chunk"u8.ToArray());
        };
        using BasetenInferenceClient client = Client();

        await using Stream stream = await client.PredictStreamAsync(s_input, CallerJsonContext.Default.PromptInput).WaitAsync(s_bound);
        byte[] first = new byte["first chunk;".Length];
        await stream.ReadExactlyAsync(first).AsTask().WaitAsync(s_bound);
        Assert.Equal("first chunk;", Encoding.UTF8.GetString(first));
        Assert.False(proceed.Task.IsCompleted);

        proceed.SetResult();
        using var reader = new StreamReader(stream);
        Assert.Equal("last chunk", await reader.ReadToEndAsync().WaitAsync(s_bound));
        Assert.Equal("*/*", _server.Requests.Single().Headers["Accept"]);
    }

    [Fact]
    public async Task PredictEvents_YieldsTheFirstEvent_BeforeTheModelHasWrittenTheLast_AndStopsAtDone()
    {
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"text\":\"a\"}\n\n");
            await context.Response.Body.FlushAsync();
            await proceed.Task.WaitAsync(s_bound);
            await context.Response.WriteAsync("data: {\"text\":\"b\"}\n\ndata: [DONE]\n\n");
        };
        using BasetenInferenceClient client = Client();

        var texts = new List<string>();
        await foreach (Completion completion in client.PredictEventsAsync(s_input, CallerJsonContext.Default.PromptInput, CallerJsonContext.Default.Completion).WithCancellation(CancellationToken.None))
        {
            texts.Add(completion.Text);
            if (texts.Count == 1)
            {
                Assert.False(proceed.Task.IsCompleted);
                proceed.SetResult();
            }
        }

        Assert.Equal(["a", "b"], texts);
        Assert.Equal("text/event-stream", _server.Requests.Single().Headers["Accept"]);
    }

    [Fact]
    public async Task PredictBinary_SendsTheCallersBytesAndMediaType_AndReadsJson()
    {
        _server.RespondJson(200, """{"text":"a waveform"}""");
        using BasetenInferenceClient client = Client();
        byte[] audio = [0x52, 0x49, 0x46, 0x46, 0x00, 0xFF, 0x10];

        Completion completion = await client.PredictAsync(() => ApiContent.Binary(new MemoryStream(audio), "audio/wav"), CallerJsonContext.Default.Completion);

        RecordedRequest request = _server.Requests.Single();
        Assert.Equal("a waveform", completion.Text);
        Assert.Equal(("POST", "/production/predict"), (request.Method, request.RawTarget));
        Assert.Equal("audio/wav", request.Headers["Content-Type"]);
        Assert.Equal(audio, request.Body);
    }

    [Fact]
    public async Task PredictMultipart_SendsFieldsAndFiles_AndStreamsBinaryOutput()
    {
        byte[] image = [1, 2, 3, 250, 251];
        _server.Respond = async context =>
        {
            // The server has already read the body to record it: the form is read from that copy.
            context.Request.Body = new MemoryStream(_server.Requests[^1].Body);
            IFormCollection form = await context.Request.ReadFormAsync();
            IFormFile file = form.Files.Single();
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy);
            context.Response.ContentType = "application/octet-stream";
            byte[] answer = [.. Encoding.UTF8.GetBytes(form["prompt"] + "|" + file.Name + "|" + file.FileName + "|"), .. copy.ToArray()];
            await context.Response.Body.WriteAsync(answer);
        };
        using BasetenInferenceClient client = Client();

        await using Stream output = await client.PredictStreamAsync(() =>
        {
            MultipartFormDataContent form = ApiContent.Multipart();
            form.Add(new StringContent("a cat"), "prompt");
            form.Add(ApiContent.Binary(new MemoryStream(image), "image/png"), "image", "cat.png");
            return form;
        });
        using var read = new MemoryStream();
        await output.CopyToAsync(read);

        Assert.Equal([.. Encoding.UTF8.GetBytes("a cat|image|cat.png|"), .. image], read.ToArray());
        Assert.StartsWith("multipart/form-data", _server.Requests.Single().Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PredictBinary_AfterAColdStart_MakesTheBodyAgain()
    {
        int predicts = 0;
        _server.Respond = async context =>
        {
            context.Response.ContentType = "application/json";
            if (context.Request.Path == "/production/wake")
            {
                context.Response.StatusCode = 202;
                return;
            }

            if (Interlocked.Increment(ref predicts) == 1)
            {
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("""{"error":"model is scaled to zero"}""");
                return;
            }

            await context.Response.WriteAsync("""{"text":"warm"}""");
        };
        using BasetenInferenceClient client = Client(o => o.WakeOnColdStart = true);
        int made = 0;

        Completion completion = await client.PredictAsync(() => ApiContent.Binary(new MemoryStream([(byte)++made, 7, 7]), "application/octet-stream"), CallerJsonContext.Default.Completion);

        Assert.Equal("warm", completion.Text);
        Assert.Equal(2, made);
        Assert.Equal(["/production/predict", "/production/wake", "/production/predict"], _server.Requests.Select(r => r.RawTarget));
        Assert.Equal([2, 7, 7], _server.Requests[2].Body);
    }

    [Fact]
    public void PredictBinary_RefusesANullFunction_AndOneThatReturnsNull()
    {
        using BasetenInferenceClient client = Client();

        Assert.Throws<ArgumentNullException>(() => { _ = client.PredictAsync(null!, CallerJsonContext.Default.Completion); });
        Assert.Throws<ArgumentNullException>(() => { _ = client.PredictAsync(() => null!, CallerJsonContext.Default.Completion); });
    }

    [Fact]
    public async Task PredictEvents_Untyped_PassesEveryEventOnAsItCame()
    {
        _server.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("event: token\ndata: plain text, not JSON\n\nevent: usage\nid: 7\ndata: {\"tokens\":3}\n\ndata: [DONE]\n\n");
        };
        using BasetenInferenceClient client = Client();

        var events = new List<ServerSentEvent>();
        await foreach (ServerSentEvent serverSentEvent in client.PredictEventsAsync(s_input, CallerJsonContext.Default.PromptInput))
        {
            events.Add(serverSentEvent);
        }

        Assert.Equal([("token", "plain text, not JSON"), ("usage", "{\"tokens\":3}"), (null, "[DONE]")], events.Select(e => (e.EventType, e.Data)));
        Assert.Equal("7", events[1].Id);
        Assert.Equal("text/event-stream", _server.Requests.Single().Headers["Accept"]);
    }

    [Fact]
    public async Task RunRemoteEvents_Untyped_OnAChain()
    {
        _server.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: step one\n\ndata: step two\n\n");
        };
        using BasetenInferenceClient client = Client(o => { o.ModelId = null; o.ChainId = "xyz789"; });

        var data = new List<string>();
        await foreach (ServerSentEvent serverSentEvent in client.RunRemoteEventsAsync(s_input, CallerJsonContext.Default.PromptInput, PredictTarget.Development))
        {
            data.Add(serverSentEvent.Data);
        }

        Assert.Equal(["step one", "step two"], data);
        Assert.Equal("/development/run_remote", _server.Requests.Single().RawTarget);
    }

    [Fact]
    public async Task PredictJsonLines_YieldsOneValuePerLine()
    {
        _server.Respond = async context =>
        {
            context.Response.ContentType = "application/x-ndjson";
            await context.Response.WriteAsync("{\"text\":\"a\"}\n\n{\"text\":\"b\"}\n");
        };
        using BasetenInferenceClient client = Client();

        var texts = new List<string>();
        await foreach (Completion completion in client.PredictJsonLinesAsync(s_input, CallerJsonContext.Default.PromptInput, CallerJsonContext.Default.Completion))
        {
            texts.Add(completion.Text);
        }

        Assert.Equal(["a", "b"], texts);
    }

    [Fact]
    public async Task CancellingMidStream_EndsTheServersRequest()
    {
        var serverSawAbort = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Respond = async context =>
        {
            context.RequestAborted.Register(() => serverSawAbort.TrySetResult());
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"text\":\"a\"}\n\n");
            await context.Response.Body.FlushAsync();
            await serverSawAbort.Task.WaitAsync(s_bound);
        };
        using BasetenInferenceClient client = Client();
        using var cancel = new CancellationTokenSource();

        var texts = new List<string>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (Completion completion in client.PredictEventsAsync(s_input, CallerJsonContext.Default.PromptInput, CallerJsonContext.Default.Completion, cancellationToken: cancel.Token))
            {
                texts.Add(completion.Text);
                cancel.Cancel();
            }
        }).WaitAsync(s_bound);

        Assert.Equal(["a"], texts);
        await serverSawAbort.Task.WaitAsync(s_bound);
    }

    [Fact]
    public async Task TooManyRequests_IsRetried_ThenSucceeds()
    {
        int calls = 0;
        _server.Respond = async context =>
        {
            context.Response.ContentType = "application/json";
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "0";
                await context.Response.WriteAsync("""{"error":"slow down","error_code":"rate_limited"}""");
                return;
            }

            await context.Response.WriteAsync("""{"text":"ok"}""");
        };
        using BasetenInferenceClient client = Client(o => o.Retry = new RetryPolicy());

        Completion completion = await client.PredictAsync(s_input, CallerJsonContext.Default.PromptInput, CallerJsonContext.Default.Completion);

        Assert.Equal("ok", completion.Text);
        Assert.Equal(["/production/predict", "/production/predict"], _server.Requests.Select(r => r.RawTarget));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task FailureTheModelMayHaveRun_IsNeverRepeated(int status)
    {
        _server.RespondJson(status, """{"error":"boom"}""");
        using BasetenInferenceClient client = Client(o => o.Retry = new RetryPolicy { BaseDelay = TimeSpan.Zero });

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => client.PredictAsync(s_input, CallerJsonContext.Default.PromptInput, CallerJsonContext.Default.Completion));

        Assert.Equal(status, (int)exception.StatusCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task ColdModel_503_IsWoken_AndThePredictSentOnceMore()
    {
        int predicts = 0;
        _server.Respond = async context =>
        {
            context.Response.ContentType = "application/json";
            if (context.Request.Path == "/development/wake")
            {
                context.Response.StatusCode = 202;
                return;
            }

            if (Interlocked.Increment(ref predicts) == 1)
            {
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("""{"error":"model is scaled to zero","error_code":"model_not_ready"}""");
                return;
            }

            await context.Response.WriteAsync("""{"text":"warm"}""");
        };
        using BasetenInferenceClient client = Client(o => o.WakeOnColdStart = true);

        Completion completion = await client.PredictAsync(s_input, CallerJsonContext.Default.PromptInput, CallerJsonContext.Default.Completion, PredictTarget.Development);

        Assert.Equal("warm", completion.Text);
        Assert.Equal(["/development/predict", "/development/wake", "/development/predict"], _server.Requests.Select(r => r.RawTarget));
        Assert.Equal(_server.Requests[0].Body, _server.Requests[2].Body);
    }

    [Fact]
    public async Task ColdModel_StillCold_AfterTheWake_ThrowsTheSecond503_WithoutAThirdTry()
    {
        _server.Respond = context =>
        {
            context.Response.StatusCode = context.Request.Path == "/production/wake" ? 202 : 503;
            return Task.CompletedTask;
        };
        using BasetenInferenceClient client = Client(o => o.WakeOnColdStart = true);

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => client.PredictStreamAsync(s_input, CallerJsonContext.Default.PromptInput));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, exception.StatusCode);
        Assert.Equal(["/production/predict", "/production/wake", "/production/predict"], _server.Requests.Select(r => r.RawTarget));
    }

    [Fact]
    public async Task ColdModel_WithoutTheOption_503IsThrownAtOnce()
    {
        _server.RespondJson(503, """{"error":"cold"}""");
        using BasetenInferenceClient client = Client();

        await Assert.ThrowsAsync<BasetenApiException>(() => client.PredictAsync(s_input, CallerJsonContext.Default.PromptInput, CallerJsonContext.Default.Completion));

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task ColdModel_WakeThatOutlastsTheColdStartTimeout_ThrowsTimeoutException()
    {
        var time = new FakeTimeProvider();
        var wakeArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Respond = async context =>
        {
            if (context.Request.Path == "/production/wake")
            {
                wakeArrived.TrySetResult();
                await release.Task.WaitAsync(s_bound);
                context.Response.StatusCode = 202;
                return;
            }

            context.Response.StatusCode = 503;
        };
        using BasetenInferenceClient client = Client(o =>
        {
            o.WakeOnColdStart = true;
            o.ColdStartTimeout = TimeSpan.FromMinutes(1);
            o.Retry = new RetryPolicy { MaxAttempts = 1, AttemptTimeout = null, TimeProvider = time };
        });

        Task<Completion> call = client.PredictAsync(s_input, CallerJsonContext.Default.PromptInput, CallerJsonContext.Default.Completion);
        await wakeArrived.Task.WaitAsync(s_bound);
        time.Advance(TimeSpan.FromMinutes(2));

        TimeoutException exception = await Assert.ThrowsAsync<TimeoutException>(() => call.WaitAsync(s_bound));
        release.SetResult();
        Assert.Contains("/production/predict", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsyncPredict_ReturnsTheRequestId_AndStatusCancelQueueAndWakeReachTheirRoutes()
    {
        _server.Respond = async context =>
        {
            context.Response.ContentType = "application/json";
            (int status, string body) = (context.Request.Method, context.Request.Path.Value) switch
            {
                ("POST", "/deployment/d1/async_predict") => (201, """{"request_id":"r-1"}"""),
                ("GET", "/async_request/r-1") => (200, """{"request_id":"r-1","deployment_id":"d1","status":"QUEUED","webhook_status":"PENDING","created_at":"t0","status_at":"t1","errors":[]}"""),
                ("DELETE", "/async_request/r-1") => (200, """{"request_id":"r-1","canceled":true,"message":"canceled"}"""),
                ("GET", "/deployment/d1/async_queue_status") => (200, """{"model_id":"abc123","deployment_id":"d1","num_queued_requests":0,"num_in_progress_requests":1}"""),
                ("POST", "/deployment/d1/wake") => (202, ""),
                _ => (404, "{}"),
            };
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(body);
        };
        using BasetenInferenceClient client = Client();
        PredictTarget target = PredictTarget.Deployment("d1");

        string id = await client.AsyncPredictAsync(s_input, CallerJsonContext.Default.PromptInput, "https://example.com/hook", target);
        AsyncRequestStatus status = await client.GetAsyncRequestStatusAsync(id);
        AsyncCancelResult canceled = await client.CancelAsyncRequestAsync(id);
        AsyncQueueStatus queue = await client.GetAsyncQueueStatusAsync(target);
        await client.WakeAsync(target);

        Assert.Equal("r-1", id);
        Assert.Equal(AsyncRequestStatusStatus.Queued, status.Status);
        Assert.True(canceled.Canceled);
        Assert.Equal(1, queue.NumInProgressRequests);
        Assert.Equal(
            """{"model_input":{"prompt":"hello","max_tokens":8},"webhook_endpoint":"https://example.com/hook"}""",
            Encoding.UTF8.GetString(_server.Requests[0].Body));
    }

    [Fact]
    public async Task AsyncRunRemote_OnAChain_ReturnsTheRequestId()
    {
        _server.RespondJson(201, """{"request_id":"r-9"}""");
        using BasetenInferenceClient client = Client(o => (o.ModelId, o.ChainId) = (null, "chain9"));

        string id = await client.AsyncRunRemoteAsync(s_input, CallerJsonContext.Default.PromptInput);

        Assert.Equal("r-9", id);
        Assert.Equal("/production/async_run_remote", _server.Requests.Single().RawTarget);
        Assert.Equal("""{"prompt":"hello","max_tokens":8}""", Encoding.UTF8.GetString(_server.Requests.Single().Body));
    }
}
