using System;
using System.Threading;

namespace Baseten.Aot.Http;

/// <summary>
/// A shared allowance of retries: each retry spends one, each call that succeeds earns back a
/// fraction of one, up to <see cref="MaxRetries"/>. While it is spent, failures are thrown at once
/// instead of repeated: a server that is down gets one request per call, not one per attempt, and
/// it comes back as soon as calls succeed again. Thread-safe; it starts full.
/// </summary>
public sealed class RetryBudget
{
    // Kept in thousandths of a retry, so that the fractions earned add up exactly.
    private const long Unit = 1000;
    private readonly long _capacity;
    private readonly long _earned;
    private long _balance;

    /// <summary>Creates a budget.</summary>
    /// <param name="maxRetries">How many retries can be made in a row without a success between them. Default 10.</param>
    /// <param name="earnedPerSuccess">How much of a retry each successful call earns back, in (0, 1]. Default 0.1.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of its range.</exception>
    public RetryBudget(int maxRetries = 10, double earnedPerSuccess = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRetries);
        if (!(earnedPerSuccess > 0 && earnedPerSuccess <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(earnedPerSuccess), "Each success earns back more than 0 and at most 1 retry.");
        }

        MaxRetries = maxRetries;
        _capacity = maxRetries * Unit;
        _earned = Math.Max(1, (long)Math.Round(earnedPerSuccess * Unit));
        _balance = _capacity;
    }

    /// <summary>The most retries the budget holds.</summary>
    public int MaxRetries { get; }

    /// <summary>How many retries can be made now (whole ones).</summary>
    public int Available => (int)(Volatile.Read(ref _balance) / Unit);

    /// <summary>Spends one retry if there is one; false when the budget is spent.</summary>
    public bool TrySpend()
    {
        long balance = Volatile.Read(ref _balance);
        while (balance >= Unit)
        {
            long seen = Interlocked.CompareExchange(ref _balance, balance - Unit, balance);
            if (seen == balance)
            {
                return true;
            }

            balance = seen;
        }

        return false;
    }

    /// <summary>Earns back part of a retry for a call that succeeded.</summary>
    public void RecordSuccess()
    {
        // A full budget, the usual case, costs a read and no write.
        long balance = Volatile.Read(ref _balance);
        while (balance < _capacity)
        {
            long seen = Interlocked.CompareExchange(ref _balance, Math.Min(_capacity, balance + _earned), balance);
            if (seen == balance)
            {
                return;
            }

            balance = seen;
        }
    }
}
