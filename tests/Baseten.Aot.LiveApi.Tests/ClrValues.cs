using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Baseten.Aot.LiveApi.Tests;

/// <summary>
/// Turns a synthesized JSON value into the argument the generated method takes, whatever C# type
/// the generator chose: bodies and models always through the generated JSON context, so the value
/// goes through the generated shape; path and query values by their C# type.
/// </summary>
public static class ClrValues
{
    /// <summary>Thrown when a valid value of the schema does not fit the C# type the generator chose.</summary>
    public sealed class DoesNotFitException(string message, Exception? inner = null) : Exception(message, inner)
    {
    }

    /// <summary>A model or body: the JSON deserialized with the generated context's metadata for <paramref name="type"/>.</summary>
    public static object? FromGeneratedContext(JsonNode? json, Type type)
    {
        JsonTypeInfo info = BasetenManagementJsonContext.Default.GetTypeInfo(type)
            ?? throw new DoesNotFitException($"BasetenManagementJsonContext has no metadata for {type}.");
        string text = json?.ToJsonString() ?? "null";
        try
        {
            return JsonSerializer.Deserialize(text, info);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new DoesNotFitException($"the schema-valid JSON {Truncate(text)} does not deserialize into {type.Name}: {exception.Message}", exception);
        }
    }

    /// <summary>A path or query argument of type <paramref name="type"/> holding <paramref name="json"/>.</summary>
    public static object? ForParameter(JsonNode? json, Type type)
    {
        if (json is null)
        {
            return null;
        }

        Type target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string))
        {
            return json is JsonValue v && v.TryGetValue(out string? s) ? s : json.ToJsonString();
        }

        if (target.IsPrimitive || target == typeof(decimal))
        {
            using JsonDocument parsed = JsonDocument.Parse(json.ToJsonString());
            JsonElement element = parsed.RootElement;
            try
            {
                return target == typeof(bool) ? element.GetBoolean()
                    : target == typeof(int) ? element.GetInt32()
                    : target == typeof(long) ? element.GetInt64()
                    : target == typeof(double) ? element.GetDouble()
                    : target == typeof(float) ? element.GetSingle()
                    : target == typeof(decimal) ? element.GetDecimal()
                    : Convert.ChangeType(element.GetRawText(), target, CultureInfo.InvariantCulture);
            }
            catch (FormatException exception)
            {
                throw new DoesNotFitException($"the schema-valid value {json.ToJsonString()} does not fit the C# type {target.Name}", exception);
            }
        }

        if (target == typeof(DateTimeOffset))
        {
            return DateTimeOffset.Parse(json.GetValue<string>(), CultureInfo.InvariantCulture);
        }

        if (target == typeof(DateTime))
        {
            return DateTime.Parse(json.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        }

        if (target == typeof(DateOnly))
        {
            return DateOnly.Parse(json.GetValue<string>(), CultureInfo.InvariantCulture);
        }

        // An open enum: a class built from its wire text.
        if (target.GetConstructor([typeof(string)]) is { } fromText && json is JsonValue text && text.TryGetValue(out string? wire))
        {
            return fromText.Invoke([wire]);
        }

        if (ElementType(target) is { } elementType && json is JsonArray array)
        {
            IList list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
            foreach (JsonNode? item in array)
            {
                list.Add(ForParameter(item, elementType));
            }

            return list;
        }

        return FromGeneratedContext(json, type);
    }

    /// <summary>T of an IReadOnlyList&lt;T&gt;, IEnumerable&lt;T&gt;, List&lt;T&gt; or T[]; null for anything else.</summary>
    public static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (type == typeof(string) || !type.IsGenericType)
        {
            return null;
        }

        Type definition = type.GetGenericTypeDefinition();
        return definition == typeof(IReadOnlyList<>) || definition == typeof(IEnumerable<>) || definition == typeof(IList<>)
            || definition == typeof(List<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(ICollection<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    /// <summary>A string with a bounded length for a failure message.</summary>
    public static string Truncate(string text, int max = 600) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "… (", text.Length.ToString(CultureInfo.InvariantCulture), " chars)");
}
