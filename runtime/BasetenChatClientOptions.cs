using System;
using Baseten.Aot.Http;

namespace Baseten.Aot;

/// <summary>
/// Settings of a <see cref="BasetenChatClient"/>: which LLM it talks to, with which key, and how
/// failures are repeated. Two targets: a Model API (leave <see cref="ModelId"/> unset and name the
/// slug in <see cref="Model"/>: <c>https://inference.baseten.co/v1</c>) or a dedicated deployment
/// (set <see cref="ModelId"/>, and <see cref="Target"/> or <see cref="Environment"/>:
/// <c>https://model-{id}.api.baseten.co/environments/production/sync/v1</c>).
/// </summary>
public sealed class BasetenChatClientOptions
{
    /// <summary>
    /// The API key, sent as <c>Authorization: Bearer &lt;key&gt;</c>. When null, the client reads
    /// the <c>BASETEN_API_KEY</c> environment variable. The key never appears in messages or logs.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The <c>model</c> sent with a request that names none: a Model APIs slug
    /// (<c>openai/gpt-oss-120b</c>, <c>deepseek-ai/DeepSeek-V3.1</c>), or the name a dedicated
    /// deployment's server expects, if it checks one.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>
    /// The id of a dedicated deployment's model (<c>https://model-{ModelId}.api.baseten.co</c>).
    /// Null for Model APIs.
    /// </summary>
    public string? ModelId { get; set; }

    /// <summary>
    /// Which deployment of <see cref="ModelId"/> answers: production (the default), development, a
    /// named environment or a deployment id. Null on a regional host (<see cref="Environment"/>).
    /// </summary>
    public PredictTarget? Target { get; set; }

    /// <summary>
    /// A regional environment of <see cref="ModelId"/> (e.g. <c>prod-us</c>): the host becomes
    /// <c>model-{ModelId}-{Environment}</c> and the OpenAI root is its bare <c>/sync/v1</c>.
    /// </summary>
    public string? Environment { get; set; }

    /// <summary>
    /// Where to send requests instead of Baseten's host (a gateway, a stand-in): <c>https</c>, or
    /// plain <c>http</c> to a loopback address only. With <see cref="ModelId"/> set, the deployment's
    /// <c>/sync</c> path is added to it; without, requests go to <c>{BaseAddress}/v1/...</c>.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// When and how requests are repeated (see <see cref="RetryPolicy"/>). A chat completion is a
    /// POST: it is repeated only when the server cannot have run it (a refused connection, 429, or
    /// 503 with Retry-After), and a stream never once its first byte has reached the caller.
    /// </summary>
    public RetryPolicy Retry { get; set; } = new();

    internal PolicyList? Policies { get; private set; }

    /// <summary>Adds a step to every call's pipeline (see <see cref="ApiPolicy"/>), after those added before it at the same position.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public BasetenChatClientOptions AddPolicy(ApiPolicy policy, ApiPolicyPosition position = ApiPolicyPosition.PerTry)
    {
        Policies = PolicyList.Add(Policies, policy, position);
        return this;
    }
}
