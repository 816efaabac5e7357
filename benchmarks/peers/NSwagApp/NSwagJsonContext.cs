using System.Text.Json;
using System.Text.Json.Serialization;

namespace Peers.NSwag;

// What the generated client offers for its JSON settings is a static partial method. Every variant
// leaves nulls out (otherwise each unset wrapper is sent as null, beside the same name in the
// extension data); with -p:PeersJsonContext=true the metadata comes from System.Text.Json's source
// generator instead of reflection, which NativeAOT turns off.
public partial class NSwagClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings)
    {
        settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
#if PEERS_JSON_CONTEXT
        settings.TypeInfoResolver = NSwagJsonContext.Default;
#endif
    }
}

#if PEERS_JSON_CONTEXT
[JsonSerializable(typeof(CreateChainEnvironmentRequestV1))]
[JsonSerializable(typeof(ChainEnvironmentV1))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class NSwagJsonContext : JsonSerializerContext;
#endif
