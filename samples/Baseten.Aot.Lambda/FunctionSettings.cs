using System;

namespace Baseten.Aot.Lambda;

/// <summary>
/// The function's configuration, read from its environment variables (the function's configuration
/// in Lambda): <c>BASETEN_API_KEY</c> (required), <c>BASETEN_MODEL_ID</c> (required unless
/// <c>BASETEN_BASE_URL</c> is set), <c>BASETEN_ENVIRONMENT</c> (a named environment to call instead
/// of production) and <c>BASETEN_BASE_URL</c> (another address for Baseten: a proxy, a mock).
/// <c>BASETEN_FUNCTION</c> chooses the mode: <c>predict</c> (the default) or <c>chat</c>, which calls
/// an LLM's chat completions: a Model API named by <c>BASETEN_MODEL</c> (a slug such as
/// <c>openai/gpt-oss-120b</c>), or a dedicated deployment by <c>BASETEN_MODEL_ID</c>.
/// </summary>
internal sealed class FunctionSettings
{
    public const string ApiKeyVariable = "BASETEN_API_KEY";
    public const string ModelIdVariable = "BASETEN_MODEL_ID";
    public const string EnvironmentVariable = "BASETEN_ENVIRONMENT";
    public const string BaseUrlVariable = "BASETEN_BASE_URL";
    public const string FunctionVariable = "BASETEN_FUNCTION";
    public const string ModelVariable = "BASETEN_MODEL";

    private FunctionSettings(string apiKey, BasetenInferenceClientOptions options, PredictTarget? target, BasetenChatClientOptions? chat)
    {
        ApiKey = apiKey;
        Options = options;
        Target = target;
        Chat = chat;
    }

    /// <summary>The chat client's options in chat mode; null in predict mode.</summary>
    public BasetenChatClientOptions? Chat { get; }

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

        bool chat = Value(environment, FunctionVariable) switch
        {
            null or "predict" => false,
            "chat" => true,
            _ => throw new InvalidException(ErrorTypes.ConfigInvalid, FunctionVariable + " is neither predict nor chat."),
        };
        string? model = Value(environment, ModelVariable);
        if (chat && modelId is null && model is null)
        {
            throw new InvalidException(ErrorTypes.ConfigInvalid, ModelVariable + " is not set: in chat mode the function needs the Model API it calls (a slug such as openai/gpt-oss-120b), or " + ModelIdVariable + " for a dedicated deployment.");
        }

        if (!chat && modelId is null && baseAddress is null)
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

        BasetenChatClientOptions? chatOptions = chat
            ? new BasetenChatClientOptions { ApiKey = apiKey, Model = model, ModelId = modelId, Target = target, BaseAddress = baseAddress }
            : null;
        return new FunctionSettings(apiKey, new BasetenInferenceClientOptions { ApiKey = apiKey, ModelId = modelId, BaseAddress = baseAddress }, target, chatOptions);
    }

    private static string? Value(Func<string, string?> environment, string name) => environment(name)?.Trim() is { Length: > 0 } value ? value : null;

    /// <summary>A setting the function cannot start with; <see cref="Error"/> goes to <c>/runtime/init/error</c>.</summary>
    internal sealed class InvalidException(string errorType, string message) : Exception(message)
    {
        public FunctionError Error { get; } = new(errorType, message);
    }
}
