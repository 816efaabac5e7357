using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

/// <summary>
/// A 2xx response whose headers have been read and whose body has not: read it once with one of
/// the <c>Read</c> methods, then dispose the response (which also disposes the request's body).
/// </summary>
public sealed class ApiResponse : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly ApiRequest _request;
    private readonly ApiAuthorization? _authorization;
    private readonly ApiErrorFactory _errors;

    internal ApiResponse(HttpResponseMessage response, ApiRequest request, ApiAuthorization? authorization, ApiErrorFactory errors)
    {
        _response = response;
        _request = request;
        _authorization = authorization;
        _errors = errors;
    }

    /// <summary>The HTTP status, 200 to 299.</summary>
    public int Status => (int)_response.StatusCode;

    /// <summary>The response headers.</summary>
    public HttpResponseHeaders Headers => _response.Headers;

    /// <summary>The headers that describe the body (<c>Content-Type</c>, <c>Content-Length</c>, ...).</summary>
    public HttpContentHeaders ContentHeaders => _response.Content.Headers;

    /// <summary>The server's request id (<c>X-BASETEN-REQUEST-ID</c>, else <c>X-Request-Id</c>), to quote to support; null if neither was sent.</summary>
    public string? RequestId => RequestIdOf(_response, _authorization);

    /// <summary>
    /// Reads the body as JSON with the generated metadata, from the stream (no intermediate string).
    /// </summary>
    /// <exception cref="ApiException">The body is not valid JSON for <typeparamref name="T"/>, is <c>null</c>, or is larger than <see cref="ApiTransport.MaxResponseBytes"/>.</exception>
    public async Task<T> ReadJsonAsync<T>(JsonTypeInfo<T> info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        T? result;
        try
        {
            result = await BoundedJsonReader.ReadAsync(_response.Content, info, ApiTransport.MaxResponseBytes, _authorization, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is JsonException or LimitedReadStream.LimitExceededException)
        {
            throw InvalidBody(typeof(T).Name, exception.Message, exception);
        }

        return result ?? throw InvalidBody(typeof(T).Name, "the body is null", null);
    }

    /// <summary>Reads the body as text, in the charset its Content-Type names (UTF-8 when none, or one that is not known).</summary>
    /// <exception cref="ApiException">The body is larger than <see cref="ApiTransport.MaxResponseBytes"/>.</exception>
    public async Task<string> ReadTextAsync(CancellationToken cancellationToken)
    {
        try
        {
            using Stream stream = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(new LimitedReadStream(stream, ApiTransport.MaxResponseBytes), EncodingOf(ContentHeaders), detectEncodingFromByteOrderMarks: true);
            return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (LimitedReadStream.LimitExceededException exception)
        {
            throw InvalidBody("text", exception.Message, exception);
        }
        catch (Exception exception) when (_authorization is not null && ResponseStream.Scrub(_authorization, exception) is { } scrubbed)
        {
            throw scrubbed;
        }
    }

    /// <summary>
    /// The body as a stream read from the connection as it arrives, not buffered and not bounded.
    /// Disposing the response disposes it. An <see cref="IOException"/> or
    /// <see cref="HttpRequestException"/> a read throws never carries the API key.
    /// </summary>
    public async Task<Stream> ReadStreamAsync(CancellationToken cancellationToken)
    {
        Stream body = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return _authorization is null ? body : new ResponseStream(body, null, _authorization);
    }

    /// <summary>Releases the connection and disposes the request's body.</summary>
    public void Dispose()
    {
        _response.Dispose();
        _request.Content?.Dispose();
    }

    internal HttpResponseMessage Message => _response;

    internal ApiException InvalidBody(string what, string reason, Exception? innerException)
        => ApiException.InvalidResponse(_request, _response, what, reason, innerException, _authorization, _errors);

    internal ApiException ErrorEvent(string? serverMessage, string data)
        => ApiException.ErrorEvent(_request, _response, serverMessage, data, _authorization, _errors);

    // A header is server text too: a proxy that echoes the Authorization header into its request id must not hand the key on.
    internal static string? RequestIdOf(HttpResponseMessage response, ApiAuthorization? authorization)
    {
        string? id = FirstValue(response, "X-BASETEN-REQUEST-ID") ?? FirstValue(response, "X-Request-Id");
        return id is null || authorization is null ? id : authorization.Redact(id);
    }

    private static string? FirstValue(HttpResponseMessage response, string name)
    {
        if (response.Headers.NonValidated.TryGetValues(name, out HeaderStringValues values))
        {
            foreach (string value in values)
            {
                return value;
            }
        }

        return null;
    }

    // Charset names come from the server: an unknown one falls back to UTF-8 rather than failing the call.
    private static Encoding EncodingOf(HttpContentHeaders headers)
    {
        string? charset = headers.ContentType?.CharSet?.Trim('"');
        if (string.IsNullOrEmpty(charset))
        {
            return Encoding.UTF8;
        }

        try
        {
            return Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }
}
