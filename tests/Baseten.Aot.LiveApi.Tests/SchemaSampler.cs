using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Baseten.Aot.LiveApi.Tests;

/// <summary>How much of a schema an instance fills in.</summary>
public enum SampleShape
{
    /// <summary>Required properties only, arrays as short as allowed: what the least a caller sends.</summary>
    Minimal,

    /// <summary>Every property (as deep as cycles allow), one item in every array, one entry in every map.</summary>
    Full,
}

/// <summary>
/// Synthesizes a JSON instance that satisfies a schema of the document: const, then the schema's
/// own example, then an enum value, then the default, then a value of the type within its bounds
/// and format. A union gets the alternative <c>variant % count</c> (with its discriminator set), so
/// that a caller rotating the variant walks through every alternative. Deterministic: the same
/// schema, shape and variant always give the same instance.
/// </summary>
public sealed class SchemaSampler(LiveApiDocument document, SampleShape shape, int variant)
{
    private const int MaxOptionalDepth = 8;

    // 2026-01-01T00:00:00Z: a realistic instant, and more than 32 bits in milliseconds.
    private const long EpochMillis = 1_767_225_600_000;

    private readonly List<string> _stack = [];

    public SampleShape Shape => shape;

    public int Variant => variant;

    /// <summary>An instance of <paramref name="schema"/>; <paramref name="hint"/> is the property or parameter name.</summary>
    public JsonNode? Sample(JsonElement schema, string hint) => Sample(schema, hint, 0, variant);

