using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Microsoft.Extensions.Time.Testing;

namespace Baseten.Aot.Tests;

/// <summary>
/// The transport's pipeline and per-call options, over an in-memory handler that answers from a
/// script and records what arrived: the caller's policies per call and per try, the credential
/// added after them, per-call headers, timeout and retry policy, the answer's details,
/// ShouldRetry and the retry budget. The clock is fake wherever time matters.
/// </summary>
public sealed class PipelineTests : IDisposable
{
    private const string Key = "pipeline-secret-key";
    private static readonly Uri s_base = new("https://api.example.test");
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedHandler _handler = new();

    public void Dispose() => _handler.Dispose();

    private RetryPolicy Policy(int attempts = 3, RetryBudget? budget = null, Func<RetryContext, bool>? shouldRetry = null) => new()
    {
        MaxAttempts = attempts,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        AttemptTimeout = null,
        TimeProvider = _time,
        Jitter = () => 0,
        Budget = budget,
        ShouldRetry = shouldRetry,
    };

    private ApiTransport Transport(RetryPolicy policy, ApiAuthorization? authorization = null, params (ApiPolicy, ApiPolicyPosition)[] policies)
        => new(new HttpClient(_handler), s_base, authorization ?? ApiAuthorization.Bearer(Key), disposeHttpClient: true, policy,
            policies.Where(p => p.Item2 == ApiPolicyPosition.PerCall).Select(p => p.Item1), policies.Where(p => p.Item2 == ApiPolicyPosition.PerTry).Select(p => p.Item1));

    private static ApiRequest Get(string path = "/v1/things", ApiCallOptions? options = null) => new(HttpMethod.Get, path, path) { Options = options };

    // Moves the fake clock until the call completes; a bounded number of steps, so a hang fails.
    private async Task<T> RunAsync<T>(Task<T> call)
    {
        for (int i = 0; i < 2000 && !call.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(call, Task.Delay(2));
        }

        Assert.True(call.IsCompleted, "the call did not complete within 200 s of fake time");
        return await call;
    }

    [Fact]
    public async Task PerTryPolicy_SeesEveryAttempt_WithoutTheCredential_AndPerCallPolicy_SeesTheCallOnce()
    {
        _handler.Script(503, 200);
        var perTry = new RecordingPolicy();
        var perCall = new RecordingPolicy();
        using ApiTransport transport = Transport(Policy(), null, (perTry, ApiPolicyPosition.PerTry), (perCall, ApiPolicyPosition.PerCall));

        Assert.Equal("ok", await RunAsync(transport.SendTextAsync(Get(), CancellationToken.None)));

        Assert.Equal([1, 2], perTry.Attempts);
        Assert.All(perTry.AuthorizationSeen, Assert.Null);
        Assert.Equal([503, 200], perTry.Statuses);
        Assert.Equal([0], perCall.Attempts);
        Assert.Equal([200], perCall.Statuses);
        Assert.All(_handler.Received, request => Assert.Equal("Bearer " + Key, request.Authorization));
    }

    [Fact]
    public async Task APolicyThatSetsTheAuthorizationHeader_DoesNotReplaceTheClientsCredential()
    {
        _handler.Script(200);
        using ApiTransport transport = Transport(Policy(), null, (new HeaderPolicy("Authorization", "Bearer someone-else"), ApiPolicyPosition.PerTry));

        await transport.SendTextAsync(Get(), CancellationToken.None);

        Assert.Equal("Bearer " + Key, _handler.Received.Single().Authorization);
    }

    [Fact]
    public async Task APolicyMayAnswerACallItself_WithoutSending()
    {
        var cache = new AnsweringPolicy();
        using ApiTransport transport = Transport(Policy(), null, (cache, ApiPolicyPosition.PerCall));

        Assert.Equal("cached", await transport.SendTextAsync(Get(), CancellationToken.None));
        Assert.Empty(_handler.Received);
    }

