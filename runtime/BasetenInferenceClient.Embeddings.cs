using System;
using System.Buffers;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot;

// Bulk jobs against Baseten Embeddings Inference (BEI): /sync/v1/embeddings, /sync/rerank and
// /sync/predict under the target's /sync root (SyncPrefix). Every request goes through the
// transport, so it has the same authorization, redaction, telemetry and retry rules as any call.
public sealed partial class BasetenInferenceClient
{
    private RetryPolicy? _jobRetryPolicy;

    /// <summary>
    /// Embeds <paramref name="inputs"/> and yields the vectors batch by batch, in input order, as
    /// they arrive. Memory is bounded by the concurrency, not by the number of inputs: at most
    /// <c>2 × MaxConcurrency</c> batches are held at once (in flight, or answered and waiting for an
    /// earlier batch or for the consumer), so a consumer that writes each batch out and lets it go
    /// embeds millions of texts in constant memory. A slow consumer slows the job instead of growing it.
    /// </summary>
    /// <param name="inputs">The texts; read while the job runs, so do not change the list meanwhile.</param>
    /// <param name="options">Batching, concurrency, retries, hedging, deadline, progress and the request's fields; null for the defaults.</param>
    /// <param name="target">The deployment; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the job: every request in flight is aborted at once.</param>
    /// <returns>The batches, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> or one of them is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    /// <exception cref="InferenceBatchException">A batch failed after its retries; it says which inputs, and why. Every other request is cancelled.</exception>
    /// <exception cref="TimeoutException">The job ran past <see cref="InferenceJobOptions.Timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public IAsyncEnumerable<EmbeddingBatch> EmbedBatchesAsync(IReadOnlyList<string> inputs, EmbeddingOptions? options = null, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        // The job's own iterator: its token parameter is the enumerator's cancellation too.
        return EmbeddingJob(inputs, options ?? new EmbeddingOptions(), target).RunAsync(cancellationToken);
    }

    /// <summary>
    /// Embeds <paramref name="inputs"/> and returns every vector, in input order (one array per
    /// batch; each vector a slice of it). For corpora too large to hold, use <see cref="EmbedBatchesAsync"/>.
    /// </summary>
    /// <returns>The vectors, by input index.</returns>
    /// <inheritdoc cref="EmbedBatchesAsync"/>
    public async Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> inputs, EmbeddingOptions? options = null, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        BatchJob<EmbeddingBatch> job = EmbeddingJob(inputs, options ?? new EmbeddingOptions(), target);
        var batches = new EmbeddingBatch[job.BatchCount];
        int i = 0;
        await foreach (EmbeddingBatch batch in job.RunAsync(cancellationToken).ConfigureAwait(false))
        {
            batches[i++] = batch;
        }

        return new EmbeddingResult(batches, inputs.Count);
    }

    /// <summary>
    /// Scores each of <paramref name="texts"/> against <paramref name="query"/> with a BEI reranker
    /// (<c>/sync/rerank</c>), in batches, and returns one score per text in input order (sort them
    /// by <see cref="RerankScore.Score"/> for a ranking).
    /// </summary>
    /// <param name="query">The query.</param>
    /// <param name="texts">The texts to score.</param>
    /// <param name="options">Batching, concurrency, retries, hedging, deadline, progress and the request's fields; null for the defaults.</param>
    /// <param name="target">The deployment; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the job: every request in flight is aborted at once.</param>
    /// <returns>One score per text; element i is text i's.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/>, <paramref name="texts"/> or one of them is null.</exception>
    /// <inheritdoc cref="EmbedBatchesAsync"/>
    public async Task<RerankScore[]> RerankAsync(string query, IReadOnlyList<string> texts, RerankOptions? options = null, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(texts);
        options ??= new RerankOptions();
        string route = Route(target, "/rerank", out string template);
        BatchJob<RerankScore[]> job = Job(texts, options, (batch, token) =>
            _transport.SendBodyAsync(JobRequest(route, template, BeiWire.RerankRequest(query, texts, batch, options), options), BeiWire.AnswerBuffers, body => BeiWire.ReadRerank(body, batch), "rerank scores", token));
        var scores = new RerankScore[texts.Count];
        int start = 0;
        await foreach (RerankScore[] values in job.RunAsync(cancellationToken).ConfigureAwait(false))
        {
            // In input order, one score per text of the batch (ReadRerank checks).
            values.CopyTo(scores, start);
            start += values.Length;
        }

        return scores;
    }

    /// <summary>
    /// Classifies each of <paramref name="inputs"/> with a BEI classifier (<c>/sync/predict</c>), in
    /// batches, and returns each input's labels and scores in input order.
    /// </summary>
    /// <param name="inputs">The texts to classify.</param>
    /// <param name="options">Batching, concurrency, retries, hedging, deadline, progress and the request's fields; null for the defaults.</param>
    /// <param name="target">The deployment; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the job: every request in flight is aborted at once.</param>
    /// <returns>Element i holds input i's labels, as the server ordered them.</returns>
    /// <inheritdoc cref="EmbedBatchesAsync"/>
    public async Task<ClassificationScore[][]> ClassifyAsync(IReadOnlyList<string> inputs, ClassifyOptions? options = null, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        options ??= new ClassifyOptions();
        string route = Route(target, "/predict", out string template);
        BatchJob<ClassificationScore[][]> job = Job(inputs, options, (batch, token) =>
            _transport.SendBodyAsync(JobRequest(route, template, BeiWire.ClassifyRequest(inputs, batch, options), options), BeiWire.AnswerBuffers, body => BeiWire.ReadClassify(body, batch), "classifications", token));
        var results = new ClassificationScore[inputs.Count][];
        int start = 0;
        await foreach (ClassificationScore[][] values in job.RunAsync(cancellationToken).ConfigureAwait(false))
        {
            // In input order, one list per input of the batch (ReadClassify checks).
            values.CopyTo(results, start);
            start += values.Length;
        }

        return results;
    }

    internal BatchJob<EmbeddingBatch> EmbeddingJob(IReadOnlyList<string> inputs, EmbeddingOptions options, PredictTarget? target)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options.Model, nameof(options));
        if (options.Dimensions is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Dimensions must be positive, or null for the model's own.");
        }

        string route = Route(target, "/v1/embeddings", out string template);
        return Job(inputs, options, (batch, token) =>
            _transport.SendBodyAsync(JobRequest(route, template, BeiWire.EmbeddingsRequest(inputs, batch, options), options), BeiWire.AnswerBuffers, body => BeiWire.ReadEmbeddings(body, batch, options.Dimensions), "embeddings", token));
    }

    private BatchJob<T> Job<T>(IReadOnlyList<string> inputs, InferenceJobOptions options, Func<InputBatch, CancellationToken, Task<T>> send)
    {
        options.Validate(nameof(options));
        return new BatchJob<T>(inputs, options, send, options.Retry?.TimeProvider ?? _timeProvider);
    }

    private string Route(PredictTarget? target, string path, out string template)
    {
        template = SyncTemplate(target, _regional) + path;
        return SyncPrefix(target, _regional, nameof(target)) + path;
    }

    private ApiRequest JobRequest(string route, string template, byte[] body, InferenceJobOptions options)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        return new ApiRequest(HttpMethod.Post, template, route)
        {
            Content = content,
            Options = new ApiCallOptions { Retry = options.Retry ?? JobRetryPolicy() },
        };
    }

    // The client's policy with POST retries on: an embedding, rerank or classify request changes
    // nothing on the server, so a 5xx or a dropped connection is safe to repeat. It shares the
    // client's budget.
    private RetryPolicy JobRetryPolicy()
    {
        if (_jobRetryPolicy is { } cached)
        {
            return cached;
        }

        RetryPolicy p = _transport.RetryPolicy;
        RetryPolicy policy = p.RetryUnsafeMethods ? p : new RetryPolicy
        {
            MaxAttempts = p.MaxAttempts,
            BaseDelay = p.BaseDelay,
            MaxDelay = p.MaxDelay,
            AttemptTimeout = p.AttemptTimeout,
            CallTimeout = p.CallTimeout,
            ShouldRetry = p.ShouldRetry,
            Budget = p.Budget,
            RetryUnsafeMethods = true,
            TimeProvider = p.TimeProvider,
            Jitter = p.Jitter,
        };
        return _jobRetryPolicy = policy;
    }
}
