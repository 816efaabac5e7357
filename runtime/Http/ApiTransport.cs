using System;
using System.ComponentModel;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;

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
    private readonly ApiErrorFactory _errors;

    /// <summary>The validated base address, as requests are sent to it (no trailing slash but the root's).</summary>
    internal Uri BaseAddress => new(_baseAddress, UriKind.Absolute);

    internal ApiAuthorization? Authorization => _authorization;

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
        _errors = ApiErrorFactory.Api;

        _retryStage = new RetryStage(this);
        _authorizationStage = new AuthorizationStage(this);
        _sendStage = new SendStage(this);
        _pipeline = BuildPipeline(null);
    }

    // The same settings with other errors. The HttpClient (and whether it is disposed) goes with them:
    // the source is not to be used after.
    private ApiTransport(ApiTransport source, ApiErrorFactory errors)
    {
        _baseAddress = source._baseAddress;
        _userAgent = source._userAgent;
        _httpClient = source._httpClient;
        _authorization = source._authorization;
        _disposeHttpClient = source._disposeHttpClient;
        _retryPolicy = source._retryPolicy;
        _perCall = source._perCall;
        _perTry = source._perTry;
        _errors = errors;

        _retryStage = new RetryStage(this);
        _authorizationStage = new AuthorizationStage(this);
        _sendStage = new SendStage(this);
        _pipeline = BuildPipeline(null);
    }

    /// <summary>
    /// This transport as one that throws <see cref="BasetenApiException"/>: for the clients of
    /// Baseten's own documents, which call it on the transport they have just created and use the
    /// result in its place (the two share the HttpClient).
    /// </summary>
    internal ApiTransport WithBasetenErrors() => new(this, ApiErrorFactory.Baseten);

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

    /// <summary>Disposes the HttpClient if this transport owns it.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _spareDeadline, null)?.Dispose();
        if (_disposeHttpClient)
        {
            _httpClient.Dispose();
        }
    }
}
