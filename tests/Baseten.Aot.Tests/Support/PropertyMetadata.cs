using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Baseten.Aot.Tests;

/// <summary>
/// A generated context's metadata as a caller who customizes it sees it: through a resolver with a
/// modifier, System.Text.Json reads and writes by the property metadata instead of the generated
/// fast path, and each feature must hold there too.
/// </summary>
internal static class PropertyMetadata
{
    public static JsonTypeInfo<T> TypeInfo<T>(IJsonTypeInfoResolver context)
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = context.WithAddedModifier(static _ => { }) };
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }
}
