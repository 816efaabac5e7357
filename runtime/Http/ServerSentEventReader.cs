using System;
using System.Buffers.Text;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

/// <summary>
/// Parses a <c>text/event-stream</c> body incrementally, following the "event stream
/// interpretation" of the WHATWG HTML standard: lines end with CR LF, LF or CR; a blank line
/// dispatches the event; <c>data:</c> lines are joined with LF; <c>:</c> starts a comment; one
/// space after the colon is dropped; an event cut off by the end of the body is discarded.
/// </summary>
internal sealed class ServerSentEventReader : IDisposable
{
    private readonly LineReader _lines;
    private readonly ApiResponse _response;
    private byte[] _data = Array.Empty<byte>();
    private int _dataLength;
    private string? _eventType;
    private string? _lastEventId;
    private TimeSpan? _retry;
    private bool _firstLine = true;

    public ServerSentEventReader(Stream stream, ApiResponse response)
    {
        _lines = new LineReader(stream, crEndsLine: true, response, "event stream");
        _response = response;
    }

    /// <summary>The next event; null at the end of the body.</summary>
    /// <exception cref="ApiException">A line is longer than <see cref="ApiTransport.MaxLineLength"/>, or an event's data larger than <see cref="ApiTransport.MaxResponseBytes"/>.</exception>
    public async ValueTask<ServerSentEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        while (await _lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (Interpret(line.Span) is { } serverSentEvent)
            {
                return serverSentEvent;
            }
        }

        return null;
    }

    public void Dispose()
    {
        _lines.Dispose();
        byte[] data = _data;
        _data = Array.Empty<byte>();
        if (data.Length > 0)
        {
            BufferPool.Return(data);
        }
    }

    private ServerSentEvent? Interpret(ReadOnlySpan<byte> line)
    {
        if (_firstLine)
        {
            _firstLine = false;
            if (line.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }
        }

        if (line.IsEmpty)
        {
            return Dispatch();
        }

        if (line[0] == (byte)':')
        {
            return null;
        }

        int colon = line.IndexOf((byte)':');
        ReadOnlySpan<byte> field = colon < 0 ? line : line[..colon];
        ReadOnlySpan<byte> value = colon < 0 ? default : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (field.SequenceEqual("data"u8))
        {
            AppendData(value);
        }
        else if (field.SequenceEqual("event"u8))
        {
            _eventType = value.IsEmpty ? null : Encoding.UTF8.GetString(value);
        }
        else if (field.SequenceEqual("id"u8))
        {
            if (!value.Contains((byte)0))
            {
                _lastEventId = value.IsEmpty ? null : Encoding.UTF8.GetString(value);
            }
        }
        else if (field.SequenceEqual("retry"u8))
        {
            if (!value.IsEmpty && !value.ContainsAnyExceptInRange((byte)'0', (byte)'9')
                && Utf8Parser.TryParse(value, out long milliseconds, out int consumed) && consumed == value.Length
                && milliseconds <= TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMillisecond)
            {
                _retry = TimeSpan.FromTicks(milliseconds * TimeSpan.TicksPerMillisecond);
            }
        }

        // Any other field is ignored, as the standard says.
        return null;
    }

    private void AppendData(ReadOnlySpan<byte> value)
    {
        // Each line is bounded; many lines in one event are bounded too.
        int needed = _dataLength + value.Length + 1;
        if (needed > ApiTransport.MaxResponseBytes)
        {
            throw _response.InvalidBody("event stream", "an event is larger than " + (ApiTransport.MaxResponseBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MiB", null);
        }

        if (needed > _data.Length)
        {
            byte[] larger = BufferPool.Rent(Math.Max(needed, Math.Min(_data.Length * 2, ApiTransport.MaxResponseBytes)));
            _data.AsSpan(0, _dataLength).CopyTo(larger);
            if (_data.Length > 0)
            {
                BufferPool.Return(_data);
            }

            _data = larger;
        }

        value.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += value.Length;
        _data[_dataLength++] = (byte)'\n';
    }

    private ServerSentEvent? Dispatch()
    {
        string? eventType = _eventType;
        _eventType = null;
        if (_dataLength == 0)
        {
            return null;
        }

        // The last LF is a separator's, not data's. Invalid UTF-8 becomes U+FFFD, as the standard decodes.
        string data = Encoding.UTF8.GetString(_data, 0, _dataLength - 1);
        _dataLength = 0;
        return new ServerSentEvent(eventType, data, _lastEventId) { Retry = _retry };
    }
}
