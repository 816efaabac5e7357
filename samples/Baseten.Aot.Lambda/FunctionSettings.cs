using System;

namespace Baseten.Aot.Lambda;

/// <summary>
/// The function's configuration, read from its environment variables (the function's configuration
/// in Lambda): <c>BASETEN_API_KEY</c> (required), <c>BASETEN_MODEL_ID</c> (required unless
/// <c>BASETEN_BASE_URL</c> is set), <c>BASETEN_ENVIRONMENT</c> (a named environment to call instead
/// of production) and <c>BASETEN_BASE_URL</c> (another address for Baseten: a proxy, a mock).
/// </summary>
internal sealed class FunctionSettings
{
    public const string ApiKeyVariable = "BASETEN_API_KEY";
    public const string ModelIdVariable = "BASETEN_MODEL_ID";
    public const string EnvironmentVariable = "BASETEN_ENVIRONMENT";
    public const string BaseUrlVariable = "BASETEN_BASE_URL";

    private FunctionSettings(string apiKey, BasetenInferenceClientOptions options, PredictTarget? target)
    {
        ApiKey = apiKey;
        Options = options;
        Target = target;
    }

    /// <summary>The key, as the client sends it (trimmed).</summary>
    public string ApiKey { get; }

    public BasetenInferenceClientOptions Options { get; }

    /// <summary>The named environment to call; null for production.</summary>
    public PredictTarget? Target { get; }

    /// <summary>Reads the settings; what is missing or wrong is an init error.</summary>
    /// <exception cref="InvalidException">A setting is missing or not valid.</exception>
    public static FunctionSettings Read(Func<string, string?> environment)
    {
        string apiKey = environment(ApiKeyVariable)?.Trim() is { Length: > 0 } key
            ? key
            : throw new InvalidException(ErrorTypes.ApiKeyNotFound, ApiKeyVariable + " is not set: the function needs a Baseten API key (from the function's configuration or a secret store).");
        string? modelId = Value(environment, ModelIdVariable);
        Uri? baseAddress = null;
        if (Value(environment, BaseUrlVariable) is { } baseUrl && !Uri.TryCreate(baseUrl, UriKind.Absolute, out baseAddress))
        {
            throw new InvalidException(ErrorTypes.ConfigInvalid, BaseUrlVariable + " is not an absolute URL.");
        }

        if (modelId is null && baseAddress is null)
        {
            throw new InvalidException(ErrorTypes.ConfigInvalid, ModelIdVariable + " is not set: the function needs the id of the model it calls.");
        }

        PredictTarget? target = null;
        if (Value(environment, EnvironmentVariable) is { } name)
        {
            try
            {
                target = PredictTarget.Environment(name);
            }
            catch (ArgumentException)
            {
                throw new InvalidException(ErrorTypes.ConfigInvalid, EnvironmentVariable + " is not an environment name.");
            }
        }

        return new FunctionSettings(apiKey, new BasetenInferenceClientOptions { ApiKey = apiKey, ModelId = modelId, BaseAddress = baseAddress }, target);
    }

    private static string? Value(Func<string, string?> environment, string name) => environment(name)?.Trim() is { Length: > 0 } value ? value : null;

    /// <summary>A setting the function cannot start with; <see cref="Error"/> goes to <c>/runtime/init/error</c>.</summary>
    internal sealed class InvalidException(string errorType, string message) : Exception(message)
    {
        public FunctionError Error { get; } = new(errorType, message);
    }
}
