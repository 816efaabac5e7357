using System;
using System.Collections.Generic;

namespace Baseten.Aot;

/// <summary>How far a bulk job is: reported after each batch that succeeds.</summary>
/// <param name="BatchesDone">Batches answered so far.</param>
/// <param name="BatchesTotal">Batches in the job.</param>
/// <param name="ItemsDone">Inputs answered so far.</param>
/// <param name="ItemsTotal">Inputs in the job.</param>
public readonly record struct InferenceJobProgress(int BatchesDone, int BatchesTotal, int ItemsDone, int ItemsTotal);

/// <summary>
/// One batch of embeddings, in input order: input <c>StartIndex + i</c> has vector <c>this[i]</c>.
/// The vectors are one array, <see cref="Count"/> rows of <see cref="Dimensions"/> floats, and each
/// vector is a slice of it (no copy per input).
/// </summary>
public sealed class EmbeddingBatch
{
    private readonly float[] _vectors;

    internal EmbeddingBatch(int startIndex, int count, int dimensions, float[] vectors)
    {
        StartIndex = startIndex;
        Count = count;
        Dimensions = dimensions;
        _vectors = vectors;
    }

    /// <summary>The index, in the job's inputs, of this batch's first input.</summary>
    public int StartIndex { get; }

    /// <summary>How many inputs the batch holds.</summary>
    public int Count { get; }

    /// <summary>The length of each vector.</summary>
    public int Dimensions { get; }

    /// <summary>All the batch's vectors, row after row.</summary>
    public ReadOnlyMemory<float> Vectors => _vectors;

    /// <summary>The vector of the batch's <paramref name="i"/>-th input (input <c>StartIndex + i</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is not in [0, Count).</exception>
    public ReadOnlyMemory<float> this[int i]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(i);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, Count);
            return _vectors.AsMemory(i * Dimensions, Dimensions);
        }
    }
}

/// <summary>Every embedding of a job, in input order, held as the batches that carried them.</summary>
public sealed class EmbeddingResult
{
    private readonly EmbeddingBatch[] _batches;

    internal EmbeddingResult(EmbeddingBatch[] batches, int count)
    {
        _batches = batches;
        Count = count;
    }

    /// <summary>How many inputs were embedded.</summary>
    public int Count { get; }

    /// <summary>The batches, in input order.</summary>
    public IReadOnlyList<EmbeddingBatch> Batches => _batches;

    /// <summary>The vector of input <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in [0, Count).</exception>
    public ReadOnlyMemory<float> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);

            // Batches are contiguous and in order: the last one starting at or before index holds it.
            int low = 0, high = _batches.Length - 1;
            while (low < high)
            {
                int middle = (low + high + 1) / 2;
                if (_batches[middle].StartIndex <= index)
                {
                    low = middle;
                }
                else
                {
                    high = middle - 1;
                }
            }

            EmbeddingBatch batch = _batches[low];
            return batch[index - batch.StartIndex];
        }
    }
}

/// <summary>The reranker's score for one text.</summary>
/// <param name="Index">The text's index in the job's inputs.</param>
/// <param name="Score">Its relevance to the query.</param>
/// <param name="Text">The text as the server echoed it, when <see cref="RerankOptions.ReturnText"/> asked; else null.</param>
public readonly record struct RerankScore(int Index, double Score, string? Text);

/// <summary>One label a classifier gave an input, with its score.</summary>
/// <param name="Label">The label.</param>
/// <param name="Score">Its score.</param>
public readonly record struct ClassificationScore(string Label, double Score);

/// <summary>
/// A batch of a bulk job failed (after the retries its policy allows), so the job failed: says which
/// inputs the batch covered, and why (the <see cref="Exception.InnerException"/>: an
/// <see cref="BasetenApiException"/>, <see cref="TimeoutException"/> or <see cref="System.Net.Http.HttpRequestException"/>).
/// </summary>
public sealed class InferenceBatchException : Exception
{
    internal InferenceBatchException(int startIndex, int count, Exception innerException)
        : base("The batch of inputs " + startIndex + " to " + (startIndex + count - 1) + " failed, so the job did: " + innerException.Message, innerException)
    {
        StartIndex = startIndex;
        Count = count;
    }

    /// <summary>The index of the failed batch's first input.</summary>
    public int StartIndex { get; }

    /// <summary>How many inputs the failed batch held.</summary>
    public int Count { get; }
}
