using System;
using System.Buffers;

namespace Baseten.Aot.Http;

/// <summary>
/// <see cref="ArrayPool{T}.Shared"/> for small buffers only. The shared pool keeps what it is given,
/// arrays up to 1 GiB, in per-thread and per-core caches that a full GC does not empty: one buffer
/// grown for a server's 33 MiB body would stay there at 64 MiB. Buffers up to
/// <see cref="MaxPooledLength"/> come from the pool; larger ones are plain arrays the GC takes back.
/// </summary>
internal static class BufferPool
{
    /// <summary>The largest array rented from the shared pool (a power of two, so every pooled array is at most this long).</summary>
    public const int MaxPooledLength = 64 * 1024;

    /// <summary>An array of at least <paramref name="minimumLength"/> bytes: pooled up to <see cref="MaxPooledLength"/>, else a plain one.</summary>
    public static byte[] Rent(int minimumLength)
        => minimumLength <= MaxPooledLength ? ArrayPool<byte>.Shared.Rent(minimumLength) : GC.AllocateUninitializedArray<byte>(minimumLength);

    /// <summary>Gives back an array from <see cref="Rent"/>: to the pool if it came from there, else to the GC.</summary>
    public static void Return(byte[] array)
    {
        if (array.Length is > 0 and <= MaxPooledLength)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
