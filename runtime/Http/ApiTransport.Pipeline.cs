using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

// The pipeline every call goes through: the caller's per-call policies, the retries, the caller's
// per-try policies, the authorization, and the send (the built-in steps are in ApiTransport.Stages.cs,
// one attempt in ApiTransport.Attempt.cs). Here: composing it, running it, and the state kept
// between calls (a spare deadline, the last URIs).
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
                        throw ApiException.InvalidResponse(request, response, "response", "it declares two different Content-Lengths, so where its body ends is unknown (RFC 9112 6.3)", null, _authorization, _errors);
                    }
                }

                return response;
            }

            // Only a per-call policy's own answer gets here (the retries turn an error into an exception).
            using (response)
            {
                ApiException error = await ApiException.FromResponseAsync(request, response, _authorization, _errors, message.Attempt, policy.TimeProvider, cancellationToken).ConfigureAwait(false);
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

    // A plain class rather than a record, as Outcome is.
    private sealed class CachedUri(string path, Uri plain, Uri keyed)
    {
        public string Path { get; } = path;

        public Uri Plain { get; } = plain;

        public Uri Keyed { get; } = keyed;
    }
}
