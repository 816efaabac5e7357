using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

/// <summary>A read-only view of a stream that fails once more than a set number of bytes has been read.</summary>
internal sealed class LimitedReadStream(Stream inner, long limit) : ReadOnlyStream(inner)
{
    private long _read;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(Inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(Inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => Count(await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    /// <summary>The failure for a body over <paramref name="limit"/> bytes (a whole number of MiB).</summary>
    internal static LimitExceededException TooLarge(long limit)
        => new("the body is larger than " + (limit / (1024 * 1024)).ToString(System.Globalization.CultureInfo.InvariantCulture) + " MiB");

    private int Count(int read)
    {
        _read += read;
        return _read > limit ? throw TooLarge(limit) : read;
    }

    /// <summary>More than the limit was read.</summary>
    internal sealed class LimitExceededException(string message) : IOException(message);
}
