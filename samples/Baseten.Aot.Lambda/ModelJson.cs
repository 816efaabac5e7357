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
internal sealed partial class ModelJson : JsonSerializerContext;
