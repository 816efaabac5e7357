using System;
using System.Collections.Generic;
using Baseten.Aot.Http;

namespace Baseten.Aot;

/// <summary>
/// Settings of a <see cref="BasetenInferenceClient"/>: which model or chain it calls, where, with
/// which key, and how failures are repeated.
/// </summary>
public sealed class BasetenInferenceClientOptions
{
    /// <summary>The default of <see cref="ColdStartTimeout"/>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultColdStartTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The API key, sent as <c>Authorization: Bearer &lt;key&gt;</c>. When null, the client reads
    /// the <c>BASETEN_API_KEY</c> environment variable. The key never appears in messages or logs.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The model to call (<c>https://model-{ModelId}.api.baseten.co</c>). Set this or <see cref="ChainId"/>, not both.</summary>
    public string? ModelId { get; set; }

    /// <summary>The chain to call (<c>https://chain-{ChainId}.api.baseten.co</c>). Set this or <see cref="ModelId"/>, not both.</summary>
    public string? ChainId { get; set; }

    /// <summary>
    /// A regional environment (e.g. <c>prod-us</c>): the host becomes <c>model-{ModelId}-{Environment}</c>
    /// (or <c>chain-...</c>) and the paths are bare (<c>/predict</c>), so calls take no <see cref="PredictTarget"/>.
    /// Null for the global hosts, where the target picks production, development, an environment or a deployment.
    /// </summary>
    public string? Environment { get; set; }

    /// <summary>
    /// Where to send requests instead of the address computed from the ids (a proxy, a mock server).
    /// Plain <c>http</c> is accepted only for loopback addresses. With it, <see cref="ModelId"/> and
    /// <see cref="ChainId"/> are optional; when one is set, it still decides whether the client
    /// predicts (a model) or runs (a chain).
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// When and how requests are repeated (see <see cref="RetryPolicy"/>). A predict is a POST: it is
    /// repeated only when the server cannot have run it (a refused connection, 429, or 503 with
    /// Retry-After), never after a timeout or a 5xx it may have acted on.
    /// </summary>
    public RetryPolicy Retry { get; set; } = new();

    internal PolicyList? Policies { get; private set; }

    /// <summary>Adds a step to every call's pipeline (see <see cref="ApiPolicy"/>), after those added before it at the same position.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public BasetenInferenceClientOptions AddPolicy(ApiPolicy policy, ApiPolicyPosition position = ApiPolicyPosition.PerTry)
    {
        Policies = PolicyList.Add(Policies, policy, position);
        return this;
    }

    /// <summary>
    /// Opt in to waking a scaled-to-zero model: when a predict is answered 503 without Retry-After
    /// (a model that is not up), the client calls the target's <c>wake</c> endpoint and sends the
    /// predict once more, all within <see cref="ColdStartTimeout"/>. Off by default: it repeats a
    /// POST after a 503, which is safe only if the model did not run the input (as for a cold model).
    /// </summary>
    public bool WakeOnColdStart { get; set; }

    /// <summary>
    /// How long the wake and the repeated predict may take in all (until the response headers of
    /// the repeated call) before a <see cref="TimeoutException"/>; 5 minutes unless set.
    /// </summary>
    public TimeSpan ColdStartTimeout { get; set; } = DefaultColdStartTimeout;
}
