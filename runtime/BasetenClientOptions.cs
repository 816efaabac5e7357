using System;

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

    /// <summary>How long one request may take, when the client owns its HttpClient. Default 100 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
}
