using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Tests;

/// <summary>
/// Retries over a real loopback server, on a fake clock: the test moves time forward, and the
/// gaps between attempts are read on that clock, so nothing depends on how fast the machine is.
/// </summary>
public sealed class RetryTests : IAsyncLifetime
{
    private readonly FakeClock _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<DateTimeOffset> _arrivals = new();
    private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstArrival = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync()
    {
        _never.TrySetResult();
        await _server.DisposeAsync();
    }

    // No attempt timeout unless a test is about it: the fake clock runs fast while the loopback
    // server answers in real time, and a loaded machine must not turn that into a timeout.
    private RetryPolicy Policy(TimeSpan? attemptTimeout = null, double jitter = 0.5) => new()
    {
        Jitter = () => jitter,
        MaxAttempts = 3,
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(30),
        AttemptTimeout = attemptTimeout,
        TimeProvider = _time,
    };

    private ApiTransport Transport(RetryPolicy policy, HttpClient? client = null)
        => new(client ?? new HttpClient(), _server.BaseAddress, new ApiAuthorization("Api-Key", "retry-key"), disposeHttpClient: true, policy);

    /// <summary>Answers the n-th request with the n-th script; records when (on the fake clock) each arrived.</summary>
    private void Script(params Func<HttpContext, Task>[] answers)
    {
        int count = 0;
        _server.Respond = context =>
        {
            _arrivals.Enqueue(_time.GetUtcNow());
            _firstArrival.TrySetResult();
            int index = Interlocked.Increment(ref count) - 1;
            return answers[Math.Min(index, answers.Length - 1)](context);
        };
    }

