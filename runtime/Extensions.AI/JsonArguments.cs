using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Baseten.Aot.Extensions.AI;

// Function-call arguments and function results between Microsoft.Extensions.AI's object values
// and the JSON text the protocol carries, without reflection: JsonElement, JsonNode, strings,
// numbers and bools are written directly; anything else through AIJsonUtilities.DefaultOptions'
// metadata resolver (source-generated; a type it has no metadata for is a NotSupportedException
// under NativeAOT, never a trimming hazard).
internal static class JsonArguments
{
    public static string Write(IDictionary<string, object?>? arguments)
    {
        if (arguments is null)
        {
            return "{}";
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (KeyValuePair<string, object?> argument in arguments)
            {
                writer.WritePropertyName(argument.Key);
                WriteValue(writer, argument.Value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    // A tool message's content: text as it is, anything else as JSON.
    public static string ResultText(FunctionResultContent result)
    {
        switch (result.Result)
        {
            case string text:
                return text;
            case JsonElement { ValueKind: JsonValueKind.String } element:
                return element.GetString()!;
            case null when result.Exception is { } exception:
                return "Error: " + exception.Message;
            default:
                using (var buffer = new MemoryStream())
                {
                    using (var writer = new Utf8JsonWriter(buffer))
                    {
                        WriteValue(writer, result.Result);
                    }

                    return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
                }
        }
    }

    // The model's argument text as a dictionary of JsonElements, which AIFunction binds to
    // parameters; text that is not a JSON object throws, and FunctionCallContent keeps the exception.
    public static IDictionary<string, object?>? Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new Dictionary<string, object?>();
        }

        using JsonDocument document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The arguments are a JSON " + document.RootElement.ValueKind.ToString().ToLowerInvariant() + ", not an object.");
        }

        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            arguments[property.Name] = property.Value.Clone();
        }

        return arguments;
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        if (!JsonValueWriter.TryWrite(writer, value))
        {
            JsonSerializer.Serialize(writer, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value!.GetType()));
        }
    }
}
