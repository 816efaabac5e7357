using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Baseten.Aot.Http;

/// <summary>
/// What every JSON context written by Baseten.Aot.Generator shares: the checks and errors of its
/// generated readers and writers. Generated code calls these by their full names, so no name of an
/// API's document can collide with them. Not meant to be used directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedJson
{
    /// <summary>
    /// Metadata from a converter that <paramref name="options"/> carries for <typeparamref name="T"/>:
    /// a converter the caller added wins over generated metadata, as in System.Text.Json.
    /// </summary>
    /// <typeparam name="T">The type asked for.</typeparam>
    /// <param name="options">The options whose converters are asked.</param>
    /// <param name="typeInfo">The metadata made with the first converter that can convert <typeparamref name="T"/>; null when none can.</param>
    /// <returns>Whether a converter was found.</returns>
    /// <exception cref="InvalidOperationException">A converter factory that claims <typeparamref name="T"/> returned null.</exception>
    public static bool TryGetCustomConverter<T>(JsonSerializerOptions options, [NotNullWhen(true)] out JsonTypeInfo<T>? typeInfo)
    {
        ArgumentNullException.ThrowIfNull(options);
        for (int i = 0; i < options.Converters.Count; i++)
        {
            JsonConverter converter = options.Converters[i];
            if (converter.CanConvert(typeof(T)))
            {
                if (converter is JsonConverterFactory factory)
                {
                    converter = factory.CreateConverter(typeof(T), options)
                        ?? throw new InvalidOperationException("The converter factory " + factory.GetType() + " returned null for " + typeof(T) + ".");
                }

                typeInfo = JsonMetadataServices.CreateValueInfo<T>(options, converter);
                return true;
            }
        }

        typeInfo = null;
        return false;
    }

    /// <summary>
    /// Whether the generated readers and writers may stand in for System.Text.Json's object converters:
    /// only where nothing could make them differ. <paramref name="context"/> is the options' whole
    /// resolver (no modifier or chain can see or change a contract), no converter is added, and every
    /// option that changes how an object is read or written has its default. The obsolete
    /// <c>IgnoreNullValues</c> is not consulted: <c>DefaultIgnoreCondition</c> replaces it.
    /// </summary>
    /// <param name="options">The options a model is read or written with.</param>
    /// <param name="context">The generated context asked for the model's metadata.</param>
    /// <returns>Whether the generated reader and writer may be used.</returns>
    public static bool ReadsDirectly(JsonSerializerOptions options, IJsonTypeInfoResolver context)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ReferenceEquals(options.TypeInfoResolver, context)
            && options.Converters.Count == 0
            && options.Encoder is null
            && options.NumberHandling == JsonNumberHandling.Strict
            && options.UnmappedMemberHandling == JsonUnmappedMemberHandling.Skip
            && options.PreferredObjectCreationHandling == JsonObjectCreationHandling.Replace
            && options.DefaultIgnoreCondition == JsonIgnoreCondition.Never
            && !options.IgnoreReadOnlyProperties
            && !options.PropertyNameCaseInsensitive
            && options.ReferenceHandler is null
            && options.DictionaryKeyPolicy is null
#if NET9_0_OR_GREATER
            && !options.RespectNullableAnnotations
#endif
#if NET10_0_OR_GREATER
            && options.AllowDuplicateProperties
#endif
            ;
    }

    /// <summary>
    /// Tries a union's array or object case as the union's converter would through System.Text.Json:
    /// from a copy of the reader, so that a value that does not fit leaves the reader where it was.
    /// A value does not fit when reading it throws a <see cref="JsonException"/>, or one of the reader's
    /// own <see cref="InvalidOperationException"/> and <see cref="FormatException"/> (a token of another
    /// kind, a number out of range) that System.Text.Json marks to turn into a <see cref="JsonException"/>.
    /// </summary>
    /// <typeparam name="T">The case's type.</typeparam>
    /// <param name="reader">The reader, at the value; moved past it only when the case fits.</param>
    /// <param name="read">The case's generated reader.</param>
    /// <param name="options">The options the value is read with.</param>
    /// <param name="value">The value read; null when the case does not fit.</param>
    /// <returns>Whether the case fits (a JSON null does not).</returns>
    public static bool TryReadCase<T>(ref Utf8JsonReader reader, GeneratedJsonReader<T> read, JsonSerializerOptions options, [NotNullWhen(true)] out T? value)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        Utf8JsonReader copy = reader;
        try
        {
            value = read(ref copy, options);
        }
        catch (Exception exception) when (exception is JsonException
            || (exception is InvalidOperationException or FormatException && exception.Source == "System.Text.Json.Rethrowable"))
        {
            value = null;
            return false;
        }

        reader = copy;
        return value is not null;
    }

    /// <summary>
    /// The property name at <paramref name="reader"/>, unescaped (it is escaped, or split across
    /// buffers); null when it is too long to be any of the caller's names (an escape takes at most six
    /// bytes for one byte of a name), so that a hostile name costs no allocation of its size.
    /// </summary>
    /// <param name="reader">The reader, at a property name.</param>
    /// <param name="longest">The length in UTF-8 bytes of the caller's longest name.</param>
    /// <returns>The name's UTF-8 bytes, or null.</returns>
    public static byte[]? UnescapedName(ref Utf8JsonReader reader, int longest)
    {
        long length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > 6L * longest)
        {
            return null;
        }

        byte[] name = new byte[length];
        int written = reader.CopyString(name);
        return written == name.Length ? name : name.AsSpan(0, written).ToArray();
    }

    /// <summary>The error for a token of the wrong kind: <paramref name="type"/> expected <paramref name="what"/>.</summary>
    /// <param name="what">What was expected (<c>an object</c>, <c>a string</c>).</param>
    /// <param name="type">The type or member read.</param>
    /// <param name="token">The token found.</param>
    /// <returns>The exception to throw.</returns>
    public static JsonException NotA(string what, string type, JsonTokenType token)
        => new("The JSON value could not be converted to " + type + ": expected " + what + ", found " + token + ".");

    /// <summary>The error for an object without some of its required members.</summary>
    /// <param name="type">The type read.</param>
    /// <param name="missing">The required members' JSON names, null where the member was read.</param>
    /// <returns>The exception to throw.</returns>
    public static JsonException MissingRequired(string type, string?[] missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        var names = new StringBuilder();
        foreach (string? name in missing)
        {
            if (name is not null)
            {
                names.Append(names.Length == 0 ? "'" : ", '").Append(name).Append('\'');
            }
        }

        return new("The JSON object for " + type + " is missing required properties: " + names + ".");
    }

    /// <summary>The error for a JSON null in a required member whose type cannot be null: refused, as a missing one is.</summary>
    /// <param name="property">The member's JSON name.</param>
    /// <param name="type">The type read.</param>
    /// <returns>The exception to throw.</returns>
    public static JsonException NullForRequired(string property, string type)
        => new("The JSON property '" + property + "' of " + type + " is required and cannot be null.");

    /// <summary>
    /// The error a model's <c>IJsonOnSerializing</c> throws (only a resolver other than the generated
    /// context calls it) for a member assigned null, which that resolver would leave out.
    /// </summary>
    /// <param name="member">The model and member (<c>Pet.Tag</c>).</param>
    /// <param name="context">The generated context's name, which sends the null.</param>
    /// <returns>The exception to throw.</returns>
    public static InvalidOperationException AssignedNullRefused(string member, string context)
        => new(member + " was assigned null, which only " + context + " sends (as JSON null: clear this value); this resolver would leave it out. Serialize with "
            + context + ", or compose " + context + ".Default.AllTypes into your resolver.");

    /// <summary>
    /// The error a generated writer throws for an extra member (<c>AdditionalProperties</c>) whose name
    /// one of the model's declared properties writes: both would be sent, and servers disagree on which
    /// one counts.
    /// </summary>
    /// <param name="type">The model written.</param>
    /// <param name="name">The extra member's name.</param>
    /// <param name="property">The declared property that writes <paramref name="name"/>.</param>
    /// <returns>The exception to throw.</returns>
    public static ArgumentException RepeatedMember(string type, string name, string property)
        => new(type + ".AdditionalProperties has \"" + name + "\", which " + type + "." + property
            + " sends: set that property instead (an extra member is never sent beside the declared one of the same name).");
}
