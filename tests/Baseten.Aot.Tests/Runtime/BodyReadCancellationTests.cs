using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Baseten.Aot.Tests;

// A call the caller cancels while its body is being read (the headers are in) ends with the caller's
// token on the exception, as it does while waiting for the headers: so that
// `catch (OperationCanceledException e) when (e.CancellationToken == ct)` sees its own cancellation.
public sealed class BodyReadCancellationTests : IAsyncLifetime
{
    // The attempt timeout runs on a clock that never moves: only the caller ends these calls.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync();

        // The headers and the start of a 64-byte body, then nothing until the test ends.
        _server.Respond = async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = 64;
            await context.Response.WriteAsync("{\"na");
            await context.Response.Body.FlushAsync();
            await _release.Task;
        };
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("json")]
    [InlineData("text")]
    [InlineData("no content")]
    public async Task CallersCancellation_WhileTheBodyIsRead_CarriesTheCallersToken(string body)
    {
        var headers = new HeadersArrived();
        var policy = new RetryPolicy { MaxAttempts = 1, AttemptTimeout = TimeSpan.FromSeconds(10), TimeProvider = _time };
        using ApiTransport transport = ApiTransport.Create(null, _server.BaseAddress, null, policy, perCallPolicies: [headers]);
        using var caller = new CancellationTokenSource();
        var request = new ApiRequest(HttpMethod.Get, "/x", "/x");

        Task call = body switch
        {
            "json" => transport.SendJsonAsync(request, TestJsonContext.Default.Token, caller.Token),
            "text" => transport.SendTextAsync(request, caller.Token),
            _ => transport.SendNoContentAsync(request, caller.Token),
        };
        await headers.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await caller.CancelAsync();

        OperationCanceledException exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(caller.Token, exception.CancellationToken);
    }

    // Sees the 2xx response come back through the pipeline: from then on, the call reads its body.
    private sealed class HeadersArrived : ApiPolicy
    {
        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask ProcessAsync(ApiMessage message, IReadOnlyList<ApiPolicy> pipeline, int index)
        {
            await ProcessNextAsync(message, pipeline, index);
            Arrived.TrySetResult();
        }
    }
}
