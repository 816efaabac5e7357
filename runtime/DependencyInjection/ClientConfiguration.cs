using System;
using Baseten.Aot.Http;
using Microsoft.Extensions.Configuration;

namespace Baseten.Aot.Extensions.DependencyInjection;

/// <summary>
/// Reads a configuration section onto a client's options. Each <c>Bind</c> call here is replaced at
/// compile time by the configuration binder's source generator (EnableConfigurationBindingGenerator),
/// so binding uses no reflection and stays trimming- and NativeAOT-clean.
/// </summary>
internal static class ClientConfiguration
{
    // The values a Baseten section may hold. The two Baseten clients read the same names, so one
    // section can serve both (the management client has no use for ModelId and ignores it); a name
    // outside this list is a misspelling, and "BaseUrl" silently ignored would send a key to the
    // production API, so it is an error. Subsections (other clients' sections nested here) are left alone.
    private static readonly string[] s_basetenKeys = ["ApiKey", "BaseAddress", "ModelId", "ChainId", "Environment", "WakeOnColdStart", "ColdStartTimeout"];
    private static readonly string[] s_chatKeys = ["ApiKey", "BaseAddress", "Model", "ModelId", "Environment"];
    private static readonly string[] s_apiClientKeys = ["Credential", "BaseAddress"];
    private static readonly string[] s_retryKeys = ["MaxAttempts", "BaseDelay", "MaxDelay", "AttemptTimeout", "RetryUnsafeMethods"];

    public static void Apply(IConfigurationSection section, BasetenClientOptions options)
    {
        var settings = new BasetenClientSettings();
        Read(section, s_basetenKeys, () => section.Bind(settings));
        options.ApiKey = Text(settings.ApiKey) ?? options.ApiKey;
        (options.BaseAddress, options.Retry) = Common(section, settings, options.BaseAddress, options.Retry);
    }

    public static void Apply(IConfigurationSection section, BasetenInferenceClientOptions options)
    {
        var settings = new BasetenInferenceClientSettings();
        Read(section, s_basetenKeys, () => section.Bind(settings));
        options.ApiKey = Text(settings.ApiKey) ?? options.ApiKey;
        options.ModelId = Text(settings.ModelId) ?? options.ModelId;
        options.ChainId = Text(settings.ChainId) ?? options.ChainId;
        options.Environment = Text(settings.Environment) ?? options.Environment;
        options.WakeOnColdStart = settings.WakeOnColdStart ?? options.WakeOnColdStart;
        options.ColdStartTimeout = settings.ColdStartTimeout ?? options.ColdStartTimeout;
        (options.BaseAddress, options.Retry) = Common(section, settings, options.BaseAddress, options.Retry);
    }

    public static void Apply(IConfigurationSection section, BasetenChatClientOptions options)
    {
        var settings = new BasetenChatClientSettings();
        Read(section, s_chatKeys, () => section.Bind(settings));
        options.ApiKey = Text(settings.ApiKey) ?? options.ApiKey;
        options.Model = Text(settings.Model) ?? options.Model;
        options.ModelId = Text(settings.ModelId) ?? options.ModelId;
        options.Environment = Text(settings.Environment) ?? options.Environment;
        (options.BaseAddress, options.Retry) = Common(section, settings, options.BaseAddress, options.Retry);
    }

    public static void Apply(IConfigurationSection section, ApiClientOptions options)
    {
        var settings = new ApiClientSettings();
        Read(section, s_apiClientKeys, () => section.Bind(settings));
        options.Credential = Text(settings.Credential) ?? options.Credential;
        (options.BaseAddress, options.Retry) = Common(section, settings, options.BaseAddress, options.Retry);
    }

    // Names are checked before any value is read; the Bind call itself stays at each concrete
    // settings type, where the binder's generator can see it.
    private static void Read(IConfigurationSection section, string[] known, Action bind)
    {
        CheckKeys(section, known);
        Converting(section, bind);
    }

    // What every client's section sets the same way: the address and the retry policy.
    private static (Uri? BaseAddress, RetryPolicy Retry) Common(IConfigurationSection section, ClientSettings settings, Uri? baseAddress, RetryPolicy retry)
        => (Absolute(section, settings.BaseAddress) ?? baseAddress, Retry(section, settings.Retry, retry));

