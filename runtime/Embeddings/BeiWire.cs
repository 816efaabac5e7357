using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Baseten.Aot;

/// <summary>
/// The wire of Baseten Embeddings Inference (spec/baseten.embeddings.openapi.yaml): request bodies
/// written with Utf8JsonWriter, answers read with Utf8JsonReader straight into the result arrays.
/// An embeddings answer is the bulk of a job's bytes, so it never becomes an object model or a
/// string: float arrays are parsed number by number into one float[] per batch, and base64 vectors
/// are decoded from the UTF-8 bytes into that array. Messages never quote the body.
/// </summary>
internal static class BeiWire
{
    // Answers are read into buffers of this pool: large ones (an embeddings answer of 128 vectors
    // is about 0.7 MB in base64) reused across requests instead of allocated on the large object
    // heap each time; it holds a few per size, so what it keeps is bounded. Here rather than on the
    // client, so an app that never runs a job does not carry it.
    public static readonly ArrayPool<byte> AnswerBuffers = ArrayPool<byte>.Create(Baseten.Aot.Http.ApiTransport.MaxResponseBytes + 1, 64);

    public static byte[] EmbeddingsRequest(IReadOnlyList<string> inputs, InputBatch batch, EmbeddingOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (batch.Count * 64));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("input"u8);
            for (int i = batch.Start; i < batch.Start + batch.Count; i++)
            {
                writer.WriteStringValue(inputs[i]);
            }

            writer.WriteEndArray();
            writer.WriteString("model"u8, options.Model);
            writer.WriteString("encoding_format"u8, options.Encoding == EmbeddingEncoding.Base64 ? "base64"u8 : "float"u8);
            if (options.Dimensions is { } dimensions)
            {
                writer.WriteNumber("dimensions"u8, dimensions);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] RerankRequest(string query, IReadOnlyList<string> texts, InputBatch batch, RerankOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (batch.Count * 64));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("query"u8, query);
            writer.WriteStartArray("texts"u8);
            for (int i = batch.Start; i < batch.Start + batch.Count; i++)
            {
                writer.WriteStringValue(texts[i]);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("raw_scores"u8, options.RawScores);
            writer.WriteBoolean("return_text"u8, options.ReturnText);
            writer.WriteBoolean("truncate"u8, options.Truncate);
            writer.WriteString("truncation_direction"u8, options.TruncationDirection);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] ClassifyRequest(IReadOnlyList<string> inputs, InputBatch batch, ClassifyOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (batch.Count * 64));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();

            // One single-text input per item: a pair would be [query, text].
            writer.WriteStartArray("inputs"u8);
            for (int i = batch.Start; i < batch.Start + batch.Count; i++)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(inputs[i]);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteBoolean("raw_scores"u8, options.RawScores);
            writer.WriteBoolean("truncate"u8, options.Truncate);
            writer.WriteString("truncation_direction"u8, options.TruncationDirection);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads <c>{"data": [{"index": i, "embedding": [...] | "base64"}, ...], ...}</c> into one array of
    /// as many rows as the batch has inputs, row i being the item whose index is i.
    /// </summary>
    public static EmbeddingBatch ReadEmbeddings(ReadOnlySpan<byte> json, InputBatch batch, int? expectedDimensions)
    {
        int count = batch.Count;
        var reader = new Utf8JsonReader(json);

        // Where the reader's span starts in json: a float array is read past the reader, which then
        // goes on from the array's end (ReadFloats).
        int origin = 0;
        Expect(ref reader, JsonTokenType.StartObject, "the answer is not a JSON object");
        float[]? vectors = null;
        int dimensions = expectedDimensions ?? 0;
        int[]? indexes = null;
        int items = 0;
        bool sawData = false;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            sawData = true;
            Next(ref reader);
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("'data' is not an array.");
            }

