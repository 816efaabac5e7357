using System;

namespace Baseten.Aot.Extensions.DependencyInjection;

// What a configuration section may hold, as the configuration binder's source generator reads it
// (it binds inherited properties too). The runtime's options are not bound directly: RetryPolicy is
// immutable and carries a clock and a jitter function that no configuration can express. Every
// member is nullable, so that "not in configuration" leaves the option as it was (its default, or
// what code set).

/// <summary>What every client's section holds: <c>BaseAddress</c> and <c>Retry</c>.</summary>
internal abstract class ClientSettings
{
    public Uri? BaseAddress { get; set; }

    public RetrySettings? Retry { get; set; }
}

/// <summary>The settings of a <see cref="BasetenClient"/> section: <c>ApiKey</c>, and those of every client.</summary>
internal class BasetenClientSettings : ClientSettings
{
    public string? ApiKey { get; set; }
}

/// <summary>The settings of a <see cref="BasetenInferenceClient"/> section: those of a <see cref="BasetenClient"/> one, and the model or chain to call.</summary>
internal sealed class BasetenInferenceClientSettings : BasetenClientSettings
{
    public string? ModelId { get; set; }

    public string? ChainId { get; set; }

    public string? Environment { get; set; }

    public bool? WakeOnColdStart { get; set; }

    public TimeSpan? ColdStartTimeout { get; set; }
}

/// <summary>The settings of a <see cref="BasetenChatClient"/> section: the key, and the LLM: a Model APIs slug, or a dedicated deployment.</summary>
internal sealed class BasetenChatClientSettings : ClientSettings
{
    public string? ApiKey { get; set; }

    public string? Model { get; set; }

    public string? ModelId { get; set; }

    public string? Environment { get; set; }
}

/// <summary>The settings of a section for a client generated from another document.</summary>
internal sealed class ApiClientSettings : ClientSettings
{
    public string? Credential { get; set; }
}

/// <summary>The <c>Retry</c> subsection: the configurable members of <see cref="Baseten.Aot.Http.RetryPolicy"/>.</summary>
internal sealed class RetrySettings
{
    public int? MaxAttempts { get; set; }

    public TimeSpan? BaseDelay { get; set; }

    public TimeSpan? MaxDelay { get; set; }

    public TimeSpan? AttemptTimeout { get; set; }

    public bool? RetryUnsafeMethods { get; set; }
}
