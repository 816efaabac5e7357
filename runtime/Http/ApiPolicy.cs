using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

/// <summary>
/// One step of the pipeline every request of a client goes through: add a header, log an attempt,
/// answer from a cache, measure. A transport's pipeline is, in order: the policies added with
/// <see cref="ApiPolicyPosition.PerCall"/> (they see the call once), the retry policy, the policies
/// added with <see cref="ApiPolicyPosition.PerTry"/> (they see every attempt, with
/// <see cref="ApiMessage.HttpRequest"/> built), the authorization, and the send through HttpClient.
/// </summary>
/// <remarks>
/// A policy passes the message on with <see cref="ProcessNextAsync"/>; after it returns,
/// <see cref="ApiMessage.Response"/> holds the answer (per try: of that attempt; per call: the
/// final one). It may set <see cref="ApiMessage.Response"/> itself instead of passing the message on.
/// The authorization is added after every policy has run, so a policy that logs a request never
/// sees the credential. A policy is shared by every call of a client: keep no per-call state in fields.
/// </remarks>
public abstract class ApiPolicy
{
    /// <summary>Handles <paramref name="message"/>, normally by passing it on with <see cref="ProcessNextAsync"/>.</summary>
    /// <param name="message">The call.</param>
    /// <param name="pipeline">The whole pipeline this policy is part of.</param>
    /// <param name="index">This policy's place in <paramref name="pipeline"/>.</param>
    /// <returns>A task that ends when the message has an answer.</returns>
    public abstract ValueTask ProcessAsync(ApiMessage message, IReadOnlyList<ApiPolicy> pipeline, int index);

    /// <summary>Passes <paramref name="message"/> to the policy after the one at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pipeline"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The policy at <paramref name="index"/> is the last: nothing sends the request.</exception>
    protected static ValueTask ProcessNextAsync(ApiMessage message, IReadOnlyList<ApiPolicy> pipeline, int index)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        if (index + 1 >= pipeline.Count)
        {
            throw new InvalidOperationException("The pipeline ends without a policy that sends the request.");
        }

        return pipeline[index + 1].ProcessAsync(message, pipeline, index + 1);
    }
}

/// <summary>The caller's policies, per call and per try, in the order added (what the options classes' <c>AddPolicy</c> builds).</summary>
internal sealed class PolicyList
{
    public List<ApiPolicy> PerCall { get; } = [];

    public List<ApiPolicy> PerTry { get; } = [];

    public static PolicyList Add(PolicyList? list, ApiPolicy policy, ApiPolicyPosition position)
    {
        ArgumentNullException.ThrowIfNull(policy);
        list ??= new PolicyList();
        (position == ApiPolicyPosition.PerCall ? list.PerCall : list.PerTry).Add(policy);
        return list;
    }
}

/// <summary>Where a policy of the caller's goes in the pipeline.</summary>
public enum ApiPolicyPosition
{
    /// <summary>Inside the retries: the policy sees every attempt, with its HttpRequestMessage.</summary>
    PerTry,

    /// <summary>Before the retries: the policy sees the call once, and its final answer.</summary>
    PerCall,
}