            while (Next(ref reader) == JsonTokenType.StartObject)
            {
                if (items == count)
                {
                    throw new JsonException("'data' holds more than the " + count + " embeddings asked for.");
                }

                int index = -1;
                bool sawEmbedding = false;
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("index"u8))
                    {
                        Next(ref reader);
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out index))
                        {
                            throw new JsonException("An item's 'index' is not an integer.");
                        }
                    }
                    else if (reader.ValueTextEquals("embedding"u8))
                    {
                        Next(ref reader);
                        sawEmbedding = true;
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            ReadBase64(ref reader, ref vectors, ref dimensions, count, items);
                        }
                        else if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            ReadFloats(json, ref origin, ref reader, ref vectors, ref dimensions, count, items);
                        }
                        else
                        {
                            throw new JsonException("An item's 'embedding' is neither an array of numbers nor a base64 string.");
                        }
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }

                if (!sawEmbedding)
                {
                    throw new JsonException("An item of 'data' has no 'embedding'.");
                }

                // Servers answer in order; a missing index means the item's position.
                if (index != -1 && index != items)
                {
                    indexes ??= Positions(items, count);
                }

                if (indexes is not null)
                {
                    indexes[items] = index == -1 ? items : index;
                }

                items++;
            }

            if (reader.TokenType != JsonTokenType.EndArray)
            {
                throw new JsonException("An item of 'data' is not an object.");
            }
        }

        if (!sawData)
        {
            throw new JsonException("The answer has no 'data'.");
        }

        if (items != count)
        {
            throw new JsonException("'data' holds " + items + " embeddings; " + count + " were asked for.");
        }

        if (count == 0)
        {
            return new EmbeddingBatch(batch.Start, 0, dimensions, []);
        }

        if (indexes is not null)
        {
            vectors = Reorder(vectors!, indexes, dimensions);
        }

        return new EmbeddingBatch(batch.Start, count, dimensions, vectors!);
    }

    /// <summary>Reads <c>[{"index": i, "score": s, "text": ...}, ...]</c> (any order) into one score per text of the batch.</summary>
    public static RerankScore[] ReadRerank(ReadOnlySpan<byte> json, InputBatch batch)
    {
        var scores = new RerankScore[batch.Count];
        var seen = new bool[batch.Count];
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartArray, "the answer is not a JSON array");
        int items = 0;
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            int index = -1;
            double score = double.NaN;
            string? text = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    Next(ref reader);
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out index))
                    {
                        throw new JsonException("A score's 'index' is not an integer.");
                    }
                }
                else if (reader.ValueTextEquals("score"u8))
                {
                    Next(ref reader);
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out score))
                    {
                        throw new JsonException("A 'score' is not a number.");
                    }
                }
                else if (reader.ValueTextEquals("text"u8))
                {
                    Next(ref reader);
                    text = reader.TokenType == JsonTokenType.Null ? null : reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("A 'text' is not a string.");
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (index < 0 || index >= batch.Count || double.IsNaN(score))
            {
                throw new JsonException("A score has no 'score', or an 'index' outside the " + batch.Count + " texts sent.");
            }

            if (seen[index])
            {
                throw new JsonException("Two scores have index " + index + ".");
            }

            seen[index] = true;
            scores[index] = new RerankScore(batch.Start + index, score, text);
            items++;
        }

        if (items != batch.Count)
        {
            throw new JsonException("The answer scores " + items + " texts; " + batch.Count + " were sent.");
        }

        return scores;
    }

    /// <summary>Reads <c>[[{"label": l, "score": s}, ...], ...]</c>, one list per input, in input order.</summary>
    public static ClassificationScore[][] ReadClassify(ReadOnlySpan<byte> json, InputBatch batch)
    {
        var results = new ClassificationScore[batch.Count][];
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartArray, "the answer is not a JSON array");
        int items = 0;
        var labels = new List<ClassificationScore>(4);
        while (Next(ref reader) == JsonTokenType.StartArray)
        {
            if (items == batch.Count)
            {
                throw new JsonException("The answer holds more than the " + batch.Count + " inputs sent.");
            }

            labels.Clear();
            while (Next(ref reader) == JsonTokenType.StartObject)
            {
                string? label = null;
                double score = double.NaN;
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("label"u8))
                    {
                        Next(ref reader);
                        label = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("A 'label' is not a string.");
                    }
                    else if (reader.ValueTextEquals("score"u8))
                    {
                        Next(ref reader);
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out score))
                        {
                            throw new JsonException("A 'score' is not a number.");
                        }
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }

                if (label is null || double.IsNaN(score))
                {
                    throw new JsonException("A classification has no 'label' or no 'score'.");
                }

                labels.Add(new ClassificationScore(label, score));
            }

            results[items++] = labels.ToArray();
        }

        if (items != batch.Count)
        {
            throw new JsonException("The answer classifies " + items + " inputs; " + batch.Count + " were sent.");
        }

        return results;
    }

    private static void ReadBase64(ref Utf8JsonReader reader, ref float[]? vectors, ref int dimensions, int count, int row)
    {
        ReadOnlySpan<byte> text = reader.ValueSpan;
        byte[]? unescaped = null;
        if (reader.ValueIsEscaped)
        {
            // A server that writes '/' as "\/": unescape into a buffer, still without a string.
            unescaped = ArrayPool<byte>.Shared.Rent(text.Length);
            text = unescaped.AsSpan(0, reader.CopyString(unescaped));
        }

        try
        {
            int bytes = Base64.GetMaxDecodedFromUtf8Length(text.Length) - (text.EndsWith("=="u8) ? 2 : text.EndsWith("="u8) ? 1 : 0);
            if (bytes % sizeof(float) != 0)
            {
                throw new FormatException("A base64 embedding is not a whole number of float32 values.");
            }

            Span<float> destination = Row(ref vectors, ref dimensions, bytes / sizeof(float), count, row);
            OperationStatus status = Base64.DecodeFromUtf8(text, MemoryMarshal.AsBytes(destination), out _, out int written);
            if (status != OperationStatus.Done || written != bytes)
            {
                throw new FormatException("A base64 embedding is not valid base64.");
            }

            if (!BitConverter.IsLittleEndian)
            {
                Span<int> words = MemoryMarshal.Cast<float, int>(destination);
                BinaryPrimitives.ReverseEndianness(words, words);
            }
        }
        finally
        {
            if (unescaped is not null)
            {
                ArrayPool<byte>.Shared.Return(unescaped);
            }
        }
    }

    // The numbers are read by JsonFloatArray straight from the bytes after '[', and the reader
    // restarts at the ']' with the state it had after '[', so it sees an empty array and goes on.
    private static void ReadFloats(ReadOnlySpan<byte> json, ref int origin, ref Utf8JsonReader reader, ref float[]? vectors, ref int dimensions, int count, int row)
    {
        int at = origin + (int)reader.BytesConsumed;
        ReadOnlySpan<byte> text = json[at..];
        if (vectors is null && dimensions == 0)
        {
            // The first vector tells the width.
            dimensions = JsonFloatArray.Count(text);
        }

        Span<float> destination = Row(ref vectors, ref dimensions, -1, count, row);
        int close = JsonFloatArray.Read(text, destination, dimensions);
        JsonReaderState state = reader.CurrentState;
        origin = at + close;
        reader = new Utf8JsonReader(json[origin..], isFinalBlock: true, state);
        if (Next(ref reader) != JsonTokenType.EndArray)
        {
            throw new JsonException("An embedding holds something other than a number.");
        }
    }

    // The row's place in the batch's array, allocating the array once the width is known.
    private static Span<float> Row(ref float[]? vectors, ref int dimensions, int width, int count, int row)
    {
        if (width >= 0)
        {
            if (dimensions == 0)
            {
                dimensions = width;
            }
            else if (width != dimensions)
            {
                throw new JsonException("The embeddings are not all " + dimensions + " long.");
            }
        }

        if (dimensions == 0)
        {
            throw new JsonException("An embedding is empty.");
        }

        vectors ??= GC.AllocateUninitializedArray<float>(checked(count * dimensions));
        return vectors.AsSpan(row * dimensions, dimensions);
    }

    private static int[] Positions(int upTo, int count)
    {
        var positions = new int[count];
        for (int i = 0; i < upTo; i++)
        {
            positions[i] = i;
        }

        return positions;
    }

    private static float[] Reorder(float[] vectors, int[] indexes, int dimensions)
    {
        int count = vectors.Length / dimensions;
        var seen = new bool[count];
        var ordered = GC.AllocateUninitializedArray<float>(vectors.Length);
        for (int row = 0; row < count; row++)
        {
            int index = indexes[row];
            if (index < 0 || index >= count || seen[index])
            {
                throw new JsonException("The items' 'index' values are not each of 0 to " + (count - 1) + " once.");
            }

            seen[index] = true;
            vectors.AsSpan(row * dimensions, dimensions).CopyTo(ordered.AsSpan(index * dimensions, dimensions));
        }

        return ordered;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("The answer ends early.");
        }

        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string message)
    {
        if (Next(ref reader) != type)
        {
            throw new JsonException("Not the answer expected: " + message + ".");
        }
    }
}
