using System;
using System.Collections.Generic;
using Baseten.Aot.Http;

namespace Baseten.Aot;

/// <summary>Settings of a <see cref="BasetenClient"/>.</summary>
public sealed class BasetenClientOptions
{
    /// <summary>The name of the environment variable read when <see cref="ApiKey"/> is not set.</summary>
    public const string ApiKeyEnvironmentVariable = "BASETEN_API_KEY";

    /// <summary>
    /// The API key, sent as <c>Authorization: Api-Key &lt;key&gt;</c>. When null, the client reads
    /// the <c>BASETEN_API_KEY</c> environment variable. The key never appears in messages or logs.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Where the API is; <c>https://api.baseten.co</c> when null. Plain <c>http</c> is accepted
    /// only for loopback addresses (tests, local mocks), so that a key never crosses a network unencrypted.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// When and how requests are repeated, and how long one attempt may take (see <see cref="RetryPolicy"/>:
    /// three attempts, exponential backoff with jitter, Retry-After honoured, POST repeated only when
    /// the server cannot have acted on it). <see cref="RetryPolicy.None"/> turns retries off.
    /// </summary>
    public RetryPolicy Retry { get; set; } = new();

    internal PolicyList? Policies { get; private set; }

    /// <summary>Adds a step to every call's pipeline (see <see cref="ApiPolicy"/>), after those added before it at the same position.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public BasetenClientOptions AddPolicy(ApiPolicy policy, ApiPolicyPosition position = ApiPolicyPosition.PerTry)
    {
        Policies = PolicyList.Add(Policies, policy, position);
        return this;
    }
}