    private static Func<HttpContext, Task> Status(int status, string body = "{}", string? retryAfter = null) => async context =>
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        await context.Response.WriteAsync(body);
    };

    private static readonly Func<HttpContext, Task> s_ok = Status(200, SeedData.ResponseExample);

    // Moves the fake clock in small steps until the call completes; the real waits only let I/O run.
    private async Task<T> RunAsync<T>(Task<T> call)
    {
        await _time.AdvanceUntilCompletedAsync(call, TimeSpan.FromMilliseconds(100), maxSteps: 4000, realPause: TimeSpan.FromMilliseconds(5));
        return await call;
    }

    private TimeSpan[] Gaps() => _arrivals.Zip(_arrivals.Skip(1), (a, b) => b - a).ToArray();

    private static Task<ChainEnvironmentV1> Post(ApiTransport transport, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Post, "/v1/chains/abc/environments", new CreateChainEnvironmentRequestV1 { Name = "x" },
            BasetenJsonContext.Default.CreateChainEnvironmentRequestV1, BasetenJsonContext.Default.ChainEnvironmentV1, cancellationToken);

    private static Task<ChainEnvironmentV1> Get(ApiTransport transport)
        => transport.SendAsync(HttpMethod.Get, "/v1/chains/abc/environments/x", BasetenJsonContext.Default.ChainEnvironmentV1, CancellationToken.None);

    [Fact]
    public async Task Post429_WaitsForRetryAfterHeader_ThenRetries()
    {
        Script(Status(429, retryAfter: "3"), s_ok);
        using ApiTransport transport = Transport(Policy());

        await RunAsync(Post(transport));

        TimeSpan gap = Assert.Single(Gaps());
        Assert.InRange(gap, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Post429_HonoursBasetensRetryAfterBodyField()
    {
        Script(Status(429, """{"error": "slow down", "retry_after": 5}"""), s_ok);
        using ApiTransport transport = Transport(Policy());

        await RunAsync(Post(transport));

        Assert.InRange(Assert.Single(Gaps()), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6));
    }

    [Theory]
    [InlineData(500, null)]
    [InlineData(502, null)]
    [InlineData(503, null)]
    [InlineData(408, null)]
    [InlineData(500, "1")]
    [InlineData(502, "1")]
    [InlineData(504, "1")]
    public async Task Post_ServerErrorsItMayHaveActedOn_AreNotRetried_EvenWithRetryAfter(int status, string? retryAfter)
    {
        Script(Status(status, retryAfter: retryAfter), s_ok);
        using ApiTransport transport = Transport(Policy());

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => RunAsync(Post(transport)));

        Assert.Equal(status, (int)exception.StatusCode);
        Assert.Single(_arrivals);
    }

    [Theory]
    [InlineData("LINK", 1)]
    [InlineData("PURGE", 1)]
    [InlineData("patch", 1)]
    [InlineData("QUERY", 2)]
    [InlineData("PUT", 2)]
    [InlineData("delete", 2)]
    public async Task A500_IsRetriedOnlyForIdempotentMethods_ThoseADocumentNamesToo(string method, int attempts)
    {
        Script(Status(500), Status(204, string.Empty));
        using ApiTransport transport = Transport(Policy());

        Task<bool> call = transport.SendNoContentAsync(new ApiRequest(new HttpMethod(method), "/things/1", "/things/{id}"), CancellationToken.None)
            .ContinueWith(static t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        bool succeeded = await RunAsync(call);

        Assert.Equal(attempts, _arrivals.Count);
        Assert.Equal(attempts == 2, succeeded);
    }

    [Fact]
    public async Task Post503WithRetryAfter_IsRetried()
    {
        Script(Status(503, retryAfter: "2"), s_ok);
        using ApiTransport transport = Transport(Policy());

        await RunAsync(Post(transport));

        Assert.Equal(2, _arrivals.Count);
    }

    [Fact]
    public async Task Post500_IsRetriedWhenUnsafeRetriesAreAllowed()
    {
        Script(Status(500), s_ok);
        using ApiTransport transport = Transport(Policy());

        await Assert.ThrowsAsync<ApiException>(() => RunAsync(Post(transport)));
        _arrivals.Clear();
        Script(Status(500), s_ok);
        using ApiTransport unsafeTransport = Transport(new RetryPolicy { RetryUnsafeMethods = true, TimeProvider = _time, BaseDelay = TimeSpan.FromSeconds(1) });

        await RunAsync(Post(unsafeTransport));

        Assert.Equal(2, _arrivals.Count);
    }

    [Theory]
    [InlineData(0.0, 0.5, 1.0)]
    [InlineData(0.999, 1.0, 2.0)]
    public async Task Get_ServerErrors_AreRetriedWithGrowingJitteredBackoff(double jitter, double first, double second)
    {
        // Equal jitter on a 1 s base: half fixed, half the jitter; each attempt doubles it. The fake
        // clock moves in 100 ms steps while the loopback exchange runs in real time, so a gap is its
        // backoff plus a step for each 5 ms the machine took to carry a request or an answer: up to
        // four steps are allowed, and the two ranges still cannot both hold for a constant backoff.
        Script(Status(502), Status(504), s_ok);
        using ApiTransport transport = Transport(Policy(jitter: jitter));

        await RunAsync(Get(transport));

        TimeSpan[] gaps = Gaps();
        Assert.Equal(2, gaps.Length);
        Assert.InRange(gaps[0], TimeSpan.FromSeconds(first), TimeSpan.FromSeconds(first + 0.4));
        Assert.InRange(gaps[1], TimeSpan.FromSeconds(second), TimeSpan.FromSeconds(second + 0.4));
    }

    [Fact]
    public async Task Get_WhenEveryAttemptFails_ThrowsTheLastError()
    {
        Script(Status(500, """{"error": "first"}"""), Status(500, """{"error": "second"}"""), Status(503, """{"error": "third"}"""));
        using ApiTransport transport = Transport(Policy());

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => RunAsync(Get(transport)));

        Assert.Equal("third", exception.ServerMessage);
        Assert.Equal(3, _arrivals.Count);
    }

    [Fact]
    public async Task RetryAfterLongerThanMaxDelay_IsNotWaitedFor()
    {
        Script(Status(429, retryAfter: "3600"), s_ok);
        using ApiTransport transport = Transport(Policy());

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => RunAsync(Post(transport)));

        Assert.Equal(TimeSpan.FromHours(1), exception.RetryAfter);
        Assert.Single(_arrivals);
    }

    [Fact]
    public async Task RetryAfterAsAnHttpDate_IsReadAgainstTheClock()
    {
        // An HTTP date has whole seconds: the retry comes at that date, however far into a second the first attempt was.
        DateTimeOffset retryAt = _time.GetUtcNow().AddSeconds(4);
        Script(Status(429, retryAfter: retryAt.ToString("r", System.Globalization.CultureInfo.InvariantCulture)), s_ok);
        using ApiTransport transport = Transport(Policy());

        await RunAsync(Post(transport));

        DateTimeOffset[] arrivals = _arrivals.ToArray();
        Assert.Equal(2, arrivals.Length);
        Assert.InRange(arrivals[1], retryAt.AddTicks(-(retryAt.Ticks % TimeSpan.TicksPerSecond)), retryAt.AddSeconds(1));
    }

    [Fact]
    public async Task CallersCancellation_DuringBackoff_WinsPromptly()
    {
        Script(Status(429, retryAfter: "20"), s_ok);
        using ApiTransport transport = Transport(Policy());
        using var cancellation = new CancellationTokenSource();

        Task<ChainEnvironmentV1> call = Post(transport, cancellation.Token);
        await _firstArrival.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(_arrivals);
    }

    [Fact]
    public async Task AttemptTimeout_RetriesAGet_ButNotAPost()
    {
        Script(_ => _never.Task, s_ok);
        using ApiTransport transport = Transport(Policy(attemptTimeout: TimeSpan.FromSeconds(10)));

        await RunAsync(Get(transport));
        Assert.True(Gaps()[0] >= TimeSpan.FromSeconds(10), "the first attempt was abandoned before its timeout");

        _arrivals.Clear();
        Script(_ => _never.Task, s_ok);
        TimeoutException timeout = await Assert.ThrowsAsync<TimeoutException>(() => RunAsync(Post(transport)));
        Assert.Contains("POST /v1/chains/abc/environments", timeout.Message, StringComparison.Ordinal);
        Assert.Single(_arrivals);
    }

    [Fact]
    public async Task RefusedConnection_IsRetriedEvenForAPost_ButADroppedResponseIsNot()
    {
        var handler = new FailingHandler(HttpRequestError.ConnectionError);
        using ApiTransport refused = Transport(Policy(), new HttpClient(handler));
        await RunAsync(Post(refused));
        Assert.Equal(2, handler.Calls);

        var dropped = new FailingHandler(HttpRequestError.ResponseEnded);
        using ApiTransport droppedTransport = Transport(Policy(), new HttpClient(dropped));
        await Assert.ThrowsAsync<HttpRequestException>(() => RunAsync(Post(droppedTransport)));
        Assert.Equal(1, dropped.Calls);
    }

    [Fact]
    public async Task RetryPolicyNone_SendsOnce()
    {
        Script(Status(429, retryAfter: "1"), s_ok);
        using ApiTransport transport = Transport(RetryPolicy.None);

        await Assert.ThrowsAsync<ApiException>(() => RunAsync(Post(transport)));

        Assert.Single(_arrivals);
    }

    /// <summary>Fails the first call with the given error, then answers 200 with the seed response.</summary>
    private sealed class FailingHandler(HttpRequestError error) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                throw new HttpRequestException(error, "simulated " + error);
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(SeedData.ResponseExample) });
        }
    }
}