    private JsonNode? Sample(JsonElement schema, string hint, int depth, int choice)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return new JsonObject();
        }

        if (schema.TryGetProperty("$ref", out JsonElement reference))
        {
            string name = reference.GetString()!;
            if (_stack.Contains(name))
            {
                throw new CycleException(name);
            }

            _stack.Add(name);
            try
            {
                return Sample(document.Resolve(schema), hint, depth, choice);
            }
            finally
            {
                _stack.RemoveAt(_stack.Count - 1);
            }
        }

        if (schema.TryGetProperty("const", out JsonElement constant))
        {
            return JsonNode.Parse(constant.GetRawText());
        }

        if (FirstNonNull(schema, "examples") is { } example)
        {
            return example;
        }

        if (schema.TryGetProperty("example", out JsonElement single) && single.ValueKind != JsonValueKind.Null)
        {
            return JsonNode.Parse(single.GetRawText());
        }

        if (schema.TryGetProperty("enum", out JsonElement values))
        {
            JsonElement[] nonNull = values.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).ToArray();
            return JsonNode.Parse(nonNull[choice % nonNull.Length].GetRawText());
        }

        if (schema.TryGetProperty("allOf", out JsonElement allOf))
        {
            var merged = new JsonObject();
            foreach (JsonElement part in allOf.EnumerateArray())
            {
                if (Sample(part, hint, depth, choice) is JsonObject partObject)
                {
                    foreach ((string key, JsonNode? value) in partObject.ToList())
                    {
                        partObject.Remove(key);
                        merged[key] = value;
                    }
                }
            }

            return merged;
        }

        foreach (string keyword in (string[])["oneOf", "anyOf"])
        {
            if (schema.TryGetProperty(keyword, out JsonElement alternatives))
            {
                return SampleUnion(schema, alternatives, hint, depth, choice);
            }
        }

        string? type = TypeOf(schema);
        if (type is not ("object" or "array") && schema.TryGetProperty("default", out JsonElement defaultValue) && defaultValue.ValueKind != JsonValueKind.Null)
        {
            return JsonNode.Parse(defaultValue.GetRawText());
        }

        return type switch
        {
            "string" => SampleString(schema),
            "integer" => JsonValue.Create(SampleInteger(schema, hint)),
            "number" => JsonValue.Create(SampleNumber(schema)),
            "boolean" => JsonValue.Create(true),
            "null" => null,
            "array" => SampleArray(schema, hint, depth, choice),
            _ => SampleObject(schema, depth, choice),
        };
    }

    private JsonNode? SampleUnion(JsonElement schema, JsonElement alternatives, string hint, int depth, int choice)
    {
        JsonElement[] nonNull = alternatives.EnumerateArray().Where(a => TypeOf(document.Resolve(a)) != "null").ToArray();
        if (nonNull.Length == 0)
        {
            return null;
        }

        JsonElement picked = nonNull[choice % nonNull.Length];
        JsonNode? instance = Sample(picked, hint, depth, choice / nonNull.Length);
        if (schema.TryGetProperty("discriminator", out JsonElement discriminator) && instance is JsonObject variantObject
            && picked.TryGetProperty("$ref", out JsonElement pickedRef))
        {
            string target = pickedRef.GetString()!;
            string value = target[(target.LastIndexOf('/') + 1)..];
            if (discriminator.TryGetProperty("mapping", out JsonElement mapping))
            {
                value = mapping.EnumerateObject().Where(m => m.Value.GetString() == target).Select(m => m.Name).FirstOrDefault() ?? value;
            }

            variantObject[discriminator.GetProperty("propertyName").GetString()!] = value;
        }

        return instance;
    }

    private JsonObject SampleObject(JsonElement schema, int depth, int choice)
    {
        var result = new JsonObject();
        HashSet<string> required = schema.TryGetProperty("required", out JsonElement list)
            ? list.EnumerateArray().Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        if (schema.TryGetProperty("properties", out JsonElement properties))
        {
            foreach (JsonProperty property in properties.EnumerateObject())
            {
                if (required.Contains(property.Name))
                {
                    result[property.Name] = Sample(property.Value, property.Name, depth + 1, choice);
                }
                else if (shape == SampleShape.Full && depth < MaxOptionalDepth && TrySample(property.Value, property.Name, depth + 1, choice, out JsonNode? value))
                {
                    result[property.Name] = value;
                }
            }
        }

        if (shape == SampleShape.Full && depth < MaxOptionalDepth && schema.TryGetProperty("additionalProperties", out JsonElement additional)
            && additional.ValueKind == JsonValueKind.Object && TrySample(additional, "value", depth + 1, choice, out JsonNode? entry))
        {
            result["key1"] = entry;
        }

        return result;
    }

    private JsonArray SampleArray(JsonElement schema, string hint, int depth, int choice)
    {
        int min = schema.TryGetProperty("minItems", out JsonElement minItems) ? minItems.GetInt32() : 0;
        int max = schema.TryGetProperty("maxItems", out JsonElement maxItems) ? maxItems.GetInt32() : int.MaxValue;
        int count = Math.Min(max, shape == SampleShape.Full && depth < MaxOptionalDepth ? Math.Max(min, 1) : min);
        var array = new JsonArray();
        JsonElement items = schema.TryGetProperty("items", out JsonElement i) ? i : default;
        for (int n = 0; n < count && items.ValueKind != JsonValueKind.Undefined; n++)
        {
            if (n < min)
            {
                array.Add(Sample(items, hint, depth + 1, choice + n));
            }
            else if (TrySample(items, hint, depth + 1, choice + n, out JsonNode? item))
            {
                array.Add(item);
            }
        }

        return array;
    }

    // An optional part is left out where it would recurse into a schema already being built.
    private bool TrySample(JsonElement schema, string hint, int depth, int choice, out JsonNode? value)
    {
        try
        {
            value = Sample(schema, hint, depth, choice);
            return true;
        }
        catch (CycleException)
        {
            value = null;
            return false;
        }
    }

    private static JsonValue SampleString(JsonElement schema)
    {
        string format = schema.TryGetProperty("format", out JsonElement f) ? f.GetString()! : "";
        string value = format switch
        {
            "date-time" => "2026-01-01T00:00:00Z",
            "date" => "2026-01-01",
            "time" => "12:00:00Z",
            "uri" or "url" => "https://example.com/path",
            "email" => "user@example.com",
            "uuid" => "0e6c1f9a-5b3d-4c2e-9f1a-7d8e9b0c1a2b",
            _ => "abc123",
        };
        if (schema.TryGetProperty("minLength", out JsonElement minLength) && value.Length < minLength.GetInt32())
        {
            value = value.PadRight(minLength.GetInt32(), 'x');
        }

        if (schema.TryGetProperty("maxLength", out JsonElement maxLength) && value.Length > maxLength.GetInt32())
        {
            value = value[..maxLength.GetInt32()];
        }

        return JsonValue.Create(value);
    }

    private static long SampleInteger(JsonElement schema, string hint)
    {
        long low = schema.TryGetProperty("minimum", out JsonElement min) ? (long)Math.Ceiling(min.GetDouble())
            : schema.TryGetProperty("exclusiveMinimum", out JsonElement xmin) && xmin.ValueKind == JsonValueKind.Number ? (long)Math.Floor(xmin.GetDouble()) + 1
            : long.MinValue;
        long high = schema.TryGetProperty("maximum", out JsonElement max) ? (long)Math.Floor(max.GetDouble())
            : schema.TryGetProperty("exclusiveMaximum", out JsonElement xmax) && xmax.ValueKind == JsonValueKind.Number ? (long)Math.Ceiling(xmax.GetDouble()) - 1
            : long.MaxValue;
        long value = hint.EndsWith("epoch_millis", StringComparison.Ordinal) || hint.EndsWith("_ms", StringComparison.Ordinal)
            ? EpochMillis + (hint.StartsWith("end", StringComparison.Ordinal) ? 86_400_000 : 0)
            : low == long.MinValue ? 1 : low;
        return Math.Clamp(value, low, high);
    }

    private static double SampleNumber(JsonElement schema)
    {
        double low = schema.TryGetProperty("minimum", out JsonElement min) ? min.GetDouble()
            : schema.TryGetProperty("exclusiveMinimum", out JsonElement xmin) && xmin.ValueKind == JsonValueKind.Number ? xmin.GetDouble() + 0.5
            : double.NegativeInfinity;
        double high = schema.TryGetProperty("maximum", out JsonElement max) ? max.GetDouble()
            : schema.TryGetProperty("exclusiveMaximum", out JsonElement xmax) && xmax.ValueKind == JsonValueKind.Number ? xmax.GetDouble() - 0.5
            : double.PositiveInfinity;
        return Math.Clamp(double.IsNegativeInfinity(low) ? 1.5 : low, low, high);
    }

    /// <summary>The schema's type, the first non-null one of a type array; null when it states none.</summary>
    public static string? TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out JsonElement type))
        {
            return schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out _) ? "object" : null;
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null") ?? "null"
            : type.GetString();
    }

    private static JsonNode? FirstNonNull(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out JsonElement examples) && examples.ValueKind == JsonValueKind.Array
            ? examples.EnumerateArray().Where(e => e.ValueKind != JsonValueKind.Null).Select(e => JsonNode.Parse(e.GetRawText())).FirstOrDefault()
            : null;

    private sealed class CycleException(string reference) : Exception("The schema recurses through " + reference)
    {
    }
}
