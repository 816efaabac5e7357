using System;
using Baseten.Aot.Http;

namespace Baseten.Aot;

/// <summary>
/// How a bulk job (embed, rerank, classify) splits its inputs and sends them: batch size and
/// characters per batch, how many requests are in flight, retries, hedging, one deadline for the
/// whole job, and progress. Validated when the job starts.
/// </summary>
public class InferenceJobOptions
{
    private protected InferenceJobOptions()
    {
    }

    /// <summary>The most inputs in one request. Default 128 (BEI's and Baseten's performance client's default); 1 to 1,024.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>
    /// The most characters (UTF-16 code units) of input in one request, or null for no limit: a batch
    /// ends before the input that would pass it. An input longer than the limit is sent alone.
    /// </summary>
    public int? MaxCharactersPerBatch { get; set; }

    /// <summary>
    /// How many requests are in flight at once. Default 32: enough to keep a BEI replica's dynamic
    /// batching full over a WAN round trip (32 requests of 128 inputs is 4,096 inputs queued), and it
    /// bounds the memory a job holds (see <see cref="BasetenInferenceClient.EmbedBatchesAsync"/>). 1 to 1,024.
    /// </summary>
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>
    /// Sends a second copy of a request that has not answered after this long, and takes whichever
    /// answers first (the other is cancelled); null (the default) never hedges. Hedges are not
    /// counted in <see cref="MaxConcurrency"/> and are limited by <see cref="HedgeBudget"/>.
    /// </summary>
    public TimeSpan? HedgeDelay { get; set; }

    /// <summary>The most hedged requests, as a fraction of the job's batches (rounded up). Default 0.10; 0 to 3.</summary>
    public double HedgeBudget { get; set; } = 0.10;

    /// <summary>How long the whole job may take; then it throws <see cref="TimeoutException"/>. Null (the default) for no limit beyond each request's.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// When a request is repeated. Null (the default) uses the client's policy with
    /// <see cref="RetryPolicy.RetryUnsafeMethods"/> on, because these POSTs change nothing on the
    /// server: 408, 429, 500, 502, 503, 504, timeouts and dropped connections are retried with backoff
    /// within the policy's attempts and <see cref="RetryPolicy.Budget"/>; 529 and other statuses are final.
    /// </summary>
    public RetryPolicy? Retry { get; set; }

    /// <summary>Told after each batch that succeeds (in the order they finish).</summary>
    public IProgress<InferenceJobProgress>? Progress { get; set; }

    internal void Validate(string parameterName)
    {
        if (BatchSize is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(parameterName, "BatchSize must be 1 to 1,024.");
        }

        if (MaxCharactersPerBatch is < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, "MaxCharactersPerBatch must be positive, or null for no limit.");
        }

        if (MaxConcurrency is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(parameterName, "MaxConcurrency must be 1 to 1,024.");
        }

        if (HedgeDelay is { } delay && delay <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameterName, "HedgeDelay must be positive, or null for no hedging.");
        }

        if (!(HedgeBudget is >= 0 and <= 3))
        {
            throw new ArgumentOutOfRangeException(parameterName, "HedgeBudget must be 0 to 3 (a fraction of the batches).");
        }

        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameterName, "Timeout must be positive, or null for none.");
        }
    }
}

/// <summary>Options of <see cref="BasetenInferenceClient.EmbedAsync"/> and <see cref="BasetenInferenceClient.EmbedBatchesAsync"/>.</summary>
public sealed class EmbeddingOptions : InferenceJobOptions
{
    /// <summary>The <c>model</c> field of each request. Default <c>"model"</c>: a BEI deployment serves the one model it was built with.</summary>
    public string Model { get; set; } = "model";

    /// <summary>How the server writes each vector: <see cref="EmbeddingEncoding.Base64"/> (the default) is about a third of the bytes of JSON numbers and is read faster; both give the same floats.</summary>
    public EmbeddingEncoding Encoding { get; set; } = EmbeddingEncoding.Base64;

    /// <summary>The <c>dimensions</c> to ask for (Matryoshka models), or null for the model's own.</summary>
    public int? Dimensions { get; set; }
}

/// <summary>How embedding vectors travel: the <c>encoding_format</c> of the request.</summary>
public enum EmbeddingEncoding
{
    /// <summary>JSON numbers (<c>"float"</c>).</summary>
    JsonNumbers,

    /// <summary>Little-endian float32 bytes in base64 (<c>"base64"</c>).</summary>
    Base64,
}

/// <summary>Options of <see cref="BasetenInferenceClient.RerankAsync"/>.</summary>
public sealed class RerankOptions : InferenceJobOptions
{
    /// <summary>Send the scores before the model's activation (<c>raw_scores</c>). Default false.</summary>
    public bool RawScores { get; set; }

    /// <summary>Ask the server to echo each text (<c>return_text</c>); it lands in <see cref="RerankScore.Text"/>. Default false.</summary>
    public bool ReturnText { get; set; }

    /// <summary>Let the server cut texts longer than the model takes (<c>truncate</c>) instead of refusing them. Default false.</summary>
    public bool Truncate { get; set; }

    /// <summary>Which end is cut (<c>truncation_direction</c>): <c>"Right"</c> (the default) or <c>"Left"</c>.</summary>
    public string TruncationDirection { get; set; } = "Right";
}

/// <summary>Options of <see cref="BasetenInferenceClient.ClassifyAsync"/>.</summary>
public sealed class ClassifyOptions : InferenceJobOptions
{
    /// <summary>Send the scores before the model's activation (<c>raw_scores</c>). Default false.</summary>
    public bool RawScores { get; set; }

    /// <summary>Let the server cut inputs longer than the model takes (<c>truncate</c>). Default false.</summary>
    public bool Truncate { get; set; }

    /// <summary>Which end is cut (<c>truncation_direction</c>): <c>"Right"</c> (the default) or <c>"Left"</c>.</summary>
    public string TruncationDirection { get; set; } = "Right";
}
