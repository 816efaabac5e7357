using System;
using System.Buffers;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

/// <summary>
/// Reads a JSON body whole, refusing it past a limit, then deserializes it in one pass.
/// <see cref="JsonSerializer.DeserializeAsync{TValue}(Stream, JsonTypeInfo{TValue}, CancellationToken)"/>
/// grows one pooled buffer until it holds the largest token and gives it back to the shared pool at
/// that size, where it stays (a refused 33 MiB string leaves 64 MiB there after a full GC). Here the
/// first 64 KiB, most bodies whole, go in a pooled buffer and the rest in 64 KiB segments the GC
/// takes back. A declared Content-Length over the limit is refused before anything is read.
/// </summary>
internal static class BoundedJsonReader
{
    private const int FirstLength = BufferPool.MaxPooledLength;

    // Under the large object heap's 85,000 bytes: the segments of a big body die young.
    private const int SegmentLength = 64 * 1024;

    /// <summary>Reads <paramref name="content"/> as <typeparamref name="T"/>.</summary>
    /// <exception cref="JsonException">The body is not valid JSON for <typeparamref name="T"/>.</exception>
    /// <exception cref="LimitedReadStream.LimitExceededException">The body is, or says it is, larger than <paramref name="limit"/>.</exception>
    /// <exception cref="IOException">The connection broke while the body was arriving (a key the server put in it is redacted).</exception>
    /// <exception cref="HttpRequestException">The body's framing is broken (a key the server put in it is redacted).</exception>
    public static async ValueTask<T?> ReadAsync<T>(HttpContent content, JsonTypeInfo<T> info, int limit, ApiAuthorization? authorization, CancellationToken cancellationToken)
    {
        long? declared = content.Headers.ContentLength;
        if (declared > limit)
        {
            throw LimitedReadStream.TooLarge(limit);
        }

        byte[] first = ArrayPool<byte>.Shared.Rent(FirstLength);
        int used = 0;
        try
        {
            using Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);

            // The loop of FillAsync, written out: one state machine fewer on every call.
            int read;
            while (used < first.Length && (read = await stream.ReadAsync(first.AsMemory(used), cancellationToken).ConfigureAwait(false)) > 0)
            {
                used += read;
            }

            return used < first.Length || used == declared
                ? Deserialize(first.AsSpan(0, used), info)
                : Deserialize(await ReadRestAsync(stream, first, limit, cancellationToken).ConfigureAwait(false), info);
        }
        catch (IOException exception) when (exception is not LimitedReadStream.LimitExceededException && authorization?.Leaks(exception.ToString()) == true)
        {
            throw authorization.Scrub(exception);
        }
        catch (HttpRequestException exception) when (authorization?.Leaks(exception.ToString()) == true)
        {
            throw authorization.Scrub(exception);
        }
        finally
        {
            // Like System.Text.Json's own buffers: no response text is left in the pool.
            first.AsSpan(0, used).Clear();
            ArrayPool<byte>.Shared.Return(first);
        }
    }

    // The body after a full first buffer, as a chain of segments: nothing is copied, nothing pooled.
    private static async ValueTask<ReadOnlySequence<byte>> ReadRestAsync(Stream stream, byte[] first, int limit, CancellationToken cancellationToken)
    {
        var head = new Segment(first, first.Length, 0);
        Segment tail = head;
        long total = first.Length;
        while (true)
        {
            byte[] next = GC.AllocateUninitializedArray<byte>(SegmentLength);
            int read = await FillAsync(stream, next, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
            if (total > limit)
            {
                throw LimitedReadStream.TooLarge(limit);
            }

            tail = tail.Append(next, read);
            if (read < next.Length)
            {
                break;
            }
        }

        return new ReadOnlySequence<byte>(head, 0, tail, tail.Memory.Length);
    }

    // Reads until the buffer is full or the body ends: fewer bytes than the buffer holds means the end.
    private static async ValueTask<int> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        int filled = 0;
        int read;
        while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    private static T? Deserialize<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> info)
        => JsonSerializer.Deserialize(json.StartsWith("\uFEFF"u8) ? json[3..] : json, info);

    private static T? Deserialize<T>(ReadOnlySequence<byte> json, JsonTypeInfo<T> info)
    {
        if (json.FirstSpan.StartsWith("\uFEFF"u8))
        {
            json = json.Slice(3);
        }

        JsonSerializerOptions options = info.Options;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas,
            CommentHandling = options.ReadCommentHandling,
            MaxDepth = options.MaxDepth,
        });
        T? value = JsonSerializer.Deserialize(ref reader, info);

        // Only white space may follow the value, as when reading a span or a stream: the reader throws a JsonException at anything else.
        reader.Read();
        return value;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] array, int length, long runningIndex)
        {
            Memory = array.AsMemory(0, length);
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] array, int length)
        {
            var next = new Segment(array, length, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
