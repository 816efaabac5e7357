using System;
using System.IO;
using System.Text.Json;

namespace Baseten.Aot.Cli;

/// <summary>
/// What a JSON body file must look like: models with known members (a misspelt member is an error,
/// not silently dropped), arrays, strings, integers, booleans and open enums. A body is checked
/// with a <see cref="Utf8JsonReader"/> and copied token by token to a <see cref="Utf8JsonWriter"/>,
/// and the bytes written are sent: no request model is built, so the native CLI keeps no
/// System.Text.Json object metadata for them (about 47 KB).
/// </summary>
internal sealed class BodyShape
{
    private enum Kind
    {
        Model,
        Array,
        String,
        Integer,
        Boolean,
        Enum,
    }

    private readonly Kind _kind;
    private readonly string _name;
    private readonly BodyShape? _item;
    private readonly Member[] _members;

    private BodyShape(Kind kind, string name, BodyShape? item, Member[] members)
    {
        _kind = kind;
        _name = name;
        _item = item;
        _members = members;
    }

    public static BodyShape String { get; } = new(Kind.String, "string", null, []);

    public static BodyShape Integer { get; } = new(Kind.Integer, "integer", null, []);

    public static BodyShape Boolean { get; } = new(Kind.Boolean, "boolean", null, []);

    /// <summary>A model (a JSON object) named <paramref name="name"/> in messages, with these members and no others.</summary>
    public static BodyShape Model(string name, params Member[] members) => new(Kind.Model, name, null, members);

    public static BodyShape ArrayOf(BodyShape item) => new(Kind.Array, "array", item, []);

    /// <summary>An open enum: any string, as the generated enum reads it.</summary>
    public static BodyShape Enum(string name) => new(Kind.Enum, name, null, []);

    /// <summary>The model's name; the type's kind otherwise.</summary>
    public string Name => _name;

    /// <summary>An array's items; null otherwise.</summary>
    public BodyShape? Item => _item;

    /// <summary>A model's members; empty otherwise.</summary>
    public ReadOnlySpan<Member> Members => _members;

    public bool IsModel => _kind == Kind.Model;

    public bool IsEnum => _kind == Kind.Enum;

    /// <summary>
    /// Checks <paramref name="body"/> (one JSON object of this model) and writes it to
    /// <paramref name="writer"/>, with <paramref name="replaced"/> written first as
    /// <paramref name="replacement"/> and left out where the body has it (it is still checked).
    /// </summary>
    /// <exception cref="JsonException">
    /// The body is not JSON (the reader's exception), or does not have this shape: the path, line and
    /// byte (from 0) of the value that does not fit, and what was expected.
    /// </exception>
    public void Copy(byte[] body, Utf8JsonWriter writer, string replaced, string replacement)
    {
        var reader = new Utf8JsonReader(body);
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            throw new JsonException("it is JSON null, not an object");
        }

        CopyValue(ref reader, writer, body, "$", replaced, replacement);

        // Anything after the one value: the reader throws its own "invalid after a single JSON value".
        reader.Read();
    }

    private void CopyValue(ref Utf8JsonReader reader, Utf8JsonWriter writer, byte[] body, string path, string? replaced, string? replacement)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            writer.WriteNullValue();
            return;
        }

        switch (_kind)
        {
            case Kind.Model when reader.TokenType == JsonTokenType.StartObject:
                CopyModel(ref reader, writer, body, path, replaced, replacement);
                return;
            case Kind.Array when reader.TokenType == JsonTokenType.StartArray:
                writer.WriteStartArray();
                for (int index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
                {
                    _item!.CopyValue(ref reader, writer, body, path + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", null, null);
                }

                writer.WriteEndArray();
                return;
            case Kind.String or Kind.Enum when reader.TokenType == JsonTokenType.String:
                writer.WriteStringValue(reader.GetString());
                return;
            case Kind.Integer when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long number):
                writer.WriteNumberValue(number);
                return;
            case Kind.Boolean when reader.TokenType is JsonTokenType.True or JsonTokenType.False:
                writer.WriteBooleanValue(reader.GetBoolean());
                return;
            default:
                throw Mismatch(ref reader, body, path, _kind == Kind.Enum ? _name + " must be a JSON string" : "expected " + Expected());
        }
    }

    private void CopyModel(ref Utf8JsonReader reader, Utf8JsonWriter writer, byte[] body, string path, string? replaced, string? replacement)
    {
        writer.WriteStartObject();
        if (replaced is not null)
        {
            writer.WriteString(replaced, replacement);
        }

        ulong seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int index = IndexOf(ref reader);
            if (index < 0)
            {
                throw Mismatch(ref reader, body, path, "'" + reader.GetString() + "' is not a property of " + _name + " (misspelt?)");
            }

            Member member = _members[index];
            if ((seen & (1UL << index)) != 0)
            {
                // Servers disagree on which of two values wins; the file's author decides, not us.
                throw Mismatch(ref reader, body, path, "'" + member.Name + "' appears twice in " + _name);
            }

            seen |= 1UL << index;
            reader.Read();
            string memberPath = path + "." + member.Name;
            if (reader.TokenType == JsonTokenType.Null && member.NotNull)
            {
                throw Mismatch(ref reader, body, memberPath, "The JSON property '" + member.Name + "' of " + _name + " is required and cannot be null");
            }

            if (member.Name == replaced)
            {
                // Checked, not written: the replacement went first.
                using var discarded = new Utf8JsonWriter(Stream.Null);
                member.Shape.CopyValue(ref reader, discarded, body, memberPath, null, null);
                continue;
            }

            writer.WritePropertyName(member.Name);
            member.Shape.CopyValue(ref reader, writer, body, memberPath, null, null);
        }

        for (int index = 0; index < _members.Length; index++)
        {
            if (_members[index].Required && (seen & (1UL << index)) == 0)
            {
                throw Mismatch(ref reader, body, path, _name + " is missing its required property '" + _members[index].Name + "'");
            }
        }

        writer.WriteEndObject();
    }

    private int IndexOf(ref Utf8JsonReader reader)
    {
        for (int index = 0; index < _members.Length; index++)
        {
            if (reader.ValueTextEquals(_members[index].Name))
            {
                return index;
            }
        }

        return -1;
    }

    // What a value of this shape is, in JSON terms.
    private string Expected() => _kind switch
    {
        Kind.Model => "a " + _name,
        Kind.Array => "an array, each item " + _item!.Expected(),
        Kind.String => "a string",
        Kind.Integer => "an integer",
        Kind.Boolean => "true or false",
        _ => "a " + _name + " (a string)",
    };

    // Where the reader stands (just after the token that does not fit), as the reader counts it:
    // lines end at '\n', and both line and byte count from 0.
    private static JsonException Mismatch(ref Utf8JsonReader reader, byte[] body, string path, string reason)
    {
        int end = (int)reader.BytesConsumed;
        ReadOnlySpan<byte> before = body.AsSpan(0, end);
        int lineStart = before.LastIndexOf((byte)'\n') + 1;
        return new JsonException(reason, path, before.Count((byte)'\n'), end - lineStart);
    }

    /// <summary>A member of a model: its JSON name and shape, whether it must be there, whether it may be null.</summary>
    internal sealed class Member(string name, BodyShape shape, bool required = false, bool notNull = false)
    {
        public string Name { get; } = name;

        public BodyShape Shape { get; } = shape;

        public bool Required { get; } = required;

        public bool NotNull { get; } = notNull || required;
    }
}
