using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

// The pipeline every call goes through: the caller's per-call policies, the retries, the caller's
// per-try policies, the authorization, and the send. The built-in steps are nested here because
// they share the transport's state: its HttpClient, credential, deadlines and addresses.
public sealed partial class ApiTransport
{

    private readonly ApiPolicy _retryStage;
    private readonly ApiPolicy _authorizationStage;
    private readonly ApiPolicy _sendStage;
    private readonly ApiPolicy[] _perCall;
    private readonly ApiPolicy[] _perTry;
    private readonly ApiPolicy[] _pipeline;

    // Kept between calls so that a call that succeeds allocates neither a timer nor a URI: one spare
    // deadline, and the URIs of the last path sent (a client calls the same few routes again and again).
    private AttemptDeadline? _spareDeadline;
    private CachedUri? _lastUri;

    private static ApiPolicy[] Policies(IEnumerable<ApiPolicy>? policies, string parameterName)
    {
        if (policies is null)
        {
            return [];
        }

        ApiPolicy[] array = [.. policies];
        foreach (ApiPolicy policy in array)
        {
            ArgumentNullException.ThrowIfNull(policy, parameterName);
        }

        return array;
    }

    // The per-call policies (the client's, then the call's), the retries, the per-try
    // policies, the credential, the send.
    private ApiPolicy[] BuildPipeline(PolicyList? call)
    {
        var pipeline = new List<ApiPolicy>(_perCall.Length + _perTry.Length + (call is null ? 0 : call.PerCall.Count + call.PerTry.Count) + 4);
        pipeline.AddRange(_perCall);
        if (call is not null)
        {
            pipeline.AddRange(call.PerCall);
        }

        pipeline.Add(_retryStage);
        pipeline.AddRange(_perTry);
        if (call is not null)
        {
            pipeline.AddRange(call.PerTry);
        }

        pipeline.Add(_authorizationStage);
        pipeline.Add(_sendStage);
        return [.. pipeline];
    }

    // The deadline of one call, or null when the policy sets no attempt timeout (the caller's token governs).
    private AttemptDeadline? StartDeadline(RetryPolicy policy, CancellationToken cancellationToken)
    {
        if (policy.AttemptTimeout is not { } limit)
        {
            return null;
        }

        AttemptDeadline deadline = (policy == _retryPolicy ? Interlocked.Exchange(ref _spareDeadline, null) : null) ?? new AttemptDeadline(limit, policy.TimeProvider, policy);
        deadline.Begin(cancellationToken);
        return deadline;
    }

    // Keeps the deadline for the next call when nothing cancelled it and it is the client's own.
    private void EndDeadline(AttemptDeadline? deadline)
    {
        if (deadline is null)
        {
            return;
        }

        if (deadline.End() && deadline.Owner == _retryPolicy)
        {
            Interlocked.Exchange(ref _spareDeadline, deadline)?.Dispose();
        }
        else
        {
            deadline.Dispose();
        }
    }

    // The absolute URIs of a path, plain and with a query credential: the last ones are kept.
    private CachedUri UriOf(string path)
    {
        CachedUri? last = _lastUri;
        if (last is not null && string.Equals(last.Path, path, StringComparison.Ordinal))
        {
            return last;
        }

        var plain = new Uri(_baseAddress + path, UriKind.Absolute);
        Uri keyed = _authorization?.Location == CredentialLocation.Query ? new Uri(_baseAddress + _authorization.WithQuery(path), UriKind.Absolute) : plain;
        var entry = new CachedUri(path, plain, keyed);
        _lastUri = entry;
        return entry;
    }

