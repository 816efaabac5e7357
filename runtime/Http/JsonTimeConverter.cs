using System;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baseten.Aot.Http;

/// <summary>
/// OpenAPI's <c>time</c> for a generated context's <see cref="TimeOnly"/> metadata: read with or
/// without an offset as <see cref="JsonScalar.TryParse(string?, out TimeOnly)"/> reads it (System.Text.Json's
/// own converter refuses the offset RFC 3339's full-time carries), written as the generated writers
/// write it. For generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class JsonTimeConverter : JsonConverter<TimeOnly>
{
    /// <summary>The one instance a context needs.</summary>
    public static JsonTimeConverter Instance { get; } = new();

    private JsonTimeConverter()
    {
    }

    /// <inheritdoc/>
    /// <exception cref="JsonException">The value is not a string in <c>HH:mm:ss[.fffffff]</c> form, with or without an offset.</exception>
    public override TimeOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => JsonScalar.ReadTime(ref reader, "System.TimeOnly");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TimeOnly value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(ParameterFormat.Text(value));
    }
}
