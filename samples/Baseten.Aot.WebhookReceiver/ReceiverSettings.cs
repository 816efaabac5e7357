using System;
using System.Globalization;
using Baseten.Aot.Webhooks;
using Microsoft.Extensions.Configuration;

namespace Baseten.Aot.WebhookReceiver;

/// <summary>
/// The receiver's settings, read once at start from configuration (environment variables, then
/// <c>--KEY=value</c> arguments). Deliberately not a record: its ToString must not print the secrets.
/// </summary>
internal sealed class ReceiverSettings
{
    public const string SecretKey = "BASETEN_WEBHOOK_SECRET";
    public const string PathKey = "BASETEN_WEBHOOK_PATH";
    public const string ToleranceKey = "BASETEN_WEBHOOK_TOLERANCE_SECONDS";
    public const string MaxBodyKey = "BASETEN_WEBHOOK_MAX_BODY_BYTES";
    public const string CapacityKey = "BASETEN_WEBHOOK_DEDUP_CAPACITY";

    private ReceiverSettings(string[] secrets, string path, TimeSpan tolerance, int maxBodyBytes, int dedupCapacity)
    {
        Secrets = secrets;
        Path = path;
        Tolerance = tolerance;
        MaxBodyBytes = maxBodyBytes;
        DedupCapacity = dedupCapacity;
    }

    /// <summary>The webhook secrets: one, or while Baseten rotates, the new and the old comma-separated.</summary>
    public string[] Secrets { get; }

    /// <summary>Where Baseten posts: the path of the <c>webhook_endpoint</c> given to <c>async_predict</c>.</summary>
    public string Path { get; }

    public TimeSpan Tolerance { get; }

    public int MaxBodyBytes { get; }

    /// <summary>How many handled request ids are remembered at most; the oldest are forgotten first.</summary>
    public int DedupCapacity { get; }

    /// <exception cref="ReceiverConfigurationException">A setting is missing or not valid; the message names it, never its value.</exception>
    public static ReceiverSettings Read(IConfiguration configuration)
    {
        string[] secrets = (configuration[SecretKey] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (secrets.Length == 0)
        {
            throw new ReceiverConfigurationException($"{SecretKey} is not set: give the workspace's webhook secret (whsec_...), or the new and the old comma-separated while one rotates.");
        }

        string path = configuration[PathKey] ?? "/webhooks/baseten";
        if (!path.StartsWith('/') || path.Contains('{', StringComparison.Ordinal))
        {
            throw new ReceiverConfigurationException($"{PathKey} must be a path starting with '/', without route parameters.");
        }

        int toleranceSeconds = Number(configuration, ToleranceKey, (int)WebhookVerifier.DefaultTolerance.TotalSeconds, 1, 86_400);
        int maxBodyBytes = Number(configuration, MaxBodyKey, WebhookVerifier.DefaultMaxBodyBytes, 1, 1024 * 1024 * 1024);
        int capacity = Number(configuration, CapacityKey, 100_000, 1, 10_000_000);
        return new ReceiverSettings(secrets, path, TimeSpan.FromSeconds(toleranceSeconds), maxBodyBytes, capacity);
    }

    public WebhookVerifierOptions VerifierOptions(TimeProvider timeProvider)
    {
        var options = new WebhookVerifierOptions { TimeProvider = timeProvider, Tolerance = Tolerance, MaxBodyBytes = MaxBodyBytes };
        foreach (string secret in Secrets)
        {
            options.Secrets.Add(secret);
        }

        return options;
    }

    private static int Number(IConfiguration configuration, string key, int fallback, int min, int max)
    {
        string? text = configuration[key];
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new ReceiverConfigurationException($"{key} must be a whole number from {min} to {max}.");
    }
}

/// <summary>A setting is missing or not valid: printed as one line on standard error, and the process exits with 2.</summary>
internal sealed class ReceiverConfigurationException(string message) : Exception(message);
