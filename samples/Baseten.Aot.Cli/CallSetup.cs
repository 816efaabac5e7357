using System;
using System.IO;
using System.Threading;

namespace Baseten.Aot.Cli;

/// <summary>
/// What every command that calls the API takes from the environment and its flags, by the same
/// rules: the key (BASETEN_API_KEY, required unless <c>--dry-run</c>) and the <c>--verbose</c> log.
/// </summary>
internal sealed class CallSetup
{
    private CallSetup(string? apiKey, VerboseLog? log)
    {
        ApiKey = apiKey;
        Log = log;
    }

    /// <summary>
    /// The key to set on the client's options: a stand-in for a dry run without a key (nothing is
    /// sent, and the printed header is redacted anyway); <see langword="null"/> when the client reads
    /// the environment variable itself.
    /// </summary>
    public string? ApiKey { get; }

    /// <summary>
    /// The <c>--verbose</c> log, to add as the options' retry policy and a per-try policy;
    /// <see langword="null"/> without <c>--verbose</c>, and in a dry run, which makes no attempt to log.
    /// </summary>
    public VerboseLog? Log { get; }

    /// <summary>The setup for a command; without a key outside a dry run, an <see cref="CreateEnvironmentCommand.InputException"/> (exit code 2).</summary>
    public static CallSetup Read(bool dryRun, bool verbose, TextWriter error, CancellationToken cancellationToken)
    {
        string? key = Environment.GetEnvironmentVariable(BasetenClientOptions.ApiKeyEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            return dryRun
                ? new CallSetup("dry-run", null)
                : throw new CreateEnvironmentCommand.InputException("no API key: set the " + BasetenClientOptions.ApiKeyEnvironmentVariable + " environment variable (or use --dry-run)");
        }

        return new CallSetup(null, verbose && !dryRun ? new VerboseLog(error, key, cancellationToken) : null);
    }

    /// <summary>The deployment <c>--environment</c> or <c>--deployment</c> names; <see langword="null"/> for production.</summary>
    public static PredictTarget? Target(string? environment, string? deployment)
        => environment is not null ? PredictTarget.Environment(environment)
            : deployment is not null ? PredictTarget.Deployment(deployment)
            : null;

    // One overload per client's options: they share these members but no type the CLI can name.
    public void ApplyTo(BasetenClientOptions options)
    {
        options.ApiKey = ApiKey;
        if (Log is { } log)
        {
            options.Retry = log.Retry;
            options.AddPolicy(log);
        }
    }

    public void ApplyTo(BasetenInferenceClientOptions options)
    {
        options.ApiKey = ApiKey;
        if (Log is { } log)
        {
            options.Retry = log.Retry;
            options.AddPolicy(log);
        }
    }

    public void ApplyTo(BasetenChatClientOptions options)
    {
        options.ApiKey = ApiKey;
        if (Log is { } log)
        {
            options.Retry = log.Retry;
            options.AddPolicy(log);
        }
    }
}
