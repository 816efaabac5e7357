using System;
using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Baseten.Aot.Benchmarks;

/// <summary>
/// One Utf8JsonWriter over one buffer, both reused from call to call: the setting the floor writes in
/// and the one the client's request bodies are written in.
/// </summary>
internal sealed class ReusedJsonBuffer
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public ReusedJsonBuffer() => _writer = new Utf8JsonWriter(_buffer);

    /// <summary>Writes the value through its metadata; the bytes stay valid until the next call.</summary>
    public ReadOnlySpan<byte> Write<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, value, typeInfo);
        return _buffer.WrittenSpan;
    }

    /// <summary>Writes the value by the options' resolver (reflection, for the StjReflection candidate).</summary>
    public ReadOnlySpan<byte> Write<T>(T value, JsonSerializerOptions options)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, value, options);
        return _buffer.WrittenSpan;
    }
}
