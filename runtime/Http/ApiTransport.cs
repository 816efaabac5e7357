using System;
using System.ComponentModel;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

/// <summary>
/// Sends the requests of a generated client: builds the URL from the base address and the
/// escaped path, adds the headers, authorization and retries, reads the response as a stream
/// (JSON with the generated metadata, text, bytes, server-sent events or JSON lines), and turns
/// every non-2xx answer into a <see cref="BasetenApiException"/>. Every method takes the same
/// path to the server; they differ only in how they read the body.
/// </summary>
/// <remarks>
/// The retry policy's per-attempt timeout covers sending the request and receiving the response
/// headers; a body read whole (JSON, text, an error) then gets the same time again. A body handed
/// over as it arrives (a stream, events, JSON lines) is governed by the caller's
/// <see cref="CancellationToken"/>: a download or an event stream may rightly last longer than any
/// one timeout.
/// </remarks>
public sealed class ApiTransport : IDisposable
{
    /// <summary>
    /// The largest success body read, in bytes (32 MiB): a larger one is refused with a
    /// <see cref="BasetenApiException"/> rather than read into memory without end.
    /// </summary>
    public const int MaxResponseBytes = 32 * 1024 * 1024;

    /// <summary>
    /// The longest line of an event stream or a JSON-lines body, in bytes (1 MiB): a longer one is
    /// refused with a <see cref="BasetenApiException"/> rather than buffered without end.
    /// </summary>
    public const int MaxLineLength = 1024 * 1024;

    // The largest ignored body that is read so that the connection can be reused: reading a small
    // declared body costs less than a new connection, reading a large or endless one costs more.
    private const int MaxDrainBytes = 64 * 1024;