    // Runs the pipeline and returns the 2xx response with its headers read, or throws what the
    // retries ended with.
    private async ValueTask<HttpResponseMessage> SendCoreAsync(ApiRequest request, RetryPolicy policy, AttemptDeadline? deadline, CancellationToken cancellationToken)
    {
        CachedUri uri = UriOf(request.Path);
        var message = new ApiMessage(request, uri.Plain, cancellationToken) { KeyedUri = uri.Keyed, Policy = policy, Deadline = deadline };
        ApiPolicy[] pipeline = request.Options?.Policies is { } extra ? BuildPipeline(extra) : _pipeline;
        ApiTelemetry.Observation? observation = ApiTelemetry.Observation.Start(message);
        try
        {
            await pipeline[0].ProcessAsync(message, pipeline, 0).ConfigureAwait(false);
            request.Attempts = message.Attempt;
            HttpResponseMessage response = message.Response
                ?? throw new InvalidOperationException("The pipeline ended without a response: a policy that answers a call itself must set ApiMessage.Response.");
            if (response.IsSuccessStatusCode)
            {
                if (HasConflictingLengths(response))
                {
                    using (response)
                    {
                        throw ApiException.InvalidResponse(request, response, "response", "it declares two different Content-Lengths, so where its body ends is unknown (RFC 9112 6.3)", null, _authorization, _basetenErrors);
                    }
                }

                return response;
            }

            // Only a per-call policy's own answer gets here (the retries turn an error into an exception).
            using (response)
            {
                ApiException error = await ApiException.FromResponseAsync(request, response, _authorization, _basetenErrors, message.Attempt, policy.TimeProvider, cancellationToken).ConfigureAwait(false);
                Record(request, response, message.Attempt);
                throw error;
            }
        }
        catch (Exception exception) when (observation?.Failed(exception) == true)
        {
            throw;
        }
        finally
        {
            observation?.Finish(message);
        }
    }

