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
/// every non-2xx answer into a <see cref="ApiException"/>. Every method takes the same
/// path to the server; they differ only in how they read the body.
/// </summary>
/// <remarks>
/// The retry policy's per-attempt timeout covers sending the request and receiving the response
/// headers; a body read whole (JSON, text, an error) then gets the same time again. A body handed
/// over as it arrives (a stream, events, JSON lines) is governed by the caller's
/// <see cref="CancellationToken"/>: a download or an event stream may rightly last longer than any
/// one timeout.
/// </remarks>
public sealed partial class ApiTransport : IDisposable
{
    /// <summary>
    /// The largest success body read, in bytes (32 MiB): a larger one is refused with a
    /// <see cref="ApiException"/> rather than read into memory without end.
    /// </summary>
    public const int MaxResponseBytes = 32 * 1024 * 1024;

    /// <summary>
    /// The longest line of an event stream or a JSON-lines body, in bytes (1 MiB): a longer one is
    /// refused with a <see cref="ApiException"/> rather than buffered without end.
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
    private readonly string _userAgent;

    // Baseten's own clients throw BasetenApiException; a transport anyone else creates, ApiException.
    private bool _basetenErrors;

    /// <summary>Makes this transport throw <see cref="BasetenApiException"/>: for the clients of Baseten's own documents.</summary>
    internal ApiTransport WithBasetenErrors()
    {
        _basetenErrors = true;
        return this;
    }

    /// <summary>Creates a transport over <paramref name="httpClient"/>.</summary>
    /// <param name="httpClient">The client that sends the requests.</param>
    /// <param name="baseAddress">The API's address: <c>https</c>, or <c>http</c> on a loopback host only. A path in it is kept as a prefix.</param>
    /// <param name="authorization">The credential to send, or null for none.</param>
    /// <param name="disposeHttpClient">Whether <see cref="Dispose"/> disposes <paramref name="httpClient"/>.</param>
    /// <param name="retryPolicy">When to repeat a request; null for the defaults of <see cref="RetryPolicy"/>.</param>
    /// <param name="perCallPolicies">The caller's steps of the pipeline that see each call once (see <see cref="ApiPolicy"/>), in order; null for none.</param>
    /// <param name="perTryPolicies">The caller's steps that see every attempt, in order; null for none.</param>
    /// <param name="userAgent">The <c>User-Agent</c> to send; null for <c>Baseten.Aot/&lt;version&gt;</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="baseAddress"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="baseAddress"/> is not an absolute https (or loopback http) address, or <paramref name="userAgent"/> is not ASCII text on one line.</exception>
    public ApiTransport(HttpClient httpClient, Uri baseAddress, ApiAuthorization? authorization, bool disposeHttpClient = false, RetryPolicy? retryPolicy = null, IEnumerable<ApiPolicy>? perCallPolicies = null, IEnumerable<ApiPolicy>? perTryPolicies = null, string? userAgent = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _baseAddress = ValidateBaseAddress(baseAddress, nameof(baseAddress)).AbsoluteUri.TrimEnd('/');
        _userAgent = userAgent is null ? s_userAgent : ApiRequest.CheckHeaderValue(userAgent, nameof(userAgent));
        _httpClient = httpClient;
        _authorization = authorization;
        _disposeHttpClient = disposeHttpClient;
        _retryPolicy = retryPolicy ?? s_defaultRetryPolicy;
        _perCall = Policies(perCallPolicies, nameof(perCallPolicies));
        _perTry = Policies(perTryPolicies, nameof(perTryPolicies));

        _retryStage = new RetryStage(this);
        _authorizationStage = new AuthorizationStage(this);
        _sendStage = new SendStage(this);
        _pipeline = BuildPipeline(null);
    }

