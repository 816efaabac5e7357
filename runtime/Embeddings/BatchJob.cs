using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot;

/// <summary>One request's share of a job's inputs: <c>inputs[Start .. Start + Count)</c>.</summary>
/// <remarks>
/// A class, not a struct: the delegates and tasks that carry it are then instantiated over reference
/// types only, whose code NativeAOT shares with every other such instantiation (benchmarks/README.md).
/// </remarks>
internal sealed class InputBatch
{
    public InputBatch(int start, int count)
    {
        Start = start;
        Count = count;
    }

    /// <summary>The index of its first input.</summary>
    public int Start { get; }

    /// <summary>How many inputs it holds.</summary>
    public int Count { get; }
}

/// <summary>
/// Runs a bulk job: splits the inputs into batches, keeps up to MaxConcurrency requests in flight,
/// hedges slow ones within a budget, and yields the answers in input order. At most
/// <see cref="Window"/> batches are started and not yet consumed at any time (in flight, or answered
/// and waiting for an earlier one or for the consumer), so memory is bounded by the concurrency and
/// not by the number of inputs. The first batch that fails cancels every request in flight and fails
/// the job with an <see cref="InferenceBatchException"/>.
/// </summary>
internal sealed class BatchJob<T>
{
    private readonly InputBatch[] _batches;
    private readonly int _items;
    private readonly InferenceJobOptions _options;
    private readonly Func<InputBatch, CancellationToken, Task<T>> _send;
    private readonly TimeProvider _timeProvider;
    private int _hedgesLeft;
    private int _hedges;
    private int _batchesDone;
    private int _itemsDone;
    private int _held;
    private int _peakHeld;
    private InferenceBatchException? _failure;

    public BatchJob(IReadOnlyList<string> inputs, InferenceJobOptions options, Func<InputBatch, CancellationToken, Task<T>> send, TimeProvider timeProvider)
    {
        _batches = Plan(inputs, options.BatchSize, options.MaxCharactersPerBatch);
        _items = inputs.Count;
        _options = options;
        _send = send;
        _timeProvider = timeProvider;
        _hedgesLeft = options.HedgeDelay is null ? 0 : (int)Math.Ceiling(_batches.Length * options.HedgeBudget);
        Window = 2 * options.MaxConcurrency;
    }

    /// <summary>The most batches started and not yet consumed: twice the concurrency, so that one slow batch at the head does not stall the others.</summary>
    public int Window { get; }

    /// <summary>How many batches the job has.</summary>
    public int BatchCount => _batches.Length;

    /// <summary>The most batches ever held at once (started and not consumed): for tests of the bound.</summary>
    public int PeakHeld => Volatile.Read(ref _peakHeld);

    /// <summary>How many hedged requests were sent.</summary>
    public int Hedges => Volatile.Read(ref _hedges);

    // Batches by count, and by characters when asked; an input longer than the limit goes alone.
    internal static InputBatch[] Plan(IReadOnlyList<string> inputs, int batchSize, int? maxCharacters)
    {
        var batches = new List<InputBatch>(inputs.Count / batchSize + 1);
        int start = 0;
        while (start < inputs.Count)
        {
            int count = 0;
            long characters = 0;
            while (start + count < inputs.Count && count < batchSize)
            {
                string input = inputs[start + count] ?? throw new ArgumentException("Input " + (start + count) + " is null.", nameof(inputs));
                if (maxCharacters is { } limit && count > 0 && characters + input.Length > limit)
                {
                    break;
                }

                characters += input.Length;
                count++;
            }

            batches.Add(new InputBatch(start, count));
            start += count;
        }

        return batches.ToArray();
    }

