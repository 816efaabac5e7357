using System;
using System.Buffers;
using System.Collections;
using System.Collections.Generic;
using System.Text.Json;

namespace Baseten.Aot.Extensions.AI;

// A ChatOptions.AdditionalProperties value that goes to the wire as an extra member of the request
// (an engine's own field), as a JsonElement. Only values whose JSON is unambiguous are written, and
// without reflection: JSON values themselves, strings, bools, numbers, and lists and string-keyed
// dictionaries of those. Anything else (a caller's own type, a DateTime, bytes) is refused rather
// than guessed at: the caller serializes it with its own metadata and passes the JsonElement.
internal static class ExtraMemberValues
{
    // Deep enough for any request field; a list that contains itself stops here instead of overflowing the stack.
    private const int MaxDepth = 64;

    public static JsonElement ToElement(string key, object? value)
    {
        if (value is JsonElement { ValueKind: not JsonValueKind.Undefined } element)
        {
            // A copy: the caller's JsonDocument may be disposed before the request is written.
            return element.Clone();
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, key, value, 0);
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, string key, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException("ChatOptions.AdditionalProperties[\"" + key + "\"] is nested more than " + MaxDepth + " levels deep (does a list contain itself?).");
        }

        if (value is JsonElement { ValueKind: JsonValueKind.Undefined })
        {
            throw new ArgumentException("ChatOptions.AdditionalProperties[\"" + key + "\"] holds a default JsonElement, which has no value to send.");
        }

        if ((value is float single && !float.IsFinite(single)) || (value is double real && !double.IsFinite(real)))
        {
            throw new ArgumentException("ChatOptions.AdditionalProperties[\"" + key + "\"] holds a NaN or an infinity, which JSON has no number for.");
        }

        if (JsonValueWriter.TryWrite(writer, value))
        {
            return;
        }

        switch (value)
        {
            case short number:
                writer.WriteNumberValue(number);
                break;
            case sbyte number:
                writer.WriteNumberValue(number);
                break;
            case byte number:
                writer.WriteNumberValue(number);
                break;
            case ushort number:
                writer.WriteNumberValue(number);
                break;
            case uint number:
                writer.WriteNumberValue(number);
                break;
            case ulong number:
                writer.WriteNumberValue(number);
                break;
            case float number:
                writer.WriteNumberValue(number);
                break;
            case IEnumerable<KeyValuePair<string, object?>> members:
                writer.WriteStartObject();
                foreach (KeyValuePair<string, object?> member in members)
                {
                    writer.WritePropertyName(member.Key);
                    Write(writer, key, member.Value, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry member in dictionary)
                {
                    writer.WritePropertyName(member.Key as string ?? throw Unsupported(key, value));
                    Write(writer, key, member.Value, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case byte[]:
                // System.Text.Json writes bytes as base64, a server might expect a list of numbers: not guessed.
                throw Unsupported(key, value);
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (object? item in items)
                {
                    Write(writer, key, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            default:
                throw Unsupported(key, value);
        }
    }

    private static NotSupportedException Unsupported(string key, object? value)
        => new(
            "ChatOptions.AdditionalProperties[\"" + key + "\"] holds a " + (value?.GetType().Name ?? "null") + ", which the adapter does not write as JSON (it uses no reflection): "
            + "pass a JsonElement (JsonSerializer.SerializeToElement(value, MyJsonContext.Default.MyType)), a string, a bool, a number, or a list or string-keyed dictionary of those.");
}
