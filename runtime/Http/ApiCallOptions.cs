using System;
using System.Collections.Generic;

namespace Baseten.Aot.Http;

/// <summary>
/// Settings for one call, passed as the <c>options</c> argument of a generated method: extra
/// headers (an idempotency key, a trace header), a timeout for the whole call, a retry policy in
/// place of the client's, and policies of its own. After the call, <see cref="Response"/> holds
/// the answer's status and headers. Not passing one costs nothing.
/// </summary>
/// <remarks>Make one per call: <see cref="Response"/> is written by the call that used it.</remarks>
public sealed class ApiCallOptions
{
    private List<KeyValuePair<string, string>>? _headers;
    private PolicyList? _policies;
    private TimeSpan? _timeout;

    /// <summary>
    /// How long the call may take in all: every attempt, the waits between them, and a body read
    /// whole; then it throws <see cref="TimeoutException"/>. Null for the client's
    /// (<see cref="RetryPolicy.CallTimeout"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? Timeout
    {
        get => _timeout;
        set => _timeout = RetryPolicy.CheckTimeout(value, nameof(value));
    }

    /// <summary>When and how this call is repeated, in place of the client's policy; null for the client's.</summary>
    public RetryPolicy? Retry { get; set; }

    /// <summary>
    /// The final answer's status line and headers (rate-limit counters, the request id), set when
    /// the call has it: on success, and before an error is thrown. Null before the call, or when
    /// no answer came.
    /// </summary>
    public ApiResponseDetails? Response { get; internal set; }

    internal List<KeyValuePair<string, string>>? Headers => _headers;

    internal PolicyList? Policies => _policies;

    /// <summary>Sends a header with this call, replacing one of the same name.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// The name is not an HTTP token or is one the transport sets (<c>Authorization</c>, <c>Host</c>,
    /// <c>Content-Type</c>, ...), or the value holds a control or non-ASCII character.
    /// </exception>
    public ApiCallOptions SetHeader(string name, string value)
    {
        ApiRequest.SetHeader(ref _headers, name, value);
        return this;
    }

    /// <summary>Adds a policy for this call, after the client's own at the same position.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public ApiCallOptions AddPolicy(ApiPolicy policy, ApiPolicyPosition position = ApiPolicyPosition.PerTry)
    {
        _policies = PolicyList.Add(_policies, policy, position);
        return this;
    }
}
