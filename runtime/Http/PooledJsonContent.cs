using System;
using System.Buffers;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

/// <summary>
/// A JSON request body serialized once into a buffer from <see cref="BufferPool"/> (pooled while
/// small), sent with a Content-Length, and given back when the content is disposed.
/// </summary>
internal sealed class PooledJsonContent : HttpContent
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private byte[]? _buffer;
    private readonly int _length;

    private PooledJsonContent(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    public static PooledJsonContent Create<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var output = new PooledBufferWriter();
        try
        {
            Utf8JsonWriter writer = t_writer ??= new Utf8JsonWriter(output);
            writer.Reset(output);
            try
            {
                JsonSerializer.Serialize(writer, value, typeInfo);
            }
            finally
            {
                // Don't keep the pooled buffer reachable from the cached writer.
                writer.Reset(Stream.Null);
            }

            return new PooledJsonContent(output.DetachBuffer(out int length), length);
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>The bytes that will be sent.</summary>
    internal ReadOnlySpan<byte> Bytes => _buffer is null ? throw new ObjectDisposedException(nameof(PooledJsonContent)) : _buffer.AsSpan(0, _length);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        byte[] buffer = _buffer ?? throw new ObjectDisposedException(nameof(PooledJsonContent));
        return stream.WriteAsync(buffer.AsMemory(0, _length), cancellationToken).AsTask();
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        => stream.Write(Bytes);

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            BufferPool.Return(buffer);
        }

        base.Dispose(disposing);
    }
}

/// <summary>An <see cref="IBufferWriter{T}"/> over arrays from <see cref="BufferPool"/>.</summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = BufferPool.Rent(1024);
    private int _written;

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Hands the rented array to the caller, who returns it to the pool.</summary>
    public byte[] DetachBuffer(out int length)
    {
        byte[] buffer = _buffer;
        length = _written;
        _buffer = Array.Empty<byte>();
        _written = 0;
        return buffer;
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = Array.Empty<byte>();
        if (buffer.Length > 0)
        {
            BufferPool.Return(buffer);
        }
    }

    private void Ensure(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        byte[] larger = BufferPool.Rent(checked(Math.Max(_buffer.Length * 2, _written + needed)));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        BufferPool.Return(_buffer);
        _buffer = larger;
    }
}
