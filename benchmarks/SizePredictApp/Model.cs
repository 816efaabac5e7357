using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace SizePredict;

// A small model's own input and output, as an app that calls one model declares them; both size
// apps compile this file, each into its own assembly with its own context.
internal sealed record PredictInput(string Prompt, int MaxTokens, double Temperature);

internal sealed record PredictOutput(string Text, int Tokens, List<string>? StopReasons);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PredictInput))]
[JsonSerializable(typeof(PredictOutput))]
internal sealed partial class PredictJson : JsonSerializerContext;
