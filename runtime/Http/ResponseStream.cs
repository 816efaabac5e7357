using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

/// <summary>
/// A response body handed on: reads go straight to the connection's stream. With an
/// <c>owner</c>, disposing it disposes the response it came from (releasing the connection). With
/// an <c>authorization</c>, an exception a read throws is scrubbed of the key: .NET quotes what a
/// server sent in some of them (a malformed chunk line, say), and a server may echo the key there.
/// </summary>
internal sealed class ResponseStream(Stream inner, ApiResponse? owner, ApiAuthorization? authorization) : ReadOnlyStream(inner)
{
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Inner.Read(buffer);
        }
        catch (Exception exception) when (Scrubbed(exception) is { } scrubbed)
        {
            throw scrubbed;
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (authorization is null)
        {
            return Inner.ReadAsync(buffer, cancellationToken);
        }

        ValueTask<int> read;
        try
        {
            read = Inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception exception) when (Scrubbed(exception) is { } scrubbed)
        {
            throw scrubbed;
        }

        return read.IsCompletedSuccessfully ? read : AwaitScrubbedAsync(read);
    }

    // Without a key to hide, the inner stream's own copy loop; with one, the base loop over ReadAsync above.
    public override Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
        => authorization is null ? Inner.CopyToAsync(destination, bufferSize, cancellationToken) : base.CopyToAsync(destination, bufferSize, cancellationToken);

    // The inner stream first (the base), then the response it came from.
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            owner?.Dispose();
        }
    }

    private async ValueTask<int> AwaitScrubbedAsync(ValueTask<int> read)
    {
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (Exception exception) when (Scrubbed(exception) is { } scrubbed)
        {
            throw scrubbed;
        }
    }

    // Null when the exception may pass as it is.
    private Exception? Scrubbed(Exception exception) => authorization is null ? null : Scrub(authorization, exception);

    internal static Exception? Scrub(ApiAuthorization authorization, Exception exception) => exception switch
    {
        LimitedReadStream.LimitExceededException => null,
        IOException io when authorization.Leaks(io.ToString()) => authorization.Scrub(io),
        HttpRequestException http when authorization.Leaks(http.ToString()) => authorization.Scrub(http),
        _ => null,
    };
}