    /// <summary>
    /// A transport over <paramref name="httpClient"/>, which it never disposes, or, when that is null,
    /// over an HttpClient of its own (disposed with it) whose connections are renewed every 5 minutes
    /// so DNS changes are seen, which follows no redirect (a 3xx throws <see cref="ApiException"/>),
    /// and whose own timeout is off: the retry policy's attempt timeout governs.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="baseAddress"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="baseAddress"/> is not an absolute https (or loopback http) address.</exception>
    public static ApiTransport Create(HttpClient? httpClient, Uri baseAddress, ApiAuthorization? authorization, RetryPolicy? retryPolicy, IEnumerable<ApiPolicy>? perCallPolicies = null, IEnumerable<ApiPolicy>? perTryPolicies = null, string? userAgent = null)
    {
        ValidateBaseAddress(baseAddress, nameof(baseAddress));
        if (httpClient is not null)
        {
            return new ApiTransport(httpClient, baseAddress, authorization, disposeHttpClient: false, retryPolicy, perCallPolicies, perTryPolicies, userAgent);
        }

        // No redirects: a 3xx is an answer to report, not a new request to send the key and body to
        // (.NET would turn a POST into a GET, and follow a Location to another scheme or host).
        var owned = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        return new ApiTransport(owned, baseAddress, authorization, disposeHttpClient: true, retryPolicy, perCallPolicies, perTryPolicies, userAgent);
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
    /// <exception cref="ArgumentException">No credential where one is needed, a credential where the document declares no scheme to send it with, no base address, or one that is not valid.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static ApiTransport Create(ApiClientOptions options, HttpClient? httpClient, Uri? defaultBaseAddress, Func<string, ApiAuthorization>? authorize, string? credentialVariable)
        => Create(options, httpClient, defaultBaseAddress, authorize, credentialVariable, null);

    /// <inheritdoc cref="Create(ApiClientOptions, HttpClient?, Uri?, Func{string, ApiAuthorization}?, string?)"/>
    /// <param name="options">The client's options.</param>
    /// <param name="httpClient">A caller-owned client (never disposed), or null for one the transport owns.</param>
    /// <param name="defaultBaseAddress">The document's server, used when <see cref="ApiClientOptions.BaseAddress"/> is null; null when it has none usable.</param>
    /// <param name="authorize">Turns the credential into what the document's security scheme sends; null when it declares none.</param>
    /// <param name="credentialVariable">The environment variable read when <see cref="ApiClientOptions.Credential"/> is null, or null.</param>
    /// <param name="userAgent">The generated client's name, sent before the runtime's in <c>User-Agent</c> unless <see cref="ApiClientOptions.UserAgent"/> is set; null for the runtime's alone.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static ApiTransport Create(ApiClientOptions options, HttpClient? httpClient, Uri? defaultBaseAddress, Func<string, ApiAuthorization>? authorize, string? credentialVariable, string? userAgent)
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
        else if (!string.IsNullOrWhiteSpace(options.Credential))
        {
            // Silently dropping it would leave the caller wondering why every call is a 401.
            throw new ArgumentException(
                "ApiClientOptions.Credential is set, but the document declares no security scheme, so the client would send it nowhere. Leave it unset, "
                + "send it with a policy of your own (ApiClientOptions.AddPolicy), or declare the scheme in the document (components.securitySchemes and security).",
                nameof(options));
        }

        Uri baseAddress = options.BaseAddress ?? defaultBaseAddress
            ?? throw new ArgumentException("No base address: set ApiClientOptions.BaseAddress (the document's servers need values for their variables).", nameof(options));
        // The generated client names itself first, then the runtime: "PetsClient Baseten.Aot/0.1.0".
        string? agent = options.UserAgent ?? (userAgent is null ? null : ApiRequest.CheckHeaderValue(userAgent, nameof(userAgent)) + " " + s_userAgent);
        return Create(httpClient, ApiTransport.ValidateBaseAddress(baseAddress, nameof(options)), authorization, options.Retry, options.Policies?.PerCall, options.Policies?.PerTry, agent);
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
    /// <exception cref="ApiException">The server answered outside 2xx (after the retries the policy allows).</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time (after the retries the policy allows).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CallScope call = StartCall(request, cancellationToken);
        try
        {
            HttpResponseMessage response = await SendCoreAsync(request, call.Policy, call.Deadline, call.Token).ConfigureAwait(false);
            return new ApiResponse(response, request, _authorization, _basetenErrors);
        }
        catch (OperationCanceledException exception) when (CallEnded(call, request, exception) is { } ended)
        {
            request.Content?.Dispose();
            throw ended;
        }
        catch
        {
            request.Content?.Dispose();
            throw;
        }
        finally
        {
            EndCall(call);
        }
    }

