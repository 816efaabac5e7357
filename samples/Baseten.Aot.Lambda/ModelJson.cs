using System.Text.Json.Serialization;

namespace Baseten.Aot.Lambda;

/// <summary>
/// The model's input, and so the shape of an invocation's event: <c>{"prompt": "...", "max_tokens": 64}</c>.
/// Replace it with what your model takes. A missing <c>prompt</c> or a misspelt property is refused
/// before Baseten is called.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ModelInput(string Prompt, int? MaxTokens = null, double? Temperature = null);

/// <summary>The model's output, and so the function's response: <c>{"output": "..."}</c>. Replace it with what your model returns.</summary>
internal sealed record ModelOutput(string Output);

/// <summary>
/// An invocation's event in chat mode: <c>{"prompt": "...", "system": "...", "max_tokens": 256, "temperature": 0.2}</c>;
/// only <c>prompt</c> is required. A misspelt property is refused before Baseten is called.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ChatEvent(string Prompt, string? System = null, int? MaxTokens = null, double? Temperature = null);

/// <summary>
/// The function's response in chat mode: <c>{"output": "...", "model": "...", "finish_reason": "stop",
/// "usage": {"prompt_tokens": 12, "completion_tokens": 30, "total_tokens": 42}}</c>.
/// </summary>
internal sealed record ChatAnswer(string Output, string? Model, string? FinishReason, ChatAnswerUsage? Usage);

/// <summary>The tokens the answer took, as the server counted them.</summary>
internal sealed record ChatAnswerUsage(long? PromptTokens, long? CompletionTokens, long? TotalTokens);

/// <summary>
/// The metadata of the function's own types, generated at build time: the only JSON metadata of
/// model data the NativeAOT binary carries. Absent optional values are not sent; a null where the
/// type says there cannot be one, or a missing constructor argument, is an error.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ModelInput))]
[JsonSerializable(typeof(ModelOutput))]
[JsonSerializable(typeof(ChatEvent))]
[JsonSerializable(typeof(ChatAnswer))]
internal sealed partial class ModelJson : JsonSerializerContext;
