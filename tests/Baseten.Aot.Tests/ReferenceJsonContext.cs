using System.Text.Json.Serialization;

namespace Baseten.Aot.Tests;

/// <summary>
/// System.Text.Json's own source generator over the same model types: the reference our
/// hand-emitted context must agree with, byte for byte and object for object.
/// </summary>
[JsonSerializable(typeof(CreateChainEnvironmentRequestV1))]
[JsonSerializable(typeof(ChainEnvironmentV1))]
internal sealed partial class ReferenceJsonContext : JsonSerializerContext;