    // .NET frames a body by the first of two different Content-Lengths: a value read from it could be
    // made from part of the body. RFC 9112 6.3 says such a message is unrecoverable.
    private static bool HasConflictingLengths(HttpResponseMessage response)
    {
        if (!response.Content.Headers.NonValidated.TryGetValues("Content-Length", out HeaderStringValues values) || values.Count < 2)
        {
            return false;
        }

        string? first = null;
        foreach (string value in values)
        {
            foreach (string part in value.Split(','))
            {
                string length = part.Trim();
                first ??= length;
                if (!string.Equals(first, length, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private void Record(ApiRequest request, HttpResponseMessage response, int attempts)
    {
        if (request.Options is { } options)
        {
            options.Response = new ApiResponseDetails(response, attempts, _authorization);
        }
    }

    // One attempt: null when it succeeded (the response is in message.Response), else the failure
    // and whether the built-in rules would repeat it.
    private async ValueTask<Outcome?> AttemptAsync(ApiMessage message, IReadOnlyList<ApiPolicy> pipeline, int index, RetryPolicy policy, AttemptDeadline? deadline, CancellationToken cancellationToken)
    {
        ApiRequest request = message.Request;
        HttpMethod method = request.Method;
        bool mayRepeat = policy.RetryUnsafeMethods || (method != HttpMethod.Post && method != HttpMethod.Patch);
        CancellationToken token = deadline?.Token ?? cancellationToken;
        HttpResponseMessage response;
        var http = new HttpRequestMessage(method, message.Uri) { Content = request.Content };
        try
        {
            AddHeaders(http, request);
            if (request.Content is MultipartFormDataContent form)
            {
                FormDataNames.Normalize(form);
            }

            message.HttpRequest = http;
            message.CancellationToken = token;
            message.Response = null;
            await pipeline[index + 1].ProcessAsync(message, pipeline, index + 1).ConfigureAwait(false);
            response = message.Response ?? throw new InvalidOperationException("A per-try policy returned without a response: a policy that answers an attempt itself must set ApiMessage.Response.");
        }
        catch (OperationCanceledException exception) when (deadline?.Expired == true)
        {
            bool canResend = CanResend(request.Content);
            return new Outcome(new TimeoutException(method.Method + " " + request.Path + " did not answer within " + Seconds(deadline.Limit) + " s.", exception), mayRepeat && canResend, null, null, true, canResend);
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
                ? new HttpRequestException(thrown.HttpRequestError, _authorization.Redact(ApiException.OneLine(thrown.Message)), null, thrown.StatusCode)
                : thrown;

            // A refused connection never reached the server, nor read the body: repeating it is safe for any method and body.
            bool refused = exception.HttpRequestError == HttpRequestError.ConnectionError && request.Content is not StreamBodyContent { Started: true };
            bool resendable = CanResend(request.Content);
            return new Outcome(exception, (mayRepeat && resendable) || refused, null, null, !refused, resendable || refused);
        }
        finally
        {
            // The content is sent again on a retry, and disposed by the caller: detach it so disposing the message keeps it.
            http.Content = null;
            http.Dispose();
            message.HttpRequest = null;
        }

        if (response.IsSuccessStatusCode)
        {
            message.Response = response;
            return null;
        }

        using (response)
        {
            // The error body is read under the attempt's timeout too: a server that drips it cannot hold the call.
            int status = (int)response.StatusCode;
            ApiException error;
            try
            {
                error = await ApiException.FromResponseAsync(request, response, _authorization, _basetenErrors, message.Attempt, policy.TimeProvider, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException exception) when (deadline?.Expired == true)
            {
                return new Outcome(new TimeoutException(method.Method + " " + request.Path + " answered " + status.ToString(CultureInfo.InvariantCulture) + " but its body did not arrive within " + Seconds(deadline.Limit) + " s.", exception), false, null, status, true, false);
            }

            Record(request, response, message.Attempt);

            // 429, and 503 with Retry-After, say the server did not act on the request; but it may
            // still have read a streamed body, which cannot be sent a second time.
            bool notActedOn = status == 429 || (status == 503 && error.RetryAfter is not null);
            bool canResend = CanResend(request.Content);
            bool retryable = status is 408 or 429 or 500 or 502 or 503 or 504 && (mayRepeat || notActedOn) && canResend;
            return new Outcome(error, retryable, error.RetryAfter, status, !notActedOn, canResend);
        }
    }

    private void AddHeaders(HttpRequestMessage message, ApiRequest request)
    {
        if (request.Accept.Length > 0)
        {
            message.Headers.TryAddWithoutValidation("Accept", request.Accept);
        }

        message.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        if (request.Cookie is { } cookie)
        {
            message.Headers.TryAddWithoutValidation("Cookie", cookie);
        }

        AddHeaders(message, request, request.Headers);
        AddHeaders(message, request, request.Options?.Headers);
    }

    private static void AddHeaders(HttpRequestMessage message, ApiRequest request, List<KeyValuePair<string, string>>? headers)
    {
        if (headers is null)
        {
            return;
        }

        foreach (KeyValuePair<string, string> header in headers)
        {
            // A content header (Content-Language, say) belongs on the body; without one it has nowhere to go.
            message.Headers.Remove(header.Key);
            if (!message.Headers.TryAddWithoutValidation(header.Key, header.Value))
            {
                HttpContent content = request.Content ?? throw new InvalidOperationException("The " + header.Key + " header describes a body, and the request has none.");
                content.Headers.Remove(header.Key);
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
    }

    // Bytes held in memory can be sent again; a caller's stream cannot once it has been read.
    // Content of another kind is assumed not to be re-sendable.
    private static bool CanResend(HttpContent? content)
    {
        switch (content)
        {
            case null or PooledJsonContent or ByteArrayContent or ReadOnlyMemoryContent:
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

    // Plain classes rather than records: a record's generated members cost size in every NativeAOT app.
    private sealed class Outcome(Exception failure, bool retryable, TimeSpan? retryAfter, int? status, bool mayHaveActed, bool canResend)
    {
        public Exception Failure { get; } = failure;

        public bool Retryable { get; } = retryable;

        public TimeSpan? RetryAfter { get; } = retryAfter;

        public int? Status { get; } = status;

        public bool MayHaveActed { get; } = mayHaveActed;

        public bool CanResend { get; } = canResend;
    }

    private sealed class CachedUri(string path, Uri plain, Uri keyed)
    {
        public string Path { get; } = path;

        public Uri Plain { get; } = plain;

        public Uri Keyed { get; } = keyed;
    }

    // Repeats the attempts (the rest of the pipeline) while the policy allows: see RetryPolicy for when.
    private sealed class RetryStage(ApiTransport transport) : ApiPolicy
    {
        public override async ValueTask ProcessAsync(ApiMessage message, IReadOnlyList<ApiPolicy> pipeline, int index)
        {
            ArgumentNullException.ThrowIfNull(message);
            ArgumentNullException.ThrowIfNull(pipeline);
            RetryPolicy policy = message.Policy ?? transport._retryPolicy;
            CancellationToken cancellationToken = message.CancellationToken;
            try
            {
                for (int attempt = 1; ; attempt++)
                {
                    message.Attempt = attempt;
                    message.Deadline?.Restart();
                    if (await transport.AttemptAsync(message, pipeline, index, policy, message.Deadline, cancellationToken).ConfigureAwait(false) is not { } outcome)
                    {
                        policy.Budget?.RecordSuccess();
                        transport.Record(message.Request, message.Response!, attempt);
                        return;
                    }

                    bool retry = outcome.Retryable;
                    if (policy.ShouldRetry is { } decide)
                    {
                        retry = decide(new RetryContext(message.Request, attempt, outcome.Status, outcome.Failure, outcome.MayHaveActed, outcome.CanResend, retry)) && outcome.CanResend;
                    }

                    // The budget is spent last, only for a retry that is made.
                    TimeSpan delay = outcome.RetryAfter ?? policy.Backoff(attempt);
                    if (!retry || attempt >= policy.MaxAttempts || delay > policy.MaxDelay || policy.Budget?.TrySpend() == false)
                    {
                        ExceptionDispatchInfo.Throw(outcome.Failure);
                    }

                    ApiTelemetry.RecordRetry(message, outcome.Status ?? 0);
                    await Task.Delay(delay, policy.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                message.CancellationToken = cancellationToken;
            }
        }
    }

    // Adds the credential to the attempt's request, after every policy of the caller's has run.
    private sealed class AuthorizationStage(ApiTransport transport) : ApiPolicy
    {
        public override ValueTask ProcessAsync(ApiMessage message, IReadOnlyList<ApiPolicy> pipeline, int index)
        {
            ArgumentNullException.ThrowIfNull(message);
            HttpRequestMessage http = message.HttpRequest
                ?? throw new InvalidOperationException("The authorization is added to an attempt's request: it runs inside the retries.");
            switch (transport._authorization)
            {
                case { Location: CredentialLocation.Header } header:
                    http.Headers.Remove(header.Name);
                    http.Headers.TryAddWithoutValidation(header.Name, header.Value);
                    break;
                case { Location: CredentialLocation.Cookie } cookie:
                    string credential = Uri.EscapeDataString(cookie.Name) + "=" + Uri.EscapeDataString(cookie.Value);
                    string? others = http.Headers.TryGetValues("Cookie", out IEnumerable<string>? values) ? string.Join("; ", values) : null;
                    http.Headers.Remove("Cookie");
                    http.Headers.TryAddWithoutValidation("Cookie", others is null ? credential : credential + "; " + others);
                    break;
                case { Location: CredentialLocation.Query } query:
                    http.RequestUri = message.KeyedUri ?? new Uri(transport._baseAddress + query.WithQuery(message.Request.Path), UriKind.Absolute);
                    break;
            }

            return ProcessNextAsync(message, pipeline, index);
        }
    }

    // The end of the pipeline: HttpClient sends the attempt's request and reads the response headers.
    private sealed class SendStage(ApiTransport transport) : ApiPolicy
    {
        public override async ValueTask ProcessAsync(ApiMessage message, IReadOnlyList<ApiPolicy> pipeline, int index)
        {
            ArgumentNullException.ThrowIfNull(message);
            HttpRequestMessage http = message.HttpRequest
                ?? throw new InvalidOperationException("The request is sent by the last step of the pipeline, inside the retries.");
            Uri? address = http.RequestUri;
            HttpResponseMessage response = await transport._httpClient.SendAsync(http, HttpCompletionOption.ResponseHeadersRead, message.CancellationToken).ConfigureAwait(false);

            // A caller's HttpClient that follows redirects moves the request, and takes a credential
            // that is not Authorization with it: never hand that answer on as if it were the API's.
            if (transport._authorization is { FollowsRedirects: true } credential && !ReferenceEquals(address, http.RequestUri) && address is not null && http.RequestUri is { } final
                && Uri.Compare(address, final, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                using (response)
                {
                    throw ApiException.RedirectedElsewhere(message.Request, response, final, credential, transport._basetenErrors, message.Attempt);
                }
            }

            message.Response = response;
        }
    }
}