    private static readonly RetryPolicy s_defaultRetryPolicy = new();
    private static readonly string s_userAgent = "Baseten.Aot/" + (typeof(ApiTransport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    private readonly HttpClient _httpClient;
    private readonly bool _disposeHttpClient;
    private readonly string _baseAddress;
    private readonly ApiAuthorization? _authorization;
    private readonly RetryPolicy _retryPolicy;

    // Kept between calls so that a call that succeeds allocates neither a timer nor a URI: one spare
    // deadline, and the URI of the last path sent (a client calls the same few routes again and again).
    private AttemptDeadline? _spareDeadline;
    private CachedUri? _lastUri;

    /// <summary>Creates a transport over <paramref name="httpClient"/>.</summary>
    /// <param name="httpClient">The client that sends the requests.</param>
    /// <param name="baseAddress">The API's address: <c>https</c>, or <c>http</c> on a loopback host only. A path in it is kept as a prefix.</param>
    /// <param name="authorization">The <c>Authorization</c> header to send, or null for none.</param>
    /// <param name="disposeHttpClient">Whether <see cref="Dispose"/> disposes <paramref name="httpClient"/>.</param>
    /// <param name="retryPolicy">When to repeat a request; null for the defaults of <see cref="RetryPolicy"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="baseAddress"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="baseAddress"/> is not an absolute https (or loopback http) address.</exception>
    public ApiTransport(HttpClient httpClient, Uri baseAddress, ApiAuthorization? authorization, bool disposeHttpClient = false, RetryPolicy? retryPolicy = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _baseAddress = ValidateBaseAddress(baseAddress, nameof(baseAddress)).AbsoluteUri.TrimEnd('/');
        _httpClient = httpClient;
        _authorization = authorization;
        _disposeHttpClient = disposeHttpClient;
        _retryPolicy = retryPolicy ?? s_defaultRetryPolicy;
    }

    /// <summary>
    /// A transport over <paramref name="httpClient"/>, which it never disposes, or, when that is null,
    /// over an HttpClient of its own (disposed with it) whose connections are renewed every 5 minutes
    /// so DNS changes are seen, which follows no redirect (a 3xx throws <see cref="BasetenApiException"/>),
    /// and whose own timeout is off: the retry policy's attempt timeout governs.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="baseAddress"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="baseAddress"/> is not an absolute https (or loopback http) address.</exception>
    public static ApiTransport Create(HttpClient? httpClient, Uri baseAddress, ApiAuthorization? authorization, RetryPolicy? retryPolicy)
    {
        ValidateBaseAddress(baseAddress, nameof(baseAddress));
        if (httpClient is not null)
        {
            return new ApiTransport(httpClient, baseAddress, authorization, disposeHttpClient: false, retryPolicy);
        }

        // No redirects: a 3xx is an answer to report, not a new request to send the key and body to
        // (.NET would turn a POST into a GET, and follow a Location to another scheme or host).
        var owned = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        return new ApiTransport(owned, baseAddress, authorization, disposeHttpClient: true, retryPolicy);
    }

    /// <summary>
    /// Builds the transport a generated client's options constructors use: everything is validated
    /// before an HttpClient is created, so that a bad option leaks nothing.
    /// </summary>
    /// <param name="httpClient">A caller-owned client (never disposed), or null for one the transport owns.</param>
    /// <param name="defaultBaseAddress">The document's server, used when <see cref="ApiClientOptions.BaseAddress"/> is null; null when it has none usable.</param>
    /// <param name="authorize">Turns the credential into what the document's security scheme sends; null when it declares none.</param>
    /// <param name="credentialVariable">The environment variable read when <see cref="ApiClientOptions.Credential"/> is null, or null.</param>
    /// <param name="options">The client's options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">No credential where one is needed, no base address, or one that is not valid.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static ApiTransport Create(ApiClientOptions options, HttpClient? httpClient, Uri? defaultBaseAddress, Func<string, ApiAuthorization>? authorize, string? credentialVariable)
    {
        ArgumentNullException.ThrowIfNull(options);
        ApiAuthorization? authorization = null;
        if (authorize is not null)
        {
            string? credential = options.Credential ?? (credentialVariable is null ? null : Environment.GetEnvironmentVariable(credentialVariable));
            if (string.IsNullOrWhiteSpace(credential))
            {
                throw new ArgumentException(
                    "No credential: set ApiClientOptions.Credential" + (credentialVariable is null ? "." : " or the " + credentialVariable + " environment variable."),
                    nameof(options));
            }

            authorization = authorize(credential.Trim());
        }

        Uri baseAddress = options.BaseAddress ?? defaultBaseAddress
            ?? throw new ArgumentException("No base address: set ApiClientOptions.BaseAddress (the document's servers need values for their variables).", nameof(options));
        return Create(httpClient, ApiTransport.ValidateBaseAddress(baseAddress, nameof(options)), authorization, options.Retry);
    }

    /// <summary>Checks that <paramref name="baseAddress"/> may carry a key: absolute, and https unless the host is loopback.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="baseAddress"/> is null.</exception>
    /// <exception cref="ArgumentException">It is relative, has a query or fragment, or is plain http to a host that is not loopback.</exception>
    public static Uri ValidateBaseAddress(Uri baseAddress, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(baseAddress, parameterName);
        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttps && baseAddress.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The base address must be an absolute http or https URL.", parameterName);
        }

        if (baseAddress.Scheme == Uri.UriSchemeHttp && !baseAddress.IsLoopback)
        {
            throw new ArgumentException("The base address must use https: plain http would send the API key unencrypted. Plain http is allowed for loopback hosts only.", parameterName);
        }

        if (baseAddress.Query.Length > 0 || baseAddress.Fragment.Length > 0)
        {
            throw new ArgumentException("The base address must not have a query or a fragment.", parameterName);
        }

        // A user:password@ part would be sent, and printed wherever the address is; it is never the way to authenticate here.
        if (baseAddress.UserInfo.Length > 0)
        {
            throw new ArgumentException("The base address must not hold a user name or password; pass the credential in the options.", parameterName);
        }

        return baseAddress;
    }

    /// <summary>Sends a request with an optional JSON body and reads a JSON response.</summary>
    public Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest> bodyInfo, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken)
        => SendJsonAsync(JsonRequest(method, path, body, bodyInfo), responseInfo, cancellationToken);

    /// <summary>Sends a request without a body and reads a JSON response.</summary>
    public Task<TResponse> SendAsync<TResponse>(HttpMethod method, string path, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken)
        => SendJsonAsync(new ApiRequest(method, path, path), responseInfo, cancellationToken);

    /// <summary>Sends a request with an optional JSON body; the response has no body of interest.</summary>
    public Task SendAsync<TRequest>(HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest> bodyInfo, CancellationToken cancellationToken)
        => SendNoContentAsync(JsonRequest(method, path, body, bodyInfo), cancellationToken);

