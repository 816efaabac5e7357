using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

/// <summary>
/// The API answered with a status outside 2xx, or with a success body that is not the documented
/// JSON. Carries the status, the request line, the attempts made and a bounded copy of the body;
/// never the API key. What a client generated for any document throws; Baseten's own clients throw
/// <see cref="ApiException"/>, which derives from it, so one <c>catch (ApiException)</c>
/// handles both.
/// </summary>
public class ApiException : Exception
{
    /// <summary>How much of an error body is kept, in bytes.</summary>
    public const int MaxResponseBodyBytes = 16 * 1024;

    /// <summary>Creates an exception with a message only.</summary>
    public ApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public ApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    // Only the runtime builds one from a response: its details are what the server sent, redacted.
    internal ApiException(string message, Exception? innerException, HttpStatusCode statusCode, ApiRequest request, string? requestId, string? responseBody, string? serverMessage, TimeSpan? retryAfter, int attempts)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Method = request.Method.Method;
        Path = request.Path;
        PathTemplate = request.PathTemplate;
        RequestId = requestId;
        ResponseBody = responseBody;
        ServerMessage = serverMessage;
        RetryAfter = retryAfter;
        Attempts = attempts;
    }

    /// <summary>The HTTP status the server answered with.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The request's HTTP method, e.g. <c>POST</c>.</summary>
    public string? Method { get; }

    /// <summary>The request's path and query, e.g. <c>/v1/chains/abc/environments</c>.</summary>
    public string? Path { get; }

    /// <summary>The operation's path template, e.g. <c>/v1/chains/{chain_id}/environments</c>: the same for every call of an operation, unlike <see cref="Path"/>.</summary>
    public string? PathTemplate { get; }

    /// <summary>The server's request id (<c>X-BASETEN-REQUEST-ID</c>, else <c>X-Request-Id</c>), to quote to support; null if neither was sent.</summary>
    public string? RequestId { get; }

    /// <summary>The first <see cref="MaxResponseBodyBytes"/> bytes of the response body, as text; null when there was none.</summary>
    public string? ResponseBody { get; }

    /// <summary>The server's own explanation, from the <c>error</c>, <c>message</c> or <c>detail</c> field of a JSON body.</summary>
    public string? ServerMessage { get; }

    /// <summary>
    /// The response body read as the error type the API documents for the operation (the generated
    /// method's documentation names it), or default when there is no body or it is not that JSON.
    /// Reads <see cref="ResponseBody"/>, so a body cut at <see cref="MaxResponseBodyBytes"/> reads as default.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    public T? ReadError<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (string.IsNullOrEmpty(ResponseBody))
        {
            return default;
        }

        try
        {
            return JsonSerializer.Deserialize(ResponseBody, typeInfo);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>How long the server asked to wait before trying again: its Retry-After header, or the <c>retry_after</c> field (seconds) Baseten puts in 429 bodies.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// How many times the request was sent, this answer's attempt included: 1 when it was not
    /// retried, more when the retry policy tried again before giving up; 0 when the exception was
    /// not built from a call (one of the public constructors).
    /// </summary>
    public int Attempts { get; }

    internal static async Task<ApiException> FromResponseAsync(ApiRequest request, HttpResponseMessage response, ApiAuthorization? authorization, ApiErrorFactory errors, int attempts, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        (byte[] bytes, int length) = await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false);
        string? body = length == 0 ? null : Encoding.UTF8.GetString(bytes, 0, length);
        TimeSpan? bodyRetryAfter = null;
        string? serverMessage = length == 0 ? null : ReadBody(bytes, length, out bodyRetryAfter);
        TimeSpan? retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date > timeProvider.GetUtcNow() ? date - timeProvider.GetUtcNow() : TimeSpan.Zero,
            _ => bodyRetryAfter,
        };
        if (authorization is not null)
        {
            body = body is null ? null : authorization.Redact(body);
            if (body is not null && length == MaxResponseBodyBytes)
            {
                // Cut at the limit: a key the cut split in two leaves no start of itself behind.
                body = authorization.RedactCutEnd(body);
            }

            serverMessage = serverMessage is null ? null : authorization.Redact(serverMessage);
        }
        int status = (int)response.StatusCode;
        string? requestId = ApiResponse.RequestIdOf(response, authorization);

        var message = new StringBuilder()
            .Append(request.Method.Method).Append(' ').Append(request.Path)
            .Append(" failed with ").Append(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(response.ReasonPhrase))
        {
            message.Append(" (").Append(response.ReasonPhrase).Append(')');
        }

        message.Append(serverMessage is null ? "." : ": " + serverMessage);

        // The message is what ends up in logs: no line a server could forge, no key however it was echoed.
        string text = OneLine(message.ToString());
        text = authorization?.Redact(text) ?? text;
        return errors.Create(text, null, response.StatusCode, request, requestId, body, serverMessage, retryAfter, attempts);
    }

    internal static ApiException InvalidResponse(ApiRequest request, HttpResponseMessage response, string typeName, string reason, Exception? innerException, ApiAuthorization? authorization, ApiErrorFactory errors)
        => WithoutBody(
            request.Method.Method + " " + request.Path + " answered " + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) + " with a body that is not a valid " + typeName + ": " + reason,
            request, response, innerException, authorization, errors, request.Attempts);

    // An event stream that reports an error in its body after a 2xx (an LLM server that fails in
    // the middle of an answer): the same family as any other failure, with the server's words.
    internal static ApiException ErrorEvent(ApiRequest request, HttpResponseMessage response, string? serverMessage, string data, ApiAuthorization? authorization, ApiErrorFactory errors)
    {
        string? requestId = ApiResponse.RequestIdOf(response, authorization);
        string body = data.Length > MaxResponseBodyBytes ? data.Substring(0, MaxResponseBodyBytes) : data;
        string text = OneLine(request.Method.Method + " " + request.Path + " answered " + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)
            + ", then sent an error in the middle of its event stream" + (string.IsNullOrEmpty(serverMessage) ? "." : ": " + serverMessage));
        if (authorization is not null)
        {
            text = authorization.Redact(text);
            body = authorization.Redact(body);
            serverMessage = serverMessage is null ? null : authorization.Redact(serverMessage);
        }

        return errors.Create(text, null, response.StatusCode, request, requestId, body, serverMessage, null, request.Attempts);
    }

    // A caller's HttpClient that follows redirects takes every header but Authorization, and every
    // cookie, on to the new host: by the time the answer is here, the key has gone there.
    internal static ApiException RedirectedElsewhere(ApiRequest request, HttpResponseMessage response, Uri final, ApiAuthorization authorization, ApiErrorFactory errors, int attempts)
        => WithoutBody(
            request.Method.Method + " " + request.Path + " was redirected to another server (" + final.Authority + ") by the HttpClient it was sent with, which sends the "
            + authorization.Name + (authorization.Location == CredentialLocation.Cookie ? " cookie" : " header") + " on with it: the key may have reached that server."
            + " Turn automatic redirects off on that HttpClient (AllowAutoRedirect = false), and rotate the key.",
            request, response, null, authorization, errors, attempts);

    // A WebSocket handshake answered with something other than 101: there is no HttpResponseMessage,
    // only the status and the headers ClientWebSocket collected.
    internal static ApiException HandshakeRefused(ApiRequest request, HttpStatusCode status, string? requestId, ApiAuthorization? authorization, ApiErrorFactory errors)
    {
        string text = OneLine("GET " + request.Path + " answered " + ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)
            + " to the WebSocket handshake instead of 101 Switching Protocols" + ((int)status is >= 300 and < 400 ? " (a redirect, which is never followed)." : "."));
        text = authorization?.Redact(text) ?? text;
        requestId = requestId is null ? null : authorization?.Redact(requestId) ?? requestId;
        return errors.Create(text, null, status, request, requestId, null, null, null, 1);
    }

    private static ApiException WithoutBody(string text, ApiRequest request, HttpResponseMessage response, Exception? innerException, ApiAuthorization? authorization, ApiErrorFactory errors, int attempts)
    {
        text = OneLine(text);
        string? requestId = ApiResponse.RequestIdOf(response, authorization);
        text = authorization?.Redact(text) ?? text;
        return errors.Create(text, innerException, response.StatusCode, request, requestId, null, null, null, attempts);
    }

    // Error bodies are rare and small: a plain array, kept only while the exception is built. A body
    // cut short (a reset, a close before its Content-Length, bad chunk framing) still leaves the status
    // and what did arrive: that is the answer to report, not the broken connection.
    private static async Task<(byte[] Bytes, int Length)> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxResponseBodyBytes];
        int length = 0;
        try
        {
            using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            int read;
            while (length < MaxResponseBodyBytes
                   && (read = await stream.ReadAsync(buffer.AsMemory(length, MaxResponseBodyBytes - length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            // Keep what arrived.
        }

        return (buffer, length);
    }

    // {"error": "..."} is Baseten's shape; {"message": ...} and {"detail": ...} are common elsewhere;
    // {"retry_after": 3} comes with Baseten's 429s.
    // A non-string value (FastAPI's detail list, say) is kept as its JSON text. Read with
    // Utf8JsonReader: no document is built, and a body cut at the size limit still yields what
    // was read before the cut.
    private static string? ReadBody(byte[] body, int length, out TimeSpan? retryAfter)
    {
        var reader = new Utf8JsonReader(body.AsSpan(0, length), new JsonReaderOptions { MaxDepth = 64 });
        string? message = null;
        int messageRank = int.MaxValue;
        retryAfter = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("retry_after"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds)
                    {
                        retryAfter = TimeSpan.FromSeconds(seconds);
                    }

                    reader.Skip();
                    continue;
                }

                int rank = reader.ValueTextEquals("error"u8) ? 0 : reader.ValueTextEquals("message"u8) ? 1 : reader.ValueTextEquals("detail"u8) ? 2 : int.MaxValue;
                reader.Read();
                if (rank >= messageRank || reader.TokenType == JsonTokenType.Null)
                {
                    reader.Skip();
                    continue;
                }

                long start = reader.TokenStartIndex;
                string text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : string.Empty;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    text = Encoding.UTF8.GetString(body, (int)start, (int)(reader.BytesConsumed - start));
                }

                if (text.Length > 0)
                {
                    message = text;
                    messageRank = rank;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON, or cut at the size limit: keep what was found; the body itself is in ResponseBody.
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid UTF-8, or an escaped lone surrogate: no message from it.
        }

        return message;
    }

    /// <summary>Server text made one line: line breaks and other control characters become spaces.</summary>
    internal static string OneLine(string text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                var builder = new StringBuilder(text.Length);
                foreach (char d in text)
                {
                    builder.Append(char.IsControl(d) || d is '\u2028' or '\u2029' ? ' ' : d);
                }

                return builder.ToString();
            }
        }

        return text;
    }
}
