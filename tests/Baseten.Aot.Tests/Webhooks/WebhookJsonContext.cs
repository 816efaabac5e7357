using System.Text.Json.Serialization;

namespace Baseten.Aot.Tests.Webhooks;

/// <summary>A model's output as a caller declares it, read from a delivery's data through source-generated metadata.</summary>
internal sealed record ModelOutput(string Output);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ModelOutput))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
