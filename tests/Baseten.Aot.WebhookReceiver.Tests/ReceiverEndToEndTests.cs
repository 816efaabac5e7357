using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static Baseten.Aot.Tests.Webhooks.WebhookDeliveries;

namespace Baseten.Aot.WebhookReceiver.Tests;

/// <summary>
/// The receiver in this process, on Kestrel at 127.0.0.1 with an ephemeral port: deliveries signed
/// with a real HMAC and posted over loopback, as Baseten posts them, against a fake clock.
/// </summary>
public sealed class ReceiverEndToEndTests : IAsyncDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset s_now = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(s_now);
    private readonly ConcurrentQueue<AsyncPredictResult> _handled = new();
    private readonly HttpClient _http = new() { Timeout = s_bound };
    private WebApplication? _app;

    /// <summary>What the handler does, after recording the result; by default nothing.</summary>
    private Func<AsyncPredictResult, CancellationToken, Task> _onResult = (_, _) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(s_bound);
            await _app.DisposeAsync();
        }
    }

    private async Task<Uri> StartAsync(string secrets = Secret, params string[] settings)
    {
        string[] args = ["--urls=http://127.0.0.1:0", $"--{ReceiverSettings.SecretKey}={secrets}", .. settings];
        _app = ReceiverApp.Build(args, (result, _, cancellationToken) =>
        {
            _handled.Enqueue(result);
            return _onResult(result, cancellationToken);
        }, _clock);
        await _app.StartAsync().WaitAsync(s_bound);
        return new Uri(_app.Urls.Single() + "/webhooks/baseten");
    }

    private async Task<(HttpStatusCode Status, string Text)> PostAsync(Uri address, byte[] body, string? header, bool chunked = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, address);
        request.Content = chunked ? new StreamContent(new System.IO.MemoryStream(body)) : new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("X-BASETEN-SIGNATURE", header);
        }

        using HttpResponseMessage response = await _http.SendAsync(request);
        return (response.StatusCode, (await response.Content.ReadAsStringAsync()).TrimEnd());
    }

    [Fact]
    public async Task ASignedDelivery_IsHandedToTheHandler_Once_AndItsReplaysAnswered200WithoutHandling()
    {
        Uri address = await StartAsync();
        byte[] body = Payload("req-1", s_now.AddSeconds(-1));
        string header = Header(body, Secret);

        (HttpStatusCode Status, string Text) first = await PostAsync(address, body, header);
        (HttpStatusCode Status, string Text)[] replays = [await PostAsync(address, body, header), await PostAsync(address, body, header, chunked: true)];
        _clock.Advance(TimeSpan.FromSeconds(200));
        (HttpStatusCode Status, string Text) later = await PostAsync(address, body, header);

        Assert.Equal((HttpStatusCode.OK, "handled"), first);
        Assert.All(replays, replay => Assert.Equal((HttpStatusCode.OK, "already handled"), replay));
        Assert.Equal((HttpStatusCode.OK, "already handled"), later);
        AsyncPredictResult handled = Assert.Single(_handled);
        Assert.Equal(("req-1", "def456"), (handled.RequestId, handled.DeploymentId));
        Assert.Equal("model response here", handled.ReadData(ReceiverJson.Default.JsonElement).GetProperty("output").GetString());
    }

    [Fact]
    public async Task AReplayAfterTheWindow_IsTooOld_NotHandledAgain()
    {
        Uri address = await StartAsync();
        byte[] body = Payload("req-1", s_now);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(address, body, Header(body, Secret))).Status);
        _clock.Advance(TimeSpan.FromSeconds(301));

        Assert.Equal((HttpStatusCode.Unauthorized, "TooOld"), await PostAsync(address, body, Header(body, Secret)));
        Assert.Single(_handled);
    }

    [Fact]
    public async Task DeliveriesOfDifferentRequests_AreEachHandled()
    {
        Uri address = await StartAsync();

        foreach (string id in new[] { "req-a", "req-b", "req-c" })
        {
            byte[] body = Payload(id, s_now);
            Assert.Equal((HttpStatusCode.OK, "handled"), await PostAsync(address, body, Header(body, Secret)));
        }

        Assert.Equal(["req-a", "req-b", "req-c"], _handled.Select(result => result.RequestId));
    }

    [Fact]
    public async Task WhileTheSecretRotates_DeliveriesSignedWithEitherPass()
    {
        Uri address = await StartAsync($"{NewSecret},{Secret}");
        byte[] both = Payload("req-both", s_now);
        byte[] oldOnly = Payload("req-old", s_now);
        byte[] newOnly = Payload("req-new", s_now);
        byte[] neither = Payload("req-neither", s_now);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(address, both, Header(both, NewSecret, Secret))).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(address, oldOnly, Header(oldOnly, Secret))).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(address, newOnly, Header(newOnly, NewSecret))).Status);
        Assert.Equal((HttpStatusCode.Unauthorized, "NoMatchingSignature"), await PostAsync(address, neither, Header(neither, "whsec_Revoked")));
        Assert.Equal(["req-both", "req-old", "req-new"], _handled.Select(result => result.RequestId));
    }

    [Fact]
    public async Task AReceiverHoldingOnlyTheNewSecret_PassesADeliverySignedWithBoth()
    {
        Uri address = await StartAsync(NewSecret);
        byte[] body = Payload("req-1", s_now);

        Assert.Equal((HttpStatusCode.OK, "handled"), await PostAsync(address, body, Header(body, NewSecret, Secret)));
    }

    [Fact]
    public async Task TamperedBodiesAndHeaders_AreRefused401_AndNeverHandled()
    {
        Uri address = await StartAsync();
        byte[] body = Payload("req-1", s_now);
        string header = Header(body, Secret);
        byte[] tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("req-1", "req-2", StringComparison.Ordinal));
        string flipped = header[..^1] + (header[^1] == 'a' ? 'b' : 'a');

        Assert.Equal((HttpStatusCode.Unauthorized, "NoMatchingSignature"), await PostAsync(address, tampered, header));
        Assert.Equal((HttpStatusCode.Unauthorized, "NoMatchingSignature"), await PostAsync(address, body, flipped));
        Assert.Equal((HttpStatusCode.Unauthorized, "MalformedSignature"), await PostAsync(address, body, header[..^1]));
        Assert.Equal((HttpStatusCode.Unauthorized, "MissingSignature"), await PostAsync(address, body, null));
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task StaleAndFutureTimes_AreRefused401()
    {
        Uri address = await StartAsync();
        byte[] stale = Payload("req-stale", s_now.AddMinutes(-6));
        byte[] future = Payload("req-future", s_now.AddMinutes(6));

        Assert.Equal((HttpStatusCode.Unauthorized, "TooOld"), await PostAsync(address, stale, Header(stale, Secret)));
        Assert.Equal((HttpStatusCode.Unauthorized, "FromTheFuture"), await PostAsync(address, future, Header(future, Secret)));
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task AnOversizedBody_Is413_WhetherItsLengthIsDeclaredOrChunked_AndSignedNonJsonIs400()
    {
        Uri address = await StartAsync(Secret, $"--{ReceiverSettings.MaxBodyKey}=1000");
        byte[] large = Payload("req-1", s_now, data: "\"" + new string('x', 2000) + "\"");
        byte[] notJson = "certainly not json"u8.ToArray();

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "BodyTooLarge"), await PostAsync(address, large, Header(large, Secret)));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "BodyTooLarge"), await PostAsync(address, large, Header(large, Secret), chunked: true));
        Assert.Equal((HttpStatusCode.BadRequest, "NotJson"), await PostAsync(address, notJson, Header(notJson, Secret)));
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task WhenTheHandlerThrows_TheDeliveryIs500_AndBasetensRetryIsHandled()
    {
        Uri address = await StartAsync();
        int calls = 0;
        _onResult = (_, _) => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("database down") : Task.CompletedTask;
        byte[] body = Payload("req-1", s_now);

        Assert.Equal((HttpStatusCode.InternalServerError, "handler failed"), await PostAsync(address, body, Header(body, Secret)));
        Assert.Equal((HttpStatusCode.OK, "handled"), await PostAsync(address, body, Header(body, Secret)));
        Assert.Equal((HttpStatusCode.OK, "already handled"), await PostAsync(address, body, Header(body, Secret)));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task ARetryArrivingWhileTheFirstIsStillHandled_WaitsForIt_AndIsNotHandledTwice()
    {
        Uri address = await StartAsync();
        (TaskCompletionSource entered, TaskCompletionSource release) = BlockTheHandler();
        Task waiting = RetryWaits();
        byte[] body = Payload("req-1", s_now);

        Task<(HttpStatusCode, string)> first = PostAsync(address, body, Header(body, Secret));
        await entered.Task.WaitAsync(s_bound);
        Task<(HttpStatusCode, string)> retry = PostAsync(address, body, Header(body, Secret));
        await waiting.WaitAsync(s_bound);
        release.SetResult();

        Assert.Equal((HttpStatusCode.OK, "handled"), await first.WaitAsync(s_bound));
        Assert.Equal((HttpStatusCode.OK, "already handled"), await retry.WaitAsync(s_bound));
        Assert.Single(_handled);
    }

    [Fact]
    public async Task ARetryThatWaitsTooLong_Is503_SoBasetenMayTryAgain_AndTheFirstStillCounts()
    {
        Uri address = await StartAsync();
        (TaskCompletionSource entered, TaskCompletionSource release) = BlockTheHandler();
        Task waiting = RetryWaits();
        byte[] body = Payload("req-1", s_now);

        Task<(HttpStatusCode, string)> first = PostAsync(address, body, Header(body, Secret));
        await entered.Task.WaitAsync(s_bound);
        Task<(HttpStatusCode, string)> retry = PostAsync(address, body, Header(body, Secret));
        await waiting.WaitAsync(s_bound);
        _clock.Advance(ReceiverApp.DuplicateWait);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "still being handled"), await retry.WaitAsync(s_bound));
        release.SetResult();
        Assert.Equal((HttpStatusCode.OK, "handled"), await first.WaitAsync(s_bound));
        Assert.Equal((HttpStatusCode.OK, "already handled"), await PostAsync(address, body, Header(body, Secret)));
        Assert.Single(_handled);
    }

    private (TaskCompletionSource Entered, TaskCompletionSource Release) BlockTheHandler()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _onResult = async (_, cancellationToken) =>
        {
            entered.TrySetResult();
            await release.Task.WaitAsync(s_bound, cancellationToken);
        };
        return (entered, release);
    }

    /// <summary>Completes when a repeated delivery finds its id in progress and starts to wait.</summary>
    private Task RetryWaits()
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _app!.Services.GetRequiredService<DeliveryLedger>().Waiting += _ => waiting.TrySetResult();
        return waiting.Task;
    }

    [Fact]
    public void MissingOrBadSettings_AreRefusedByName_WithoutTheirValues()
    {
        ReceiverConfigurationException missing = Assert.Throws<ReceiverConfigurationException>(() => ReceiverApp.Build([$"--{ReceiverSettings.SecretKey}= , "], (_, _, _) => Task.CompletedTask));
        ReceiverConfigurationException badNumber = Assert.Throws<ReceiverConfigurationException>(() => ReceiverApp.Build([$"--{ReceiverSettings.SecretKey}={Secret}", $"--{ReceiverSettings.ToleranceKey}=-5"], (_, _, _) => Task.CompletedTask));
        ReceiverConfigurationException badPath = Assert.Throws<ReceiverConfigurationException>(() => ReceiverApp.Build([$"--{ReceiverSettings.SecretKey}={Secret}", $"--{ReceiverSettings.PathKey}=hooks"], (_, _, _) => Task.CompletedTask));

        Assert.StartsWith("BASETEN_WEBHOOK_SECRET is not set", missing.Message, StringComparison.Ordinal);
        Assert.StartsWith("BASETEN_WEBHOOK_TOLERANCE_SECONDS must be", badNumber.Message, StringComparison.Ordinal);
        Assert.StartsWith("BASETEN_WEBHOOK_PATH must be", badPath.Message, StringComparison.Ordinal);
        Assert.All(new[] { missing.Message, badNumber.Message, badPath.Message }, message => Assert.DoesNotContain(Secret, message, StringComparison.Ordinal));
    }
}
