using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Baseten.Aot.WebhookReceiver.Tests;

/// <summary>The receiver's memory of handled request ids: exact while it holds them, bounded in time and count.</summary>
public sealed class DeliveryLedgerTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero));

    [Fact]
    public void AHandledId_IsAlreadyHandled_UntilItsRetentionEnds()
    {
        var ledger = new DeliveryLedger(_clock, TimeSpan.FromMinutes(10), capacity: 100);

        Assert.Equal(DeliveryLedger.Claim.Claimed, ledger.TryClaim("req-1", out _));
        ledger.Complete("req-1");
        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.Equal(DeliveryLedger.Claim.AlreadyHandled, ledger.TryClaim("req-1", out _));
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(DeliveryLedger.Claim.Claimed, ledger.TryClaim("req-1", out _));
    }

    [Fact]
    public void AnAbandonedClaim_IsForgotten_SoTheRetryIsHandled()
    {
        var ledger = new DeliveryLedger(_clock, TimeSpan.FromMinutes(10), capacity: 100);

        Assert.Equal(DeliveryLedger.Claim.Claimed, ledger.TryClaim("req-1", out _));
        ledger.Abandon("req-1");

        Assert.Equal(DeliveryLedger.Claim.Claimed, ledger.TryClaim("req-1", out _));
        Assert.Equal(0, ledger.HandledCount);
    }

    [Fact]
    public async Task AClaimInProgress_TellsTheWaiterHowItEnded()
    {
        var ledger = new DeliveryLedger(_clock, TimeSpan.FromMinutes(10), capacity: 100);
        ledger.TryClaim("ok", out _);
        ledger.TryClaim("fails", out _);

        Assert.Equal(DeliveryLedger.Claim.InProgress, ledger.TryClaim("ok", out Task<bool>? ok));
        Assert.Equal(DeliveryLedger.Claim.InProgress, ledger.TryClaim("fails", out Task<bool>? fails));
        Assert.False(ok!.IsCompleted);
        ledger.Complete("ok");
        ledger.Abandon("fails");

        Assert.True(await ok.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(await fails!.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void OverCapacity_TheOldestHandledIdsAreForgottenFirst_AndMemoryStaysBounded()
    {
        var ledger = new DeliveryLedger(_clock, TimeSpan.FromHours(1), capacity: 3);

        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(DeliveryLedger.Claim.Claimed, ledger.TryClaim($"req-{i}", out _));
            ledger.Complete($"req-{i}");
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(3, ledger.HandledCount);
        Assert.Equal(DeliveryLedger.Claim.AlreadyHandled, ledger.TryClaim("req-999", out _));
        Assert.Equal(DeliveryLedger.Claim.AlreadyHandled, ledger.TryClaim("req-997", out _));
        Assert.Equal(DeliveryLedger.Claim.Claimed, ledger.TryClaim("req-996", out _));
    }

    [Fact]
    public void ARehandledId_IsNotForgotten_ByItsEarlierExpiry()
    {
        var ledger = new DeliveryLedger(_clock, TimeSpan.FromMinutes(10), capacity: 100);
        ledger.TryClaim("req-1", out _);
        ledger.Complete("req-1");
        _clock.Advance(TimeSpan.FromMinutes(10));

        // Expired, handled again (a late second delivery of the same id), then the old queue entry comes due.
        Assert.Equal(DeliveryLedger.Claim.Claimed, ledger.TryClaim("req-1", out _));
        ledger.Complete("req-1");
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(DeliveryLedger.Claim.AlreadyHandled, ledger.TryClaim("req-1", out _));
        Assert.Equal(1, ledger.HandledCount);
    }
}
