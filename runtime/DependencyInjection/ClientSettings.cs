using System;

namespace Baseten.Aot.Extensions.DependencyInjection;

// What a configuration section may hold, as the configuration binder's source generator reads it.
// The runtime's options are not bound directly: RetryPolicy is immutable and carries a clock and a
// jitter function that no configuration can express. Every member is nullable, so that "not in
// configuration" leaves the option as it was (its default, or what code set).

/// <summary>The settings of a <see cref="BasetenClient"/> section: <c>ApiKey</c>, <c>BaseAddress</c>, <c>Retry</c>.</summary>
internal sealed class BasetenClientSettings
{
    public string? ApiKey { get; set; }

    public Uri? BaseAddress { get; set; }

    public RetrySettings? Retry { get; set; }
}

/// <summary>The settings of a <see cref="BasetenInferenceClient"/> section.</summary>
internal sealed class BasetenInferenceClientSettings
{
    public string? ApiKey { get; set; }

    public string? ModelId { get; set; }

    public string? ChainId { get; set; }

    public string? Environment { get; set; }

    public Uri? BaseAddress { get; set; }

    public bool? WakeOnColdStart { get; set; }

    public TimeSpan? ColdStartTimeout { get; set; }

    public RetrySettings? Retry { get; set; }
}

/// <summary>The settings of a section for a client generated from another document.</summary>
internal sealed class ApiClientSettings
{
    public string? Credential { get; set; }

    public Uri? BaseAddress { get; set; }

    public RetrySettings? Retry { get; set; }
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
