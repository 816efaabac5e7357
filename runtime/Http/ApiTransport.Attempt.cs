using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

// One attempt: the request message built from the ApiRequest, sent through the rest of the
// pipeline, and what came of it (success, or a failure and whether it may be repeated).
public sealed partial class ApiTransport
{
    // RFC 9110's idempotent methods, and QUERY (safe, so idempotent). Any other method (POST, PATCH,
    // or one a document names in additionalOperations, such as LINK) may act twice if repeated.
    private static bool IsIdempotent(HttpMethod method) => method.Method.ToUpperInvariant() switch
    {
        "GET" or "HEAD" or "PUT" or "DELETE" or "OPTIONS" or "TRACE" or "QUERY" => true,
        _ => false,
    };

    // One attempt: null when it succeeded (the response is in message.Response), else the failure
    // and whether the built-in rules would repeat it.
    private async ValueTask<Outcome?> AttemptAsync(ApiMessage message, IReadOnlyList<ApiPolicy> pipeline, int index, RetryPolicy policy, AttemptDeadline? deadline, CancellationToken cancellationToken)
    {
        ApiRequest request = message.Request;
        HttpMethod method = request.Method;
        bool mayRepeat = policy.RetryUnsafeMethods || IsIdempotent(method);
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
            return new Outcome(
                failure: new TimeoutException(method.Method + " " + request.Path + " did not answer within " + Seconds(deadline.Limit) + " s.", exception),
                retryable: mayRepeat && canResend,
                retryAfter: null,
                status: null,
                mayHaveActed: true,
                canResend: canResend);
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
            return new Outcome(
                failure: exception,
                retryable: (mayRepeat && resendable) || refused,
                retryAfter: null,
                status: null,
                mayHaveActed: !refused,
                canResend: resendable || refused);
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
                error = await ApiException.FromResponseAsync(request, response, _authorization, _errors, message.Attempt, policy.TimeProvider, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException exception) when (deadline?.Expired == true)
            {
                return new Outcome(
                    failure: new TimeoutException(method.Method + " " + request.Path + " answered " + status.ToString(CultureInfo.InvariantCulture) + " but its body did not arrive within " + Seconds(deadline.Limit) + " s.", exception),
                    retryable: false,
                    retryAfter: null,
                    status: status,
                    mayHaveActed: true,
                    canResend: false);
            }

            Record(request, response, message.Attempt);

            // 429, and 503 with Retry-After, say the server did not act on the request; but it may
            // still have read a streamed body, which cannot be sent a second time.
            bool notActedOn = status == 429 || (status == 503 && error.RetryAfter is not null);
            bool canResend = CanResend(request.Content);
            bool retryable = status is 408 or 429 or 500 or 502 or 503 or 504 && (mayRepeat || notActedOn) && canResend;
            return new Outcome(
                failure: error,
                retryable: retryable,
                retryAfter: error.RetryAfter,
                status: status,
                mayHaveActed: !notActedOn,
                canResend: canResend);
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

    // A plain class rather than a record: a record's generated members cost size in every NativeAOT app.
    private sealed class Outcome(Exception failure, bool retryable, TimeSpan? retryAfter, int? status, bool mayHaveActed, bool canResend)
    {
        public Exception Failure { get; } = failure;

        public bool Retryable { get; } = retryable;

        public TimeSpan? RetryAfter { get; } = retryAfter;

        public int? Status { get; } = status;

        public bool MayHaveActed { get; } = mayHaveActed;

        public bool CanResend { get; } = canResend;
    }
}