    [Fact]
    public async Task AQueryCredential_IsAddedAfterThePolicies()
    {
        _handler.Script(200);
        var perTry = new RecordingPolicy();
        using ApiTransport transport = Transport(Policy(), ApiAuthorization.ApiKeyQuery("api_key", Key), (perTry, ApiPolicyPosition.PerTry));

        await transport.SendTextAsync(Get("/v1/things?page=2"), CancellationToken.None);

        Assert.DoesNotContain(Key, perTry.Uris.Single(), StringComparison.Ordinal);
        Assert.Contains("api_key=" + Key, _handler.Received.Single().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallOptions_SendHeaders_AddAPolicy_AndRecordTheAnswer()
    {
        _handler.Script(503, 200);
        var perTry = new RecordingPolicy();
        var options = new ApiCallOptions().SetHeader("Idempotency-Key", "k-1").AddPolicy(perTry);
        using ApiTransport transport = Transport(Policy());

        await RunAsync(transport.SendTextAsync(Get(options: options), CancellationToken.None));

        Assert.All(_handler.Received, request => Assert.Equal("k-1", request.Header("Idempotency-Key")));
        Assert.Equal([1, 2], perTry.Attempts);
        Assert.NotNull(options.Response);
        Assert.Equal(200, options.Response.Status);
        Assert.Equal(2, options.Response.Attempts);
        Assert.Equal("req-2", options.Response.RequestId);
        Assert.Equal("41", options.Response.Headers.GetValues("X-RateLimit-Remaining").Single());
    }

    [Fact]
    public async Task CallOptions_RecordTheErrorAnswer_Too()
    {
        _handler.Script(404);
        var options = new ApiCallOptions();
        using ApiTransport transport = Transport(Policy());

        ApiException error = await Assert.ThrowsAsync<ApiException>(() => transport.SendTextAsync(Get(options: options), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal((404, 1), (options.Response!.Status, options.Response.Attempts));
    }

    [Fact]
    public async Task CallOptions_ARetryPolicy_ReplacesTheClients_ForThatCallOnly()
    {
        _handler.Script(503, 503, 503, 200);
        using ApiTransport transport = Transport(Policy(attempts: 3));

        await Assert.ThrowsAsync<ApiException>(() => RunAsync(transport.SendTextAsync(Get(options: new ApiCallOptions { Retry = RetryPolicy.None }), CancellationToken.None)));
        Assert.Single(_handler.Received);

        Assert.Equal("ok", await RunAsync(transport.SendTextAsync(Get(), CancellationToken.None)));
        Assert.Equal(4, _handler.Received.Count);
    }

    [Fact]
    public async Task CallOptions_ATimeout_EndsTheWholeCall_WithATimeoutException()
    {
        _handler.Hang = true;
        using ApiTransport transport = Transport(Policy());

        TimeoutException timeout = await Assert.ThrowsAsync<TimeoutException>(
            () => RunAsync(transport.SendTextAsync(Get(options: new ApiCallOptions { Timeout = TimeSpan.FromSeconds(5) }), CancellationToken.None)));

        Assert.Contains("call timeout of 5 s", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallTimeout_OfThePolicy_CoversTheWaitsBetweenAttempts()
    {
        _handler.Script(429, 429, 200);
        _handler.RetryAfterSeconds = 20;
        using ApiTransport transport = Transport(new RetryPolicy { MaxAttempts = 3, AttemptTimeout = null, TimeProvider = _time, CallTimeout = TimeSpan.FromSeconds(30), Budget = null });

        await Assert.ThrowsAsync<TimeoutException>(() => RunAsync(transport.SendTextAsync(Get(), CancellationToken.None)));
        Assert.Equal(2, _handler.Received.Count);
    }

    [Fact]
    public async Task TheCallersCancellation_CarriesTheCallersToken_EvenWithACallTimeout()
    {
        _handler.Hang = true;
        using ApiTransport transport = Transport(Policy());
        using var caller = new CancellationTokenSource();

        Task<string> call = transport.SendTextAsync(Get(options: new ApiCallOptions { Timeout = TimeSpan.FromMinutes(5) }), caller.Token);
        await _handler.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await caller.CancelAsync();

        OperationCanceledException canceled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(caller.Token, canceled.CancellationToken);
    }

    [Fact]
    public async Task ShouldRetry_CanRefuseWhatTheRulesWouldRepeat_AndRepeatWhatTheyWouldNot()
    {
        var seen = new List<(int? Status, bool Default, bool MayHaveActed)>();
        _handler.Script(503, 200);
        using ApiTransport refusing = Transport(Policy(shouldRetry: context => { seen.Add((context.Status, context.Default, context.ServerMayHaveActed)); return false; }));
        await Assert.ThrowsAsync<ApiException>(() => RunAsync(refusing.SendTextAsync(Get(), CancellationToken.None)));
        Assert.Equal([(503, true, true)], seen);

        // A POST after a 500 is not repeated by the rules (the server may have acted); this policy knows the operation is idempotent.
        _handler.Script(500, 200);
        seen.Clear();
        using ApiTransport repeating = Transport(Policy(shouldRetry: context => { seen.Add((context.Status, context.Default, context.ServerMayHaveActed)); return true; }));
        var post = new ApiRequest(HttpMethod.Post, "/v1/things", "/v1/things") { Content = ApiContent.Text("x") };
        Assert.Equal("ok", await RunAsync(repeating.SendTextAsync(post, CancellationToken.None)));
        Assert.Equal([(500, false, true)], seen);
    }

    [Fact]
    public async Task ShouldRetry_CannotResendABodyThatWasRead()
    {
        _handler.Script(500, 200);
        using ApiTransport transport = Transport(Policy(shouldRetry: _ => true));
        var post = new ApiRequest(HttpMethod.Post, "/v1/upload", "/v1/upload") { Content = ApiContent.Binary(new System.IO.MemoryStream([1, 2, 3])) };

        await Assert.ThrowsAsync<ApiException>(() => RunAsync(transport.SendTextAsync(post, CancellationToken.None)));
        Assert.Single(_handler.Received);
    }

    [Fact]
    public async Task RetryBudget_OnceSpent_FailuresAreThrownAtOnce_UntilSuccessesEarnItBack()
    {
        var budget = new RetryBudget(maxRetries: 2, earnedPerSuccess: 0.5);
        using ApiTransport transport = Transport(Policy(attempts: 3, budget: budget));

        _handler.Script(503, 503, 503);
        await Assert.ThrowsAsync<ApiException>(() => RunAsync(transport.SendTextAsync(Get(), CancellationToken.None)));
        Assert.Equal(3, _handler.Received.Count);
        Assert.Equal(0, budget.Available);

        _handler.Script(503, 200);
        await Assert.ThrowsAsync<ApiException>(() => RunAsync(transport.SendTextAsync(Get(), CancellationToken.None)));
        Assert.Equal(4, _handler.Received.Count);

        _handler.Script(200, 200, 503, 200);
        await RunAsync(transport.SendTextAsync(Get(), CancellationToken.None));
        await RunAsync(transport.SendTextAsync(Get(), CancellationToken.None));
        Assert.Equal(1, budget.Available);
        Assert.Equal("ok", await RunAsync(transport.SendTextAsync(Get(), CancellationToken.None)));
        Assert.Equal(8, _handler.Received.Count);
    }

    [Fact]
    public void RetryBudget_RefusesNonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBudget(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBudget(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBudget(3, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApiCallOptions { Timeout = TimeSpan.Zero });
        Assert.Throws<ArgumentException>(() => new ApiCallOptions().SetHeader("Authorization", "x"));
    }

    private sealed class RecordingPolicy : ApiPolicy
    {
        private readonly ConcurrentQueue<int> _attempts = new();
        private readonly ConcurrentQueue<int> _statuses = new();
        private readonly ConcurrentQueue<string?> _authorization = new();
        private readonly ConcurrentQueue<string> _uris = new();

        public int[] Attempts => [.. _attempts];

        public int[] Statuses => [.. _statuses];

        public string?[] AuthorizationSeen => [.. _authorization];

        public string[] Uris => [.. _uris];

        public override async ValueTask ProcessAsync(ApiMessage message, IReadOnlyList<ApiPolicy> pipeline, int index)
        {
            _attempts.Enqueue(message.Attempt);
            if (message.HttpRequest is { } request)
            {
                _authorization.Enqueue(request.Headers.Authorization?.ToString());
                _uris.Enqueue(request.RequestUri!.ToString());
            }

            await ProcessNextAsync(message, pipeline, index);
            _statuses.Enqueue((int)message.Response!.StatusCode);
        }
    }

    private sealed class HeaderPolicy(string name, string value) : ApiPolicy
    {
        public override ValueTask ProcessAsync(ApiMessage message, IReadOnlyList<ApiPolicy> pipeline, int index)
        {
            message.HttpRequest!.Headers.TryAddWithoutValidation(name, value);
            return ProcessNextAsync(message, pipeline, index);
        }
    }

    private sealed class AnsweringPolicy : ApiPolicy
    {
        public override ValueTask ProcessAsync(ApiMessage message, IReadOnlyList<ApiPolicy> pipeline, int index)
        {
            message.Response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("cached") };
            return ValueTask.CompletedTask;
        }
    }

    private sealed record Received(string Uri, string? Authorization, Dictionary<string, string> Headers)
    {
        public string? Header(string name) => Headers.GetValueOrDefault(name);
    }

    // Answers each request with the next status of its script (the last one repeats), "ok" for 2xx.
    private sealed class ScriptedHandler : HttpMessageHandler
    {
        private readonly ConcurrentQueue<Received> _received = new();
        private int[] _script = [200];
        private int _next;

        public List<Received> Received => [.. _received];

        public bool Hang { get; set; }

        public int? RetryAfterSeconds { get; set; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Script(params int[] statuses) => (_script, _next) = (statuses, 0);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _received.Enqueue(new Received(
                request.RequestUri!.ToString(),
                request.Headers.Authorization?.ToString(),
                request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)));
            if (request.Content is not null)
            {
                // As a socket handler does: the body is sent, so a stream body is read.
                await request.Content.CopyToAsync(System.IO.Stream.Null, cancellationToken);
            }

            if (Hang)
            {
                Entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            int index = Interlocked.Increment(ref _next) - 1;
            int status = _script[Math.Min(index, _script.Length - 1)];
            var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(status < 300 ? "ok" : """{"error":"no"}""") };
            response.Headers.TryAddWithoutValidation("X-BASETEN-REQUEST-ID", "req-" + (index + 1));
            response.Headers.TryAddWithoutValidation("X-RateLimit-Remaining", "41");
            if (RetryAfterSeconds is { } seconds && status is 429 or 503)
            {
                response.Headers.TryAddWithoutValidation("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            return response;
        }
    }
}
