using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Microsoft.Extensions.Time.Testing;

namespace Baseten.Aot.Tests;

/// <summary>
/// The attempt timeout's one timer source per call, and the spare the transport keeps between calls:
/// a deadline that ran out or was cancelled must never reach the next call.
/// </summary>
public sealed class AttemptDeadlineTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Restart_AfterTheLimitRanOut_GivesAFreshToken()
    {
        var deadline = new AttemptDeadline(TimeSpan.FromSeconds(10), _time);
        deadline.Begin(CancellationToken.None);
        deadline.Restart();
        CancellationToken first = deadline.Token;

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(first.IsCancellationRequested);
        Assert.True(deadline.Expired);

        deadline.Restart();
        Assert.False(deadline.Token.IsCancellationRequested);
        Assert.False(deadline.Expired);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(deadline.Token.IsCancellationRequested);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(deadline.Token.IsCancellationRequested);
    }

    [Fact]
    public void Restart_GivesTheWholeLimitAgain()
    {
        var deadline = new AttemptDeadline(TimeSpan.FromSeconds(10), _time);
        deadline.Begin(CancellationToken.None);
        deadline.Restart();
        _time.Advance(TimeSpan.FromSeconds(8));
        deadline.Restart();
        _time.Advance(TimeSpan.FromSeconds(8));
        Assert.False(deadline.Token.IsCancellationRequested);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(deadline.Expired);
    }

    [Fact]
    public void TheCallersCancellation_EndsTheToken_IsNotAnExpiry_AndIsNeverKept()
    {
        var deadline = new AttemptDeadline(TimeSpan.FromSeconds(10), TimeProvider.System);
        using var caller = new CancellationTokenSource();
        deadline.Begin(caller.Token);
        deadline.Restart();

        caller.Cancel();

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.False(deadline.Expired);
        Assert.False(deadline.End());
    }

    [Fact]
    public void AnUncancelledDeadline_IsKept_AndNoLongerListensToTheLastCaller()
    {
        var deadline = new AttemptDeadline(TimeSpan.FromSeconds(10), TimeProvider.System);
        using var caller = new CancellationTokenSource();
        deadline.Begin(caller.Token);
        deadline.Restart();

        Assert.True(deadline.End());

        // The last call's token is cancelled after that call ended: the kept deadline must not see it.
        caller.Cancel();
        deadline.Begin(CancellationToken.None);
        deadline.Restart();
        Assert.False(deadline.Token.IsCancellationRequested);
        Assert.True(deadline.End());
        deadline.Dispose();
    }

    [Fact]
    public async Task Transport_AfterACallerCancelledACall_TheNextCallGetsALiveToken()
    {
        var handler = new TokenHandler();
        using var transport = new ApiTransport(new HttpClient(handler), new Uri("https://api.example.test"), ApiAuthorization.Bearer("deadline-key"), disposeHttpClient: true,
            new RetryPolicy { MaxAttempts = 1, AttemptTimeout = TimeSpan.FromMinutes(5) });

        Assert.Equal("ok", await transport.SendTextAsync(new ApiRequest(HttpMethod.Get, "/a", "/a"), CancellationToken.None));

        using var caller = new CancellationTokenSource();
        handler.Hang = true;
        Task<string> hanging = transport.SendTextAsync(new ApiRequest(HttpMethod.Get, "/a", "/a"), caller.Token);
        await handler.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await caller.CancelAsync();
        OperationCanceledException canceled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hanging.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(caller.Token, canceled.CancellationToken);

        handler.Hang = false;
        Assert.Equal("ok", await transport.SendTextAsync(new ApiRequest(HttpMethod.Get, "/a", "/a"), CancellationToken.None));
        Assert.False(handler.LastToken.IsCancellationRequested, "the attempt was given a cancelled token");
    }

    private sealed class TokenHandler : HttpMessageHandler
    {
        public bool Hang { get; set; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken LastToken { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastToken = cancellationToken;
            if (Hang)
            {
                Entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("ok") };
        }
    }
}