    /// <summary>Sends <paramref name="request"/> and reads the 2xx body as JSON, from the stream, bounded by <see cref="MaxResponseBytes"/>.</summary>
    /// <exception cref="ApiException">The server answered outside 2xx, or with a body that is not <typeparamref name="T"/> (or is null, or too large).</exception>
    /// <exception cref="TimeoutException">An attempt, or the call, ran out of time.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<T> SendJsonAsync<T>(ApiRequest request, JsonTypeInfo<T> responseInfo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseInfo);

        // The hot path: one state machine for send and read, no ApiResponse, no intermediate string,
        // and one deadline for the attempts and the body.
        CallScope call = StartCall(request, cancellationToken);
        try
        {
            using HttpResponseMessage response = await SendCoreAsync(request, call.Policy, call.Deadline, call.Token).ConfigureAwait(false);
            CancellationToken token = call.BodyToken();
            T? result;
            try
            {
                // Read whole (up to the cap) into buffers the GC takes back, then parsed at once.
                result = await BoundedJsonReader.ReadAsync(response.Content, responseInfo, MaxResponseBytes, _authorization, token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is JsonException or LimitedReadStream.LimitExceededException)
            {
                throw ApiException.InvalidResponse(request, response, typeof(T).Name, exception.Message, exception, _authorization, _basetenErrors);
            }

            return result ?? throw ApiException.InvalidResponse(request, response, typeof(T).Name, "the body is null", null, _authorization, _basetenErrors);
        }
        catch (OperationCanceledException exception) when (call.Deadline?.Expired == true)
        {
            throw BodyTimeout(request, call.Deadline, exception);
        }
        catch (OperationCanceledException exception) when (CallEnded(call, request, exception) is { } ended)
        {
            throw ended;
        }
        finally
        {
            EndCall(call);
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
    /// <exception cref="ApiException">The server answered outside 2xx.</exception>
    /// <exception cref="TimeoutException">An attempt, or the call, ran out of time.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task SendNoContentAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CallScope call = StartCall(request, cancellationToken);
        byte[]? buffer = null;
        try
        {
            using HttpResponseMessage response = await SendCoreAsync(request, call.Policy, call.Deadline, call.Token).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength is not (> 0 and <= MaxDrainBytes))
            {
                return;
            }

            CancellationToken token = call.BodyToken();
            using Stream stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            while (await stream.ReadAsync(buffer, token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception exception) when (_authorization is not null && ResponseStream.Scrub(_authorization, exception) is { } scrubbed)
        {
            throw scrubbed;
        }
        catch (OperationCanceledException exception) when (call.Deadline?.Expired == true)
        {
            throw BodyTimeout(request, call.Deadline, exception);
        }
        catch (OperationCanceledException exception) when (CallEnded(call, request, exception) is { } ended)
        {
            throw ended;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            EndCall(call);
            request.Content?.Dispose();
        }
    }

    /// <summary>Sends <paramref name="request"/> and reads the 2xx body as text (see <see cref="ApiResponse.ReadTextAsync"/>), bounded by <see cref="MaxResponseBytes"/>.</summary>
    /// <exception cref="ApiException">The server answered outside 2xx, or with a body larger than <see cref="MaxResponseBytes"/>.</exception>
    /// <exception cref="TimeoutException">An attempt, or the call, ran out of time.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<string> SendTextAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CallScope call = StartCall(request, cancellationToken);
        try
        {
            using var read = new ApiResponse(await SendCoreAsync(request, call.Policy, call.Deadline, call.Token).ConfigureAwait(false), request, _authorization, _basetenErrors);
            return await read.ReadTextAsync(call.BodyToken()).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (call.Deadline?.Expired == true)
        {
            throw BodyTimeout(request, call.Deadline, exception);
        }
        catch (OperationCanceledException exception) when (CallEnded(call, request, exception) is { } ended)
        {
            throw ended;
        }
        finally
        {
            EndCall(call);
            request.Content?.Dispose();
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and returns the 2xx body as a stream read from the connection
    /// as it arrives: not buffered, not bounded. Disposing the stream disposes the response. The
    /// attempt timeout ends with the headers; reads are governed by the token passed to them.
    /// </summary>
    /// <exception cref="ApiException">The server answered outside 2xx.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<Stream> SendStreamAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ApiResponse response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            Stream body = await response.Message.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResponseStream(body, response, _authorization);
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
    /// <exception cref="ApiException">The server answered outside 2xx, or sent a line longer than <see cref="MaxLineLength"/> or an event larger than <see cref="MaxResponseBytes"/>.</exception>
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
    /// <exception cref="ApiException">The server answered outside 2xx, or an event's data is not <typeparamref name="T"/> (or is null), or a line or event is too long.</exception>
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
    /// <exception cref="ApiException">The server answered outside 2xx, or a line is not <typeparamref name="T"/> (or is null), or is longer than <see cref="MaxLineLength"/>.</exception>
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

    private CallScope StartCall(ApiRequest request, CancellationToken cancellationToken)
    {
        RetryPolicy policy = request.Options?.Retry ?? _retryPolicy;
        var call = new CallScope { Policy = policy, Caller = cancellationToken, Token = cancellationToken };
        if ((request.Options?.Timeout ?? policy.CallTimeout) is { } limit)
        {
            call.Limit = limit;
            call.Timer = new CancellationTokenSource(limit, policy.TimeProvider);
            call.Linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.Timer.Token);
            call.Token = call.Linked.Token;
        }

        call.Deadline = StartDeadline(policy, call.Token);
        return call;
    }

    private void EndCall(in CallScope call)
    {
        EndDeadline(call.Deadline);
        call.Linked?.Dispose();
        call.Timer?.Dispose();
    }

    // What the caller is told when the call's token ended it: its call timeout ran out, or the
    // caller cancelled (then with the caller's own token on the exception); null for neither.
    private static Exception? CallEnded(in CallScope call, ApiRequest request, OperationCanceledException exception)
    {
        if (call.TimedOut)
        {
            return new TimeoutException(request.Method.Method + " " + request.Path + " did not complete within its call timeout of " + Seconds(call.Limit!.Value) + " s.", exception);
        }

        return call.Linked is not null && call.Caller.IsCancellationRequested && exception.CancellationToken != call.Caller
            ? new OperationCanceledException(exception.Message, exception, call.Caller)
            : null;
    }

    private static TimeoutException BodyTimeout(ApiRequest request, AttemptDeadline deadline, Exception inner)
        => new(request.Method.Method + " " + request.Path + " answered, but its body did not arrive within " + Seconds(deadline.Limit) + " s.", inner);

    private static string Seconds(TimeSpan limit) => limit.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    // One call's settings and timers: the retry policy in force, the attempt deadline, and the
    // call timeout, which is linked into the token the call runs on only when there is one.
    private struct CallScope
    {
        public RetryPolicy Policy;
        public AttemptDeadline? Deadline;
        public CancellationToken Caller;
        public CancellationToken Token;
        public CancellationTokenSource? Timer;
        public CancellationTokenSource? Linked;
        public TimeSpan? Limit;

        public readonly bool TimedOut => Timer?.IsCancellationRequested == true && !Caller.IsCancellationRequested;

        // A body read whole gets the attempt timeout again, from now.
        public readonly CancellationToken BodyToken()
        {
            Deadline?.Restart();
            return Deadline?.Token ?? Token;
        }
    }

}
