using System;
using System.Globalization;
using System.Threading;

namespace Baseten.Aot.Http;

/// <summary>
/// The time a buffered body (JSON, text, a small body to drop) may take once the headers are in:
/// the retry policy's attempt timeout again, so a server that sends headers and then drips or
/// stalls cannot hold a call for as long as it likes. Free when the policy sets no timeout.
/// </summary>
internal readonly struct BodyDeadline : IDisposable
{
    private readonly CancellationTokenSource? _timer;
    private readonly CancellationTokenSource? _linked;
    private readonly TimeSpan _limit;

    private BodyDeadline(CancellationTokenSource timer, CancellationTokenSource linked, TimeSpan limit)
    {
        _timer = timer;
        _linked = linked;
        _limit = limit;
        Token = linked.Token;
    }

    private BodyDeadline(CancellationToken token) => Token = token;

    /// <summary>What reads of the body are given: the caller's token, or it linked to the deadline.</summary>
    public CancellationToken Token { get; }

    /// <summary>Whether the deadline, not the caller, ended the read.</summary>
    public bool Expired => _timer?.IsCancellationRequested == true;

    public static BodyDeadline Start(RetryPolicy policy, CancellationToken cancellationToken)
    {
        if (policy.AttemptTimeout is not { } limit)
        {
            return new BodyDeadline(cancellationToken);
        }

        var timer = new CancellationTokenSource(limit, policy.TimeProvider);
        return new BodyDeadline(timer, CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token), limit);
    }

    public TimeoutException Timeout(ApiRequest request, Exception inner)
        => new(request.Method.Method + " " + request.Path + " answered, but its body did not arrive within " + _limit.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s.", inner);

    public void Dispose()
    {
        _linked?.Dispose();
        _timer?.Dispose();
    }
}
