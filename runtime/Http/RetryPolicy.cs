using System;

namespace Baseten.Aot.Http;

/// <summary>
/// When and how a transport repeats a request. A request the server may have acted on is not
/// repeated unless it is idempotent (GET, HEAD, PUT, DELETE, OPTIONS, TRACE, QUERY) or
/// <see cref="RetryUnsafeMethods"/> is set; any other method (POST, PATCH, LINK, ...) is repeated only when the server
/// cannot have acted on it: the connection was refused, or it answered 429, or 503 with Retry-After.
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>Never repeats a request.</summary>
    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>How many times a request is sent at most, the first time included. Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The first backoff; each next one doubles, with jitter, up to <see cref="MaxDelay"/>. Default 0.5 s.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest wait between attempts. A server that asks (Retry-After) for a longer wait is not
    /// retried: its error is thrown, with <see cref="ApiException.RetryAfter"/> set. Default 30 s.
    /// </summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one attempt may take, to its response headers, before it is abandoned (and retried
    /// if allowed); a body read whole then gets as long again. Null for no limit. Default 100 s.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? AttemptTimeout
    {
        get => _attemptTimeout;
        init => _attemptTimeout = CheckTimeout(value, nameof(value));
    }

    private readonly TimeSpan? _attemptTimeout = TimeSpan.FromSeconds(100);

    /// <summary>
    /// How long a call may take in all: every attempt, the waits between them, and a body read
    /// whole; then it throws <see cref="TimeoutException"/>. A call that streams its body is bounded
    /// to its response headers. Null (the default) for no limit beyond the attempts'.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? CallTimeout
    {
        get => _callTimeout;
        init => _callTimeout = CheckTimeout(value, nameof(value));
    }

    private readonly TimeSpan? _callTimeout;

    /// <summary>
    /// Decides, after a failed attempt, whether to repeat it: given what happened and what the
    /// built-in rules say (<see cref="RetryContext.Default"/>), returns whether to try again.
    /// Null (the default) keeps the built-in rules. The attempt limit, the delays and the
    /// <see cref="Budget"/> still apply when it says yes.
    /// </summary>
    public Func<RetryContext, bool>? ShouldRetry { get; init; }

    /// <summary>
    /// Limits retries across every call that uses this policy, so that many callers do not hammer a
    /// server that is down: see <see cref="RetryBudget"/>. Clients that share a policy share its
    /// budget. Null for none. Default: a budget of 10 retries, earned back at one per 10 successes.
    /// </summary>
    public RetryBudget? Budget { get; init; } = new();

    /// <summary>Also repeat POST, PATCH and other non-idempotent methods after 408, 5xx, timeouts and dropped connections, where the server may have acted. Default false.</summary>
    public bool RetryUnsafeMethods { get; init; }

    /// <summary>The clock for backoff and timeouts; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where the random half of each backoff comes from: a number in [0, 1) (values outside are
    /// clamped). Random by default, so that clients that failed together do not retry together;
    /// tests pin it.
    /// </summary>
    public Func<double> Jitter { get; init; } = static () => Random.Shared.NextDouble();

    // A timeout setting: positive, and longer than a timer can count (about 49 days) is no limit at all.
    internal static TimeSpan? CheckTimeout(TimeSpan? value, string parameterName)
    {
        if (value is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameterName, "A timeout must be positive; null sets none.");
        }

        return value is { } t && t.TotalMilliseconds >= uint.MaxValue - 1 ? null : value;
    }

    internal TimeSpan Backoff(int attempt) => Backoff(attempt, Math.Clamp(Jitter(), 0, 1));

    internal TimeSpan Backoff(int attempt, double jitter)
    {
        double exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        double capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);

        // "Equal jitter": half fixed, half random, so that clients that failed together do not retry together.
        return TimeSpan.FromMilliseconds((capped / 2) + (capped / 2 * jitter));
    }
}
