using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

/// <summary>
/// Splits a response body into lines as it arrives, in a buffer that grows only as far as
/// <see cref="ApiTransport.MaxLineLength"/> (pooled while small, see <see cref="BufferPool"/>): a
/// longer line is refused rather than held in memory.
/// </summary>
internal sealed class LineReader : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _crEndsLine;
    private readonly ApiResponse _response;
    private readonly string _what;
    private byte[] _buffer = BufferPool.Rent(16 * 1024);
    private int _start;
    private int _end;
    private int _scanned;
    private bool _endOfStream;
    private bool _afterCr;

    /// <param name="stream">The body.</param>
    /// <param name="crEndsLine">Whether a lone CR ends a line (event streams) or only LF does (JSON lines, where a CR before the LF is left to the JSON reader as white space).</param>
    /// <param name="response">The response the body belongs to, for errors.</param>
    /// <param name="what">What the body is, for errors: <c>event stream</c>, say.</param>
    public LineReader(Stream stream, bool crEndsLine, ApiResponse response, string what)
    {
        _stream = stream;
        _crEndsLine = crEndsLine;
        _response = response;
        _what = what;
    }

    /// <summary>The next line without its terminator, valid until the next call; null at the end of the body.</summary>
    /// <exception cref="ApiException">The line is longer than <see cref="ApiTransport.MaxLineLength"/>.</exception>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTakeLine(out ReadOnlyMemory<byte> line))
            {
                return line;
            }

            if (_endOfStream)
            {
                // The last line may lack a terminator.
                if (_start == _end)
                {
                    return null;
                }

                line = _buffer.AsMemory(_start, _end - _start);
                _start = _end;
                _scanned = 0;
                return line;
            }

            MakeRoom();
            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
            }

            _end += read;
        }
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = Array.Empty<byte>();
        if (buffer.Length > 0)
        {
            BufferPool.Return(buffer);
        }

        _stream.Dispose();
    }

    private bool TryTakeLine(out ReadOnlyMemory<byte> line)
    {
        // CR LF is one terminator, and the LF may come in the next read.
        if (_afterCr && _start < _end)
        {
            _afterCr = false;
            if (_buffer[_start] == (byte)'\n')
            {
                _start++;
            }
        }

        // Bytes already scanned hold no terminator: a long line arriving in small reads is scanned once.
        ReadOnlySpan<byte> unscanned = _buffer.AsSpan(_start + _scanned, _end - _start - _scanned);
        int index = _crEndsLine ? unscanned.IndexOfAny((byte)'\r', (byte)'\n') : unscanned.IndexOf((byte)'\n');
        if (index < 0)
        {
            _scanned = _end - _start;
            CheckLength(_scanned);
            line = default;
            return false;
        }

        int length = _scanned + index;
        CheckLength(length);
        line = _buffer.AsMemory(_start, length);
        _afterCr = _buffer[_start + length] == (byte)'\r';
        _start += length + 1;
        _scanned = 0;
        return true;
    }

    private void CheckLength(int length)
    {
        if (length > ApiTransport.MaxLineLength)
        {
            throw _response.InvalidBody(_what, "a line is longer than " + (ApiTransport.MaxLineLength / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MiB", null);
        }
    }

    // Makes space after _end for the next read: moves the pending line to the front, or grows
    // the buffer (up to one line and its terminator) when the line fills it.
    private void MakeRoom()
    {
        if (_start == _end)
        {
            _start = _end = 0;
            return;
        }

        if (_end < _buffer.Length)
        {
            return;
        }

        int pending = _end - _start;
        byte[] target = _buffer;
        if (_start == 0)
        {
            target = BufferPool.Rent(Math.Min(_buffer.Length * 2, ApiTransport.MaxLineLength + 1));
        }

        Buffer.BlockCopy(_buffer, _start, target, 0, pending);
        if (!ReferenceEquals(target, _buffer))
        {
            BufferPool.Return(_buffer);
            _buffer = target;
        }

        _start = 0;
        _end = pending;
    }
}
