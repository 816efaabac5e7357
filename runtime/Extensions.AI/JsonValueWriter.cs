using System.Text.Json;
using System.Text.Json.Nodes;

namespace Baseten.Aot.Extensions.AI;

// The values whose JSON needs no metadata and no choice: JSON values themselves, strings, bools and
// the common numbers. Function arguments and extra request members both start here, and each decides
// for itself what to do with anything else (serialize it through metadata, or refuse it).
internal static class JsonValueWriter
{
    public static bool TryWrite(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return true;
            case JsonElement element:
                element.WriteTo(writer);
                return true;
            case JsonDocument document:
                document.RootElement.WriteTo(writer);
                return true;
            case JsonNode node:
                node.WriteTo(writer);
                return true;
            case string text:
                writer.WriteStringValue(text);
                return true;
            case bool flag:
                writer.WriteBooleanValue(flag);
                return true;
            case int number:
                writer.WriteNumberValue(number);
                return true;
            case long number:
                writer.WriteNumberValue(number);
                return true;
            case double number:
                writer.WriteNumberValue(number);
                return true;
            case decimal number:
                writer.WriteNumberValue(number);
                return true;
            default:
                return false;
        }
    }
}
