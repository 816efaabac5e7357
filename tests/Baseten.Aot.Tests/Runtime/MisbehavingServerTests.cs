using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Baseten.Aot.Tests;

/// <summary>
/// Servers that send headers and then stall, redirect, or never answer: every call ends, with the
/// documented exception, on a fake clock (no test waits on real time).
/// </summary>
public sealed class MisbehavingServerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _partialSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _server.DisposeAsync();
    }

    private ApiTransport Transport(RetryPolicy? policy = null)
        => ApiTransport.Create(null, _server.BaseAddress, ApiAuthorization.Bearer("k"), policy ?? new RetryPolicy { MaxAttempts = 1, AttemptTimeout = TimeSpan.FromSeconds(10), TimeProvider = _time });

    // Headers and the start of a body, then nothing until the test ends.
    private void Stall(int status)
        => _server.Respond = async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"na");
            await context.Response.Body.FlushAsync();
            _partialSent.TrySetResult();
            await _release.Task;
        };

    // Moves the fake clock until the call ends: bounded, so a hang fails instead of waiting forever.
    private async Task<Exception> EndAsync(Task call)
    {
        await _partialSent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        for (int i = 0; i < 200 && !call.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(call, Task.Delay(10));
        }

        Assert.True(call.IsCompleted, "the call did not end within 200 s of fake time");
        return await Assert.ThrowsAnyAsync<Exception>(() => call);
    }

    [Fact]
    public async Task JsonBody_ThatStallsAfterTheHeaders_TimesOut()
    {
        Stall(200);
        using ApiTransport transport = Transport();

        Exception exception = await EndAsync(transport.SendJsonAsync(new ApiRequest(HttpMethod.Get, "/x", "/x"), TestJsonContext.Default.Token, CancellationToken.None));

        Assert.IsType<TimeoutException>(exception);
        Assert.Contains("body did not arrive", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextBody_ThatStallsAfterTheHeaders_TimesOut()
    {
        Stall(200);
        using ApiTransport transport = Transport();

        Assert.IsType<TimeoutException>(await EndAsync(transport.SendTextAsync(new ApiRequest(HttpMethod.Get, "/x", "/x"), CancellationToken.None)));
    }

    [Fact]
    public async Task ErrorBody_ThatStallsAfterTheHeaders_TimesOut()
    {
        Stall(500);
        using ApiTransport transport = Transport();

        Exception exception = await EndAsync(transport.SendNoContentAsync(new ApiRequest(HttpMethod.Get, "/x", "/x"), CancellationToken.None));

        Assert.IsType<TimeoutException>(exception);
        Assert.Contains("answered 500", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirect_IsNotFollowed_ItIsAnError()
    {
        _server.Respond = context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = context.Request.Path.Value == "/x" ? "/elsewhere" : "/x";
            return Task.CompletedTask;
        };
        using ApiTransport transport = Transport();

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => transport.SendNoContentAsync(new ApiRequest(HttpMethod.Post, "/x", "/x") { Content = ApiContent.Text("body") }, CancellationToken.None));

        Assert.Equal(302, (int)exception.StatusCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task CallersCancellation_CarriesTheCallersToken()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Respond = async _ =>
        {
            arrived.TrySetResult();
            await _release.Task;
        };
        using ApiTransport transport = Transport();
        using var cancellation = new CancellationTokenSource();

        Task call = transport.SendNoContentAsync(new ApiRequest(HttpMethod.Get, "/x", "/x"), cancellation.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancellation.CancelAsync();

        OperationCanceledException exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cancellation.Token, exception.CancellationToken);
    }

    [Fact]
    public async Task AttemptTimeout_BeyondWhatATimerCounts_IsNoLimit_AndZeroIsRefused()
    {
        _server.RespondJson(200, """{"text":"ok","index":1}""");
        using ApiTransport transport = Transport(new RetryPolicy { AttemptTimeout = TimeSpan.MaxValue });

        Token token = await transport.SendJsonAsync(new ApiRequest(HttpMethod.Get, "/x", "/x"), TestJsonContext.Default.Token, CancellationToken.None);

        Assert.Equal("ok", token.Text);
        Assert.Null(new RetryPolicy { AttemptTimeout = TimeSpan.MaxValue }.AttemptTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { AttemptTimeout = TimeSpan.Zero });
    }
}
