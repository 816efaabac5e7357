using System.Text.Json.Serialization;

namespace Baseten.Aot.Tests;

/// <summary>
/// System.Text.Json's own source generator over the same model types: the reference our
/// hand-emitted context must agree with, byte for byte and object for object.
/// </summary>
// The open enums carry no [JsonConverter] attribute (a trimmed app keeps only the converters it
// uses), so this context, like any other resolver over the models, is given theirs; their nested
// Known enums need names of their own.
[JsonSourceGenerationOptions(Converters = [typeof(DeploymentStatusV1.Converter), typeof(PromotionCleanupStrategyV1.Converter), typeof(RollingDeployStrategyV1.Converter)])]
[JsonSerializable(typeof(DeploymentStatusV1.Known), TypeInfoPropertyName = "DeploymentStatusV1Known")]
[JsonSerializable(typeof(PromotionCleanupStrategyV1.Known), TypeInfoPropertyName = "PromotionCleanupStrategyV1Known")]
[JsonSerializable(typeof(RollingDeployStrategyV1.Known), TypeInfoPropertyName = "RollingDeployStrategyV1Known")]
[JsonSerializable(typeof(CreateChainEnvironmentRequestV1))]
[JsonSerializable(typeof(ChainEnvironmentV1))]
internal sealed partial class ReferenceJsonContext : JsonSerializerContext;
