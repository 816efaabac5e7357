using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

// The built-in steps of the pipeline: the retries, the credential and the send. Nested because
// they share the transport's state: its HttpClient, credential, retry policy and address.
public sealed partial class ApiTransport
{
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
                    throw ApiException.RedirectedElsewhere(message.Request, response, final, credential, transport._errors, message.Attempt);
                }
            }

            message.Response = response;
        }
    }
}