    /// <summary>Sends a request without a body; the response has no body of interest.</summary>
    public Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
        => SendNoContentAsync(new ApiRequest(method, path, path), cancellationToken);

    /// <summary>
    /// Sends <paramref name="request"/> and returns the 2xx response with its headers read and its
    /// body not yet read. The caller disposes it.
    /// </summary>
    /// <exception cref="BasetenApiException">The server answered outside 2xx (after the retries the policy allows).</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time (after the retries the policy allows).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        AttemptDeadline? deadline = StartDeadline(cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await SendCoreAsync(request, deadline, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            request.Content?.Dispose();
            throw;
        }
        finally
        {
            EndDeadline(deadline);
        }

        return new ApiResponse(response, request, _authorization);
    }

    /// <summary>Sends <paramref name="request"/> and reads the 2xx body as JSON, from the stream, bounded by <see cref="MaxResponseBytes"/>.</summary>
    /// <exception cref="BasetenApiException">The server answered outside 2xx, or with a body that is not <typeparamref name="T"/> (or is null, or too large).</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<T> SendJsonAsync<T>(ApiRequest request, JsonTypeInfo<T> responseInfo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseInfo);

        // The hot path: one state machine for send and read, no ApiResponse, no intermediate string,
        // and one deadline for the attempts and the body.
        AttemptDeadline? deadline = StartDeadline(cancellationToken);
        try
        {
            using HttpResponseMessage response = await SendCoreAsync(request, deadline, cancellationToken).ConfigureAwait(false);
            deadline?.Restart();
            CancellationToken token = deadline?.Token ?? cancellationToken;
            T? result;
            try
            {
                using Stream stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);

                // A declared length within the cap is enforced by the handler, which reads no further:
                // only a body of unknown (or too large a) length needs counting.
                result = response.Content.Headers.ContentLength <= MaxResponseBytes
                    ? await JsonSerializer.DeserializeAsync(stream, responseInfo, token).ConfigureAwait(false)
                    : await DeserializeLimitedAsync(stream, responseInfo, token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is JsonException or LimitedReadStream.LimitExceededException)
            {
                throw BasetenApiException.InvalidResponse(request, response, typeof(T).Name, exception.Message, exception, _authorization);
            }
            catch (OperationCanceledException exception) when (deadline?.Expired == true)
            {
                throw BodyTimeout(request, deadline, exception);
            }

            return result ?? throw BasetenApiException.InvalidResponse(request, response, typeof(T).Name, "the body is null", null, _authorization);
        }
        finally
        {
            EndDeadline(deadline);
            request.Content?.Dispose();
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> for a 204 or any 2xx whose body does not matter. A body that
    /// declares a Content-Length up to 64 KiB is read and dropped, so the connection is reused at
    /// once; any other is left unread when the response is disposed, and the handler drops the
    /// connection (SocketsHttpHandler first drains a bounded amount in the background). The call
    /// never waits on a body of unknown length.
    /// </summary>
    /// <exception cref="BasetenApiException">The server answered outside 2xx.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task SendNoContentAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        AttemptDeadline? deadline = StartDeadline(cancellationToken);
        byte[]? buffer = null;
        try
        {
            using HttpResponseMessage response = await SendCoreAsync(request, deadline, cancellationToken).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength is not (> 0 and <= MaxDrainBytes))
            {
                return;
            }

            deadline?.Restart();
            CancellationToken token = deadline?.Token ?? cancellationToken;
            using Stream stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            while (await stream.ReadAsync(buffer, token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (OperationCanceledException exception) when (deadline?.Expired == true)
        {
            throw BodyTimeout(request, deadline, exception);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            EndDeadline(deadline);
            request.Content?.Dispose();
        }
    }

    /// <summary>Sends <paramref name="request"/> and reads the 2xx body as text (see <see cref="ApiResponse.ReadTextAsync"/>), bounded by <see cref="MaxResponseBytes"/>.</summary>
    /// <exception cref="BasetenApiException">The server answered outside 2xx, or with a body larger than <see cref="MaxResponseBytes"/>.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<string> SendTextAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        AttemptDeadline? deadline = StartDeadline(cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await SendCoreAsync(request, deadline, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            EndDeadline(deadline);
            request.Content?.Dispose();
            throw;
        }

        using var read = new ApiResponse(response, request, _authorization);
        try
        {
            deadline?.Restart();
            return await read.ReadTextAsync(deadline?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline?.Expired == true)
        {
            throw BodyTimeout(request, deadline, exception);
        }
        finally
        {
            EndDeadline(deadline);
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and returns the 2xx body as a stream read from the connection
    /// as it arrives: not buffered, not bounded. Disposing the stream disposes the response. The
    /// attempt timeout ends with the headers; reads are governed by the token passed to them.
    /// </summary>
    /// <exception cref="BasetenApiException">The server answered outside 2xx.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<Stream> SendStreamAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ApiResponse response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            Stream body = await response.ReadStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResponseStream(body, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads the 2xx body as a <c>text/event-stream</c>, one
    /// event at a time as it arrives (see <see cref="ServerSentEvent"/>). Set <see cref="ApiRequest.Accept"/>
    /// to <c>text/event-stream</c>. Cancelling the token, or the enumeration, aborts the request;
    /// ending the enumeration early disposes the response. The attempt timeout ends with the headers.
    /// </summary>
    /// <exception cref="BasetenApiException">The server answered outside 2xx, or sent a line longer than <see cref="MaxLineLength"/> or an event larger than <see cref="MaxResponseBytes"/>.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time before the headers.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async IAsyncEnumerable<ServerSentEvent> SendEventsAsync(ApiRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using ApiResponse response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var events = new ServerSentEventReader(await response.ReadStreamAsync(cancellationToken).ConfigureAwait(false), response);
        while (await events.ReadAsync(cancellationToken).ConfigureAwait(false) is { } serverSentEvent)
        {
            yield return serverSentEvent;
        }
    }

    /// <summary>
    /// Like <see cref="SendEventsAsync(ApiRequest, CancellationToken)"/>, with each event's data read
    /// as JSON. An event whose data is exactly <c>[DONE]</c> ends the stream (the convention of
    /// LLM completion APIs).
    /// </summary>
    /// <exception cref="BasetenApiException">The server answered outside 2xx, or an event's data is not <typeparamref name="T"/> (or is null), or a line or event is too long.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time before the headers.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async IAsyncEnumerable<T> SendEventsAsync<T>(ApiRequest request, JsonTypeInfo<T> dataInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataInfo);
        using ApiResponse response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var events = new ServerSentEventReader(await response.ReadStreamAsync(cancellationToken).ConfigureAwait(false), response);
        while (await events.ReadAsync(cancellationToken).ConfigureAwait(false) is { } serverSentEvent && serverSentEvent.Data != "[DONE]")
        {
            yield return ParseJson(response, serverSentEvent.Data, dataInfo);
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads the 2xx body as JSON lines (<c>application/x-ndjson</c>,
    /// <c>application/jsonl</c>): one <typeparamref name="T"/> per non-blank line, as each arrives.
    /// Cancelling aborts the request; ending the enumeration early disposes the response.
    /// The attempt timeout ends with the headers.
    /// </summary>
    /// <exception cref="BasetenApiException">The server answered outside 2xx, or a line is not <typeparamref name="T"/> (or is null), or is longer than <see cref="MaxLineLength"/>.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time before the headers.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async IAsyncEnumerable<T> SendJsonLinesAsync<T>(ApiRequest request, JsonTypeInfo<T> lineInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lineInfo);
        using ApiResponse response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var lines = new LineReader(await response.ReadStreamAsync(cancellationToken).ConfigureAwait(false), crEndsLine: false, response, "JSON lines");
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (!line.Span.Trim(" \t\r"u8).IsEmpty)
            {
                yield return ParseJson(response, line.Span, lineInfo);
            }
        }
    }

    /// <summary>Disposes the HttpClient if this transport owns it.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _spareDeadline, null)?.Dispose();
        if (_disposeHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    private static ApiRequest JsonRequest<TRequest>(HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest> bodyInfo)
        => new(method, path, path) { Content = body is null ? null : PooledJsonContent.Create(body, bodyInfo) };

    private static T ParseJson<T>(ApiResponse response, string json, JsonTypeInfo<T> info)
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(json, info);
        }
        catch (JsonException exception)
        {
            throw response.InvalidBody(typeof(T).Name, exception.Message, exception);
        }

        return value ?? throw response.InvalidBody(typeof(T).Name, "a value is null", null);
    }

    private static T ParseJson<T>(ApiResponse response, ReadOnlySpan<byte> json, JsonTypeInfo<T> info)
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(json, info);
        }
        catch (JsonException exception)
        {
            throw response.InvalidBody(typeof(T).Name, exception.Message, exception);
        }

        return value ?? throw response.InvalidBody(typeof(T).Name, "a value is null", null);
    }

    // The deadline of one call, or null when the policy sets no attempt timeout (the caller's token governs).
    private AttemptDeadline? StartDeadline(CancellationToken cancellationToken)
    {
        if (_retryPolicy.AttemptTimeout is not { } limit)
        {
            return null;
        }

        AttemptDeadline deadline = Interlocked.Exchange(ref _spareDeadline, null) ?? new AttemptDeadline(limit, _retryPolicy.TimeProvider);
        deadline.Begin(cancellationToken);
        return deadline;
    }

    // Keeps the deadline for the next call when nothing cancelled it.
    private void EndDeadline(AttemptDeadline? deadline)
    {
        if (deadline is not null && deadline.End())
        {
            Interlocked.Exchange(ref _spareDeadline, deadline)?.Dispose();
        }
    }

    private static TimeoutException BodyTimeout(ApiRequest request, AttemptDeadline deadline, Exception inner)
        => new(request.Method.Method + " " + request.Path + " answered, but its body did not arrive within " + Seconds(deadline.Limit) + " s.", inner);

    private static string Seconds(TimeSpan limit) => limit.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    private static async ValueTask<T?> DeserializeLimitedAsync<T>(Stream stream, JsonTypeInfo<T> info, CancellationToken cancellationToken)
    {
        using var limited = new LimitedReadStream(stream, MaxResponseBytes);
        return await JsonSerializer.DeserializeAsync(limited, info, cancellationToken).ConfigureAwait(false);
    }

    // The absolute URI of a path: the last one is kept, since a client mostly repeats the same calls.
    private Uri UriOf(string path)
    {
        CachedUri? last = _lastUri;
        if (last is not null && string.Equals(last.Path, path, StringComparison.Ordinal))
        {
            return last.Uri;
        }

        var uri = new Uri(_baseAddress + (_authorization?.WithQuery(path) ?? path), UriKind.Absolute);
        _lastUri = new CachedUri(path, uri);
        return uri;
    }

    // Sends, and repeats the request while the policy allows: see RetryPolicy for when.
    private async ValueTask<HttpResponseMessage> SendCoreAsync(ApiRequest request, AttemptDeadline? deadline, CancellationToken cancellationToken)
    {
        Uri uri = UriOf(request.Path);
        for (int attempt = 1; ; attempt++)
        {
            deadline?.Restart();
            Outcome outcome = await AttemptAsync(request, uri, deadline, cancellationToken).ConfigureAwait(false);
            if (outcome.Response is { } response)
            {
                return response;
            }

            TimeSpan delay = outcome.RetryAfter ?? _retryPolicy.Backoff(attempt);
            if (!outcome.Retryable || attempt >= _retryPolicy.MaxAttempts || delay > _retryPolicy.MaxDelay)
            {
                ExceptionDispatchInfo.Throw(outcome.Failure!);
            }

            await Task.Delay(delay, _retryPolicy.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    // One attempt: a success response, or the failure and whether the policy lets it be repeated.
    private async ValueTask<Outcome> AttemptAsync(ApiRequest request, Uri uri, AttemptDeadline? deadline, CancellationToken cancellationToken)
    {
        HttpMethod method = request.Method;
        bool mayRepeat = _retryPolicy.RetryUnsafeMethods || (method != HttpMethod.Post && method != HttpMethod.Patch);
        CancellationToken token = deadline?.Token ?? cancellationToken;
        HttpResponseMessage response;
        var message = new HttpRequestMessage(method, uri) { Content = request.Content };
        try
        {
            AddHeaders(message, request, _authorization);
            if (request.Content is MultipartFormDataContent form)
            {
                FormDataNames.Normalize(form);
            }

            response = await _httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline?.Expired == true)
        {
            return new Outcome(null, new TimeoutException(method.Method + " " + request.Path + " did not answer within " + Seconds(deadline.Limit) + " s.", exception), mayRepeat && CanResend(request.Content), null);
        }
        catch (OperationCanceledException exception) when (cancellationToken.IsCancellationRequested && exception.CancellationToken != cancellationToken)
        {
            // The caller's cancellation, with the caller's token on it (not the one of the attempt).
            throw new OperationCanceledException(exception.Message, exception, cancellationToken);
        }
        catch (HttpRequestException thrown)
        {
            // .NET quotes what the server sent in some messages (a malformed status line or header):
            // a key echoed there must not leave in the exception.
            HttpRequestException exception = _authorization is not null && _authorization.Leaks(thrown.ToString())
                ? new HttpRequestException(thrown.HttpRequestError, _authorization.Redact(BasetenApiException.OneLine(thrown.Message)), null, thrown.StatusCode)
                : thrown;

            // A refused connection never reached the server, nor read the body: repeating it is safe for any method and body.
            bool refused = exception.HttpRequestError == HttpRequestError.ConnectionError && request.Content is not StreamBodyContent { Started: true };
            return new Outcome(null, exception, (mayRepeat && CanResend(request.Content)) || refused, null);
        }
        finally
        {
            // The content is sent again on a retry, and disposed by the caller: detach it so disposing the message keeps it.
            message.Content = null;
            message.Dispose();
        }

        if (response.IsSuccessStatusCode)
        {
            return new Outcome(response, null, false, null);
        }

        using (response)
        {
            // The error body is read under the attempt's timeout too: a server that drips it cannot hold the call.
            BasetenApiException error;
            try
            {
                error = await BasetenApiException.FromResponseAsync(request, response, _authorization, _retryPolicy.TimeProvider, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException exception) when (deadline?.Expired == true)
            {
                return new Outcome(null, new TimeoutException(method.Method + " " + request.Path + " answered " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + " but its body did not arrive within " + Seconds(deadline.Limit) + " s.", exception), false, null);
            }

            int status = (int)response.StatusCode;

            // 429, and 503 with Retry-After, say the server did not act on the request; but it may
            // still have read a streamed body, which cannot be sent a second time.
            bool notActedOn = status == 429 || (status == 503 && error.RetryAfter is not null);
            bool retryable = status is 408 or 429 or 500 or 502 or 503 or 504 && (mayRepeat || notActedOn) && CanResend(request.Content);
            return new Outcome(null, error, retryable, error.RetryAfter);
        }
    }

    private static void AddHeaders(HttpRequestMessage message, ApiRequest request, ApiAuthorization? authorization)
    {
        if (request.Accept.Length > 0)
        {
            message.Headers.TryAddWithoutValidation("Accept", request.Accept);
        }

        message.Headers.TryAddWithoutValidation("User-Agent", s_userAgent);
        string? cookie = request.Cookie;
        if (authorization?.Location == CredentialLocation.Header)
        {
            message.Headers.TryAddWithoutValidation(authorization.Name, authorization.Value);
        }
        else if (authorization?.Location == CredentialLocation.Cookie)
        {
            string credential = Uri.EscapeDataString(authorization.Name) + "=" + Uri.EscapeDataString(authorization.Value);
            cookie = cookie is null ? credential : credential + "; " + cookie;
        }

        if (cookie is not null)
        {
            message.Headers.TryAddWithoutValidation("Cookie", cookie);
        }

        if (request.Headers is { } headers)
        {
            foreach (KeyValuePair<string, string> header in headers)
            {
                // A content header (Content-Language, say) belongs on the body; without one it has nowhere to go.
                if (!message.Headers.TryAddWithoutValidation(header.Key, header.Value))
                {
                    HttpContent content = request.Content ?? throw new InvalidOperationException("The " + header.Key + " header describes a body, and the request has none.");
                    content.Headers.Remove(header.Key);
                    content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }
        }
    }

    // Bytes held in memory can be sent again; a caller's stream cannot once it has been read.
    // Content of another kind is assumed not to be re-sendable.
    private static bool CanResend(HttpContent? content)
    {
        switch (content)
        {
            case null or PooledJsonContent or ByteArrayContent:
                return true;
            case StreamBodyContent stream:
                return !stream.Started;
            case MultipartContent parts:
                foreach (HttpContent part in parts)
                {
                    if (!CanResend(part))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    private readonly record struct Outcome(HttpResponseMessage? Response, Exception? Failure, bool Retryable, TimeSpan? RetryAfter);

    private sealed record CachedUri(string Path, Uri Uri);
}
