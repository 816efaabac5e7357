using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

/// <summary>
/// A caller's stream sent as a request body without buffering. Unlike <see cref="StreamContent"/>
/// it records whether sending has begun (so the transport knows it cannot be retried) and leaves
/// the stream open: the stream is the caller's.
/// </summary>
internal sealed class StreamBodyContent : HttpContent
{
    private readonly Stream _stream;
    private readonly long _length;
    private int _started;

    public StreamBodyContent(Stream stream)
    {
        _stream = stream;
        _length = stream.CanSeek ? stream.Length - stream.Position : -1;
    }

    /// <summary>Whether the stream may have been read, so that sending it again would send less than the whole body.</summary>
    public bool Started => Volatile.Read(ref _started) != 0;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Begin();
        return _stream.CopyToAsync(stream, cancellationToken);
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Begin();
        _stream.CopyTo(stream);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return _length >= 0;
    }

    private void Begin()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A streamed request body can be sent only once.");
        }
    }
}