    /// <summary>
    /// Runs the job, yielding each batch's answer in input order: the i-th answer is batch i's, so a
    /// caller that needs to know where an answer goes counts them (the batches are contiguous).
    /// </summary>
    /// <remarks>
    /// It yields the answer alone, and the window holds the tasks alone (the head's batch is the one
    /// after those consumed): an async iterator, queue or task over a tuple with a struct in it would
    /// be code of its own in a NativeAOT binary, where these share the code of every other
    /// instantiation over reference types.
    /// </remarks>
    public async IAsyncEnumerable<T> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var timer = _options.Timeout is { } limit ? new CancellationTokenSource(limit, _timeProvider) : null;
        using var job = timer is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        using var gate = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        var window = new Queue<Task<T>>(Window);
        int next = 0;
        try
        {
            while (true)
            {
                while (window.Count < Window && next < _batches.Length)
                {
                    InputBatch batch = _batches[next++];
                    int held = Interlocked.Increment(ref _held);
                    if (held > _peakHeld)
                    {
                        _peakHeld = held;
                    }

                    window.Enqueue(RunBatchAsync(batch, gate, job));
                }

                if (!window.TryDequeue(out Task<T>? head))
                {
                    yield break;
                }

                T value;
                try
                {
                    value = await head.ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    // The window held the batches next - Window .. next - 1 in order; the head was the first of them.
                    throw Failure(exception, _batches[next - window.Count - 1], timer, cancellationToken);
                }

                yield return value;
                Interlocked.Decrement(ref _held);
            }
        }
        finally
        {
            // Ended early (a failure, a cancellation, a consumer that stopped): every request still in
            // flight is cancelled at once, and waited for, so none outlives the job.
            if (window.Count > 0)
            {
                job.Cancel();
                foreach (Task<T> task in window)
                {
                    try
                    {
                        await task.ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        // Cancelled by the line above, or failed after the job had ended: nothing to report.
                    }
                }
            }
        }
    }

    // What the job throws when the batch at the head did not succeed.
    private Exception Failure(Exception exception, InputBatch head, CancellationTokenSource? timer, CancellationToken caller)
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            return failure;
        }

        if (caller.IsCancellationRequested)
        {
            return new OperationCanceledException("The job was cancelled.", exception, caller);
        }

        if (timer?.IsCancellationRequested == true)
        {
            return new TimeoutException(
                "The job did not finish within its timeout of " + _options.Timeout!.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s: " + Volatile.Read(ref _batchesDone) + " of " + _batches.Length + " batches were done.",
                exception);
        }

        return new InferenceBatchException(head.Start, head.Count, exception);
    }

    private async Task<T> RunBatchAsync(InputBatch batch, SemaphoreSlim gate, CancellationTokenSource job)
    {
        CancellationToken token = job.Token;
        await gate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            T value = _options.HedgeDelay is { } delay ? await HedgedAsync(batch, delay, token).ConfigureAwait(false) : await _send(batch, token).ConfigureAwait(false);
            int done = Interlocked.Increment(ref _batchesDone);
            int items = Interlocked.Add(ref _itemsDone, batch.Count);
            _options.Progress?.Report(new InferenceJobProgress(done, _batches.Length, items, _items));
            return value;
        }
        catch (Exception exception) when (!token.IsCancellationRequested)
        {
            // The first failure ends the job: the others in flight are cancelled at once, not awaited one by one.
            Interlocked.CompareExchange(ref _failure, new InferenceBatchException(batch.Start, batch.Count, exception), null);
            job.Cancel();
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    // The first copy; after the delay, a second one if the budget allows; the first success wins and
    // the other is cancelled. Both failing fails the batch with the first copy's error.
    private async Task<T> HedgedAsync(InputBatch batch, TimeSpan delay, CancellationToken token)
    {
        using var race = CancellationTokenSource.CreateLinkedTokenSource(token);
        Task<T> first = _send(batch, race.Token);
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(token))
        {
            Task timer = Task.Delay(delay, _timeProvider, wait.Token);
            if (await Task.WhenAny(first, timer).ConfigureAwait(false) == first || Interlocked.Decrement(ref _hedgesLeft) < 0)
            {
                wait.Cancel();
                return await first.ConfigureAwait(false);
            }
        }

        Task<T> second = _send(batch, race.Token);
        Interlocked.Increment(ref _hedges);

        Task<T> winner = await Task.WhenAny(first, second).ConfigureAwait(false);
        Task<T> loser = winner == first ? second : first;
        if (winner.IsCompletedSuccessfully)
        {
            race.Cancel();
            Observe(loser);
            return winner.Result;
        }

        try
        {
            return await loser.ConfigureAwait(false);
        }
        catch (Exception) when (!token.IsCancellationRequested)
        {
            return await first.ConfigureAwait(false);
        }
    }

    private static void Observe(Task task) => task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