    // The binder's own message for a value that does not convert quotes the value ("Failed to
    // convert configuration value '...' at 'Baseten:Retry:BaseDelay' to type '...'"), and so does its
    // inner FormatException: a key pasted into the wrong setting would reach the logs. Name the
    // setting and the type it wants, and drop both.
    private static void Converting(IConfigurationSection section, Action bind)
    {
        try
        {
            bind();
        }
        catch (InvalidOperationException exception)
        {
            string message = exception.Message;
            int type = message.LastIndexOf("' to type '", StringComparison.Ordinal);
            int at = type < 0 ? -1 : message.LastIndexOf("' at '", type, StringComparison.Ordinal);
            throw new InvalidOperationException(at < 0
                ? "a value in '" + section.Path + "' does not convert to its setting's type."
                : "'" + message.Substring(at + 6, type - at - 6) + "' does not convert to " + TypeName(message.Substring(type + 11).TrimEnd('.', '\'')) + ".");
        }
    }

    private static string TypeName(string type) => type switch
    {
        "System.TimeSpan" or "System.Nullable`1[System.TimeSpan]" => "a time span (hh:mm:ss)",
        "System.Int32" or "System.Nullable`1[System.Int32]" => "a whole number",
        "System.Boolean" or "System.Nullable`1[System.Boolean]" => "true or false",
        _ => type,
    };

    // An empty value (an environment variable set to "", a placeholder in appsettings.json) is no
    // value: the key then still comes from BASETEN_API_KEY.
    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static Uri? Absolute(IConfigurationSection section, Uri? address)
    {
        if (address is not null && !address.IsAbsoluteUri)
        {
            throw new InvalidOperationException("'" + section.Path + ":BaseAddress' must be an absolute https URL (plain http only for a loopback host).");
        }

        return address;
    }

    // The configured members over the policy the options hold (the default one, or what code set),
    // keeping its clock and jitter, which configuration cannot express.
    private static RetryPolicy Retry(IConfigurationSection section, RetrySettings? settings, RetryPolicy current)
    {
        if (settings is null)
        {
            return current;
        }

        // A null policy (which code may set) means no retries, as the clients read it.
        RetryPolicy basis = current ?? RetryPolicy.None;
        string path = section.Path + ":Retry:";
        return new RetryPolicy
        {
            MaxAttempts = settings.MaxAttempts is { } attempts
                ? attempts >= 1 ? attempts : throw new InvalidOperationException("'" + path + "MaxAttempts' must be 1 or more (1 turns retries off).")
                : basis.MaxAttempts,
            BaseDelay = NotNegative(settings.BaseDelay, path + "BaseDelay") ?? basis.BaseDelay,
            MaxDelay = NotNegative(settings.MaxDelay, path + "MaxDelay") ?? basis.MaxDelay,
            AttemptTimeout = settings.AttemptTimeout is { } timeout
                ? timeout > TimeSpan.Zero ? timeout : throw new InvalidOperationException("'" + path + "AttemptTimeout' must be positive.")
                : basis.AttemptTimeout,
            RetryUnsafeMethods = settings.RetryUnsafeMethods ?? basis.RetryUnsafeMethods,
            TimeProvider = basis.TimeProvider,
            Jitter = basis.Jitter,
        };
    }

    private static TimeSpan? NotNegative(TimeSpan? value, string path)
        => value < TimeSpan.Zero ? throw new InvalidOperationException("'" + path + "' must not be negative.") : value;

    // Names only, never values: a misspelt ApiKey holds the key.
    private static void CheckKeys(IConfigurationSection section, string[] known)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (string.Equals(child.Key, "Retry", StringComparison.OrdinalIgnoreCase))
            {
                if (child.Value is not null)
                {
                    throw new InvalidOperationException("'" + child.Path + "' is a section, not a value; its settings are " + string.Join(", ", s_retryKeys) + ".");
                }

                foreach (IConfigurationSection retry in child.GetChildren())
                {
                    if (!Contains(s_retryKeys, retry.Key))
                    {
                        throw new InvalidOperationException("'" + retry.Path + "' is not a retry setting (misspelt?); they are " + string.Join(", ", s_retryKeys) + ".");
                    }
                }
            }
            else if (child.Value is not null && !Contains(known, child.Key))
            {
                throw new InvalidOperationException("'" + child.Path + "' is not a setting of this client (misspelt?); the settings are " + string.Join(", ", known) + " and Retry.");
            }
        }
    }

    private static bool Contains(string[] names, string name)
        => Array.FindIndex(names, known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase)) >= 0;
}
