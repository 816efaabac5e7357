using System;
using System.Threading;

namespace Baseten.Aot.Http;

/// <summary>
/// The retry policy's attempt timeout for one call: a token that ends when the caller cancels or
/// the time runs out, restarted for each attempt and again once the headers are in (so a buffered
/// body gets the same time, and a server that drips one cannot hold the call). One timer source
/// serves the whole call, and the transport keeps one spare between calls, so a call that succeeds
/// allocates no timer at all.
/// </summary>
internal sealed class AttemptDeadline : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private CancellationTokenSource _source;
    private CancellationTokenRegistration _link;
    private CancellationToken _caller;

    public AttemptDeadline(TimeSpan limit, TimeProvider timeProvider, object? owner = null)
    {
        Owner = owner;
        Limit = limit;
        _timeProvider = timeProvider;
        _source = NewSource();
    }

    /// <summary>What the deadline was made for (the retry policy), so that it is kept only for calls of the same.</summary>
    public object? Owner { get; }

    /// <summary>How long each attempt, and each buffered body, may take.</summary>
    public TimeSpan Limit { get; }

    /// <summary>What the attempt is given: cancelled by the caller or by the time limit.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether the time limit, not the caller, ended what was waiting on <see cref="Token"/>.</summary>
    public bool Expired => _source.IsCancellationRequested && !_caller.IsCancellationRequested;

    /// <summary>Ties the deadline to the caller's token for one call.</summary>
    public void Begin(CancellationToken caller)
    {
        _caller = caller;
        if (caller.CanBeCanceled)
        {
            _link = caller.UnsafeRegister(static state => ((AttemptDeadline)state!).CancelFromCaller(), this);
        }
    }

    /// <summary>Gives the next attempt, or the body, the whole limit again; after an expiry, with a fresh source.</summary>
    public void Restart()
    {
        if (_source.IsCancellationRequested && !_caller.IsCancellationRequested)
        {
            // The previous attempt ran out of time: a cancelled source cannot be reset.
            _source.Dispose();
            _source = NewSource();
            if (_caller.IsCancellationRequested)
            {
                // The caller cancelled while the source was being replaced.
                _source.Cancel();
            }
        }

        _source.CancelAfter(Limit);
    }

    /// <summary>
    /// Unties the deadline from the call. True when it can serve another call: nothing cancelled it,
    /// and its timer and registrations are cleared.
    /// </summary>
    public bool End()
    {
        _link.Dispose();
        _link = default;
        _caller = default;
        if (_source.TryReset())
        {
            return true;
        }

        _source.Dispose();
        return false;
    }

    /// <summary>Releases the timer of a deadline that is not used again.</summary>
    public void Dispose() => _source.Dispose();

    private void CancelFromCaller()
    {
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended (and the source was replaced) while the caller was cancelling.
        }
    }

    private CancellationTokenSource NewSource() => new(Timeout.InfiniteTimeSpan, _timeProvider);
}
