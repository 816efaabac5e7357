using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

/// <summary>
/// Sends the requests of a generated client: builds the URL from the base address and the
/// escaped path, writes the JSON body once into a pooled buffer, reads the response as a stream
/// with the generated metadata, and turns every non-2xx answer into a <see cref="BasetenApiException"/>.
/// </summary>
public sealed class ApiTransport : IDisposable
{
    /// <summary>
    /// The largest success body read, in bytes (32 MiB): a larger one is refused with a
    /// <see cref="BasetenApiException"/> rather than read into memory without end.
    /// </summary>
    public const int MaxResponseBytes = 32 * 1024 * 1024;

    private static readonly RetryPolicy s_defaultRetryPolicy = new();
    private static readonly string s_userAgent = "Baseten.Aot/" + (typeof(ApiTransport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    private readonly HttpClient _httpClient;
    private readonly bool _disposeHttpClient;
    private readonly string _baseAddress;
    private readonly ApiAuthorization? _authorization;
    private readonly RetryPolicy _retryPolicy;

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

        return baseAddress;
    }

    /// <summary>Sends a request with an optional JSON body and reads a JSON response.</summary>
    public async Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest> bodyInfo, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken)
    {
        using HttpContent? content = body is null ? null : PooledJsonContent.Create(body, bodyInfo);
        using HttpResponseMessage response = await SendCoreAsync(method, path, content, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(method, path, response, responseInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request without a body and reads a JSON response.</summary>
    public async Task<TResponse> SendAsync<TResponse>(HttpMethod method, string path, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendCoreAsync(method, path, null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(method, path, response, responseInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request with an optional JSON body; the response has no body of interest.</summary>
    public async Task SendAsync<TRequest>(HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest> bodyInfo, CancellationToken cancellationToken)
    {
        using HttpContent? content = body is null ? null : PooledJsonContent.Create(body, bodyInfo);
        using HttpResponseMessage response = await SendCoreAsync(method, path, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request without a body; the response has no body of interest.</summary>
    public async Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendCoreAsync(method, path, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposes the HttpClient if this transport owns it.</summary>
    public void Dispose()
    {
        if (_disposeHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    // Sends, and repeats the request while the policy allows: see RetryPolicy for when.
    private async Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var uri = new Uri(_baseAddress + path, UriKind.Absolute);
        for (int attempt = 1; ; attempt++)
        {
            Outcome outcome = await AttemptAsync(method, path, uri, content, cancellationToken).ConfigureAwait(false);
            if (outcome.Response is { } response)
            {
                return response;
            }

            TimeSpan delay = outcome.RetryAfter ?? _retryPolicy.Backoff(attempt, Random.Shared.NextDouble());
            if (!outcome.Retryable || attempt >= _retryPolicy.MaxAttempts || delay > _retryPolicy.MaxDelay)
            {
                ExceptionDispatchInfo.Throw(outcome.Failure!);
            }

            await Task.Delay(delay, _retryPolicy.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    // One attempt: a success response, or the failure and whether the policy lets it be repeated.
    private async Task<Outcome> AttemptAsync(HttpMethod method, string path, Uri uri, HttpContent? content, CancellationToken cancellationToken)
    {
        bool mayRepeat = _retryPolicy.RetryUnsafeMethods || (method != HttpMethod.Post && method != HttpMethod.Patch);
        using CancellationTokenSource? timeout = _retryPolicy.AttemptTimeout is { } limit ? new CancellationTokenSource(limit, _retryPolicy.TimeProvider) : null;
        using CancellationTokenSource? linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await SendOnceAsync(method, uri, content, linked?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (timeout?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            string seconds = _retryPolicy.AttemptTimeout!.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture);
            return new Outcome(null, new TimeoutException(method.Method + " " + path + " did not answer within " + seconds + " s.", exception), mayRepeat, null);
        }
        catch (HttpRequestException exception)
        {
            // A refused connection never reached the server: repeating it is safe for any method.
            return new Outcome(null, exception, mayRepeat || exception.HttpRequestError == HttpRequestError.ConnectionError, null);
        }

        if (response.IsSuccessStatusCode)
        {
            return new Outcome(response, null, false, null);
        }

        using (response)
        {
            BasetenApiException error = await BasetenApiException.FromResponseAsync(method, path, response, _authorization, _retryPolicy.TimeProvider, cancellationToken).ConfigureAwait(false);
            int status = (int)response.StatusCode;

            // 429, and 503 with Retry-After, say the server did not act on the request.
            bool notActedOn = status == 429 || (status == 503 && error.RetryAfter is not null);
            bool retryable = status is 408 or 429 or 500 or 502 or 503 or 504 && (mayRepeat || notActedOn);
            return new Outcome(null, error, retryable, error.RetryAfter);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, Uri uri, HttpContent? content, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        try
        {
            request.Headers.TryAddWithoutValidation("Accept", "application/json");
            request.Headers.TryAddWithoutValidation("User-Agent", s_userAgent);
            if (_authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", _authorization.HeaderValue);
            }

            return await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The content is sent again on a retry: detach it so disposing the request keeps it.
            request.Content = null;
            request.Dispose();
        }
    }

    private readonly record struct Outcome(HttpResponseMessage? Response, Exception? Failure, bool Retryable, TimeSpan? RetryAfter);

    private async Task<TResponse> ReadAsync<TResponse>(HttpMethod method, string path, HttpResponseMessage response, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken)
    {
        TResponse? result;
        try
        {
            using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var limited = new LimitedReadStream(stream, MaxResponseBytes);
            result = await JsonSerializer.DeserializeAsync(limited, responseInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            throw BasetenApiException.InvalidResponse(method, path, response.StatusCode, typeof(TResponse).Name, exception.Message, exception, _authorization);
        }
        catch (LimitedReadStream.LimitExceededException exception)
        {
            throw BasetenApiException.InvalidResponse(method, path, response.StatusCode, typeof(TResponse).Name, exception.Message, exception, _authorization);
        }

        return result ?? throw BasetenApiException.InvalidResponse(method, path, response.StatusCode, typeof(TResponse).Name, "the body is null", null, _authorization);
    }
}
