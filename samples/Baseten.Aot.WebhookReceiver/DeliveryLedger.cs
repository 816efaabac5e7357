using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Baseten.Aot.WebhookReceiver;

/// <summary>
/// Which request ids were handled, so that a delivery Baseten repeats (a retry after a timeout, a
/// replay) is answered without running the handler again. Bounded: a handled id is kept for
/// <c>retention</c> and at most <c>capacity</c> of them, the oldest forgotten first. Forgetting after
/// twice the verifier's tolerance loses nothing: a delivery whose time is within the tolerance when
/// it first arrives is outside it by then, so a replay is refused as too old instead.
/// </summary>
internal sealed class DeliveryLedger(TimeProvider timeProvider, TimeSpan retention, int capacity)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<(string RequestId, DateTimeOffset Until)> _handled = new();

    public enum Claim
    {
        /// <summary>The caller now handles this id and must call <see cref="Complete"/> or <see cref="Abandon"/>.</summary>
        Claimed,

        /// <summary>Handled before: answer success without handling again.</summary>
        AlreadyHandled,

        /// <summary>Another delivery of the same id is being handled; wait for its outcome.</summary>
        InProgress,
    }

    /// <summary>Raised when a repeated delivery has started waiting for the outcome of the one in progress (for tests and metrics).</summary>
    public event Action<string>? Waiting;

    /// <summary>Handled ids remembered now (for tests and metrics).</summary>
    public int HandledCount
    {
        get
        {
            lock (_lock)
            {
                Expire(timeProvider.GetUtcNow());
                return _handled.Count;
            }
        }
    }

    /// <summary>
    /// Claims <paramref name="requestId"/>; when another delivery holds it, <paramref name="outcome"/>
    /// completes with true once that one is handled, false if it gives up.
    /// </summary>
    public Claim TryClaim(string requestId, out Task<bool>? outcome)
    {
        lock (_lock)
        {
            Expire(timeProvider.GetUtcNow());
            if (_entries.TryGetValue(requestId, out Entry? entry))
            {
                outcome = entry.Outcome.Task;
                return entry.Handled ? Claim.AlreadyHandled : Claim.InProgress;
            }

            _entries.Add(requestId, new Entry());
            outcome = null;
            return Claim.Claimed;
        }
    }

    /// <summary>Raises <see cref="Waiting"/>; called once the wait (and its timeout) has begun.</summary>
    public void OnWaiting(string requestId) => Waiting?.Invoke(requestId);

    /// <summary>The claimed id was handled: remember it, and tell whoever waits.</summary>
    public void Complete(string requestId)
    {
        Entry entry;
        lock (_lock)
        {
            DateTimeOffset now = timeProvider.GetUtcNow();
            Expire(now);
            entry = _entries[requestId];
            entry.Handled = true;
            entry.Until = now + retention;
            _handled.Enqueue((requestId, entry.Until));
            while (_handled.Count > capacity)
            {
                Forget(_handled.Dequeue());
            }
        }

        entry.Outcome.TrySetResult(true);
    }

    /// <summary>Handling the claimed id failed: forget the claim, so that Baseten's retry is handled afresh.</summary>
    public void Abandon(string requestId)
    {
        Entry? entry;
        lock (_lock)
        {
            _entries.Remove(requestId, out entry);
        }

        entry?.Outcome.TrySetResult(false);
    }

    private void Expire(DateTimeOffset now)
    {
        while (_handled.TryPeek(out (string RequestId, DateTimeOffset Until) oldest) && oldest.Until <= now)
        {
            Forget(_handled.Dequeue());
        }
    }

    private void Forget((string RequestId, DateTimeOffset Until) handled)
    {
        if (_entries.TryGetValue(handled.RequestId, out Entry? entry) && entry.Handled && entry.Until == handled.Until)
        {
            _entries.Remove(handled.RequestId);
        }
    }

    private sealed class Entry
    {
        public TaskCompletionSource<bool> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Handled { get; set; }

        public DateTimeOffset Until { get; set; }
    }
}
