using System;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baseten.Aot.Http;

/// <summary>
/// A model's generated reader and writer as the converter of its metadata, for code written by
/// Baseten.Aot.Generator (a generated JSON context uses it where nothing could customize the
/// model's contract). Not meant to be used directly.
/// </summary>
/// <typeparam name="T">The model.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GeneratedJsonConverter<T> : JsonConverter<T>
    where T : class
{
    private readonly GeneratedJsonReader<T> _read;
    private readonly Action<Utf8JsonWriter, T?> _write;

    /// <summary>Wraps a generated reader and writer.</summary>
    /// <param name="read">Reads the model, a JSON null as null.</param>
    /// <param name="write">Writes the model, null as a JSON null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="read"/> or <paramref name="write"/> is null.</exception>
    public GeneratedJsonConverter(GeneratedJsonReader<T> read, Action<Utf8JsonWriter, T?> write)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(write);
        _read = read;
        _write = write;
    }

    /// <summary>Reads the value at the reader, a JSON null as null; for the generated unions, which read their variants directly.</summary>
    /// <param name="reader">The reader, at the value's first token.</param>
    /// <param name="options">The options the value is read with.</param>
    /// <returns>The value, or null for a JSON null.</returns>
    public T? ReadValue(ref Utf8JsonReader reader, JsonSerializerOptions options) => _read(ref reader, options);

    /// <inheritdoc/>
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => _read(ref reader, options)!;

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        => _write(writer, value);
}
