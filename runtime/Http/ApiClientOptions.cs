using System;
using System.Collections.Generic;

namespace Baseten.Aot.Http;

/// <summary>
/// Settings of a client generated from any OpenAPI document: the credential its security scheme
/// asks for, where the API is, and how requests are repeated. The Baseten clients take
/// <see cref="BasetenClientOptions"/>, which reads <c>BASETEN_API_KEY</c> the same way.
/// </summary>
public sealed class ApiClientOptions
{
    /// <summary>
    /// The secret the document's security scheme asks for: a bearer token, an API key, or
    /// <c>user:password</c> for HTTP Basic. When null, the client reads the environment variable
    /// its generator was told to (<c>BasetenCredentialVariable</c>), if any. Never appears in messages or logs.
    /// </summary>
    public string? Credential { get; set; }

    /// <summary>
    /// Where the API is; the document's first server when null. Plain <c>http</c> is accepted only
    /// for loopback addresses, so that a credential never crosses a network unencrypted.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>When and how requests are repeated (see <see cref="RetryPolicy"/>); <see cref="RetryPolicy.None"/> turns retries off.</summary>
    public RetryPolicy Retry { get; set; } = new();

    /// <summary>The <c>User-Agent</c> sent; null for the generated client's own (its name and the document's version).</summary>
    public string? UserAgent { get; set; }

    internal PolicyList? Policies { get; private set; }

    /// <summary>Adds a step to every call's pipeline (see <see cref="ApiPolicy"/>), after those added before it at the same position.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public ApiClientOptions AddPolicy(ApiPolicy policy, ApiPolicyPosition position = ApiPolicyPosition.PerTry)
    {
        Policies = PolicyList.Add(Policies, policy, position);
        return this;
    }
}
