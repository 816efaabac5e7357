using System;
using System.ComponentModel;
using System.Globalization;
using System.Text.Json;

namespace Baseten.Aot.Http;

/// <summary>
/// Reads OpenAPI's formats (<c>date</c>, <c>uuid</c>, <c>decimal</c>, <c>uint8</c>, ...) for the generated
/// readers: the text forms System.Text.Json's own converters accept, and a value that does not fit is a
/// <see cref="JsonException"/> that names the member it was read for (never the value, which may be private).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class JsonScalar
{
    private static readonly string[] s_timeFormats = ["HH':'mm':'ss", "HH':'mm':'ss'.'FFFFFFF"];

    /// <summary>Parses ISO 8601 full-date, <c>yyyy-MM-dd</c>, as System.Text.Json's DateOnly converter does.</summary>
    public static bool TryParse(string? text, out DateOnly value)
        => DateOnly.TryParseExact(text, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary>
    /// Parses <c>HH:mm:ss</c> with up to seven fractional digits, and an optional offset (<c>Z</c> or
    /// <c>+hh:mm</c>/<c>-hh:mm</c>): OpenAPI's <c>time</c> is RFC 3339's full-time, which carries one,
    /// while System.Text.Json's TimeOnly converter writes none. A <see cref="TimeOnly"/> has no offset,
    /// so a time with one is read as its time of day in UTC (<c>09:00:00+01:00</c> is 08:00:00).
    /// </summary>
    public static bool TryParse(string? text, out TimeOnly value)
    {
        value = default;
        if (text is null || text.Length < 8)
        {
            return false;
        }

        TimeSpan offset = TimeSpan.Zero;
        ReadOnlySpan<char> time = text;
        char last = text[^1];
        if (last is 'Z' or 'z')
        {
            time = time[..^1];
        }
        else if (text.Length >= 14 && text[^6] is '+' or '-' && text[^3] == ':')
        {
            if (!int.TryParse(text.AsSpan(text.Length - 5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int hours)
                || !int.TryParse(text.AsSpan(text.Length - 2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int minutes)
                || hours > 23 || minutes > 59)
            {
                return false;
            }

            offset = new TimeSpan(hours, minutes, 0);
            if (text[^6] == '-')
            {
                offset = -offset;
            }

            time = time[..^6];
        }

        if (!TimeOnly.TryParseExact(time, s_timeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out TimeOnly local))
        {
            return false;
        }

        value = local.Add(-offset);
        return true;
    }

    /// <summary>Parses an absolute or relative address, as System.Text.Json's Uri converter does.</summary>
    public static bool TryParse(string? text, out Uri? value)
    {
        value = null;
        return text is not null && Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out value);
    }

    /// <summary>Reads a <c>date</c> string.</summary>
    /// <param name="reader">At the value.</param>
    /// <param name="member">What the value is read for, as a message names it: <c>'born' of Pet</c>.</param>
    /// <exception cref="JsonException">The value is not a string in <c>yyyy-MM-dd</c> form.</exception>
    public static DateOnly ReadDate(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.String && TryParse(reader.GetString(), out DateOnly value) ? value : throw NotA("a date (yyyy-MM-dd)", member, reader.TokenType);

    /// <summary>Reads a <c>time</c> string.</summary>
    /// <param name="reader">At the value.</param>
    /// <param name="member">What the value is read for, as a message names it.</param>
    /// <exception cref="JsonException">The value is not a string in <c>HH:mm:ss[.fffffff]</c> form, with or without an offset.</exception>
    public static TimeOnly ReadTime(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.String && TryParse(reader.GetString(), out TimeOnly value) ? value : throw NotA("a time (HH:mm:ss[.fffffff], optionally with an offset)", member, reader.TokenType);

    /// <summary>Reads a <c>uuid</c> string.</summary>
    /// <param name="reader">At the value.</param>
    /// <param name="member">What the value is read for, as a message names it.</param>
    /// <exception cref="JsonException">The value is not a UUID string.</exception>
    public static Guid ReadGuid(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out Guid value) ? value : throw NotA("a UUID", member, reader.TokenType);

    /// <summary>Reads a <c>uri</c> string; a JSON null is null.</summary>
    /// <param name="reader">At the value.</param>
    /// <param name="member">What the value is read for, as a message names it.</param>
    /// <exception cref="JsonException">The value is not a string that is an address.</exception>
    public static Uri? ReadUri(ref Utf8JsonReader reader, string member)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        return reader.TokenType == JsonTokenType.String && TryParse(reader.GetString(), out Uri? value) ? value : throw NotA("an address (uri)", member, reader.TokenType);
    }

    /// <summary>Reads a <c>byte</c> (base64) string; a JSON null is null.</summary>
    /// <param name="reader">At the value.</param>
    /// <param name="member">What the value is read for, as a message names it.</param>
    /// <exception cref="JsonException">The value is not a base64 string.</exception>
    public static byte[]? ReadBytes(ref Utf8JsonReader reader, string member)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        return reader.TokenType == JsonTokenType.String && reader.TryGetBytesFromBase64(out byte[]? value) ? value : throw NotA("base64 text", member, reader.TokenType);
    }

    /// <summary>Reads a number exactly as a decimal (<c>12345678901234567.89</c> stays that).</summary>
    /// <param name="reader">At the value.</param>
    /// <param name="member">What the value is read for, as a message names it.</param>
    /// <exception cref="JsonException">The value is not a number a decimal holds.</exception>
    public static decimal ReadDecimal(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out decimal value) ? value : throw NotA("a number a decimal holds", member, reader.TokenType);

    /// <summary>Reads a number as a float.</summary>
    /// <param name="reader">At the value.</param>
    /// <param name="member">What the value is read for, as a message names it.</param>
    /// <exception cref="JsonException">The value is not a number a float holds.</exception>
    public static float ReadSingle(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetSingle(out float value) ? value : throw NotA("a number a float holds", member, reader.TokenType);

    /// <summary>Reads an <c>int8</c>.</summary>
    /// <param name="reader">At the value.</param>
    /// <param name="member">What the value is read for, as a message names it.</param>
    /// <exception cref="JsonException">The value is not an integer from -128 to 127.</exception>
    public static sbyte ReadSByte(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetSByte(out sbyte value) ? value : throw NotA("an integer from -128 to 127 (int8)", member, reader.TokenType);

    /// <summary>Reads an <c>int16</c>.</summary>
    /// <param name="reader">At the value.</param>
    /// <param name="member">What the value is read for, as a message names it.</param>
    /// <exception cref="JsonException">The value is not an integer from -32768 to 32767.</exception>
    public static short ReadInt16(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetInt16(out short value) ? value : throw NotA("an integer from -32768 to 32767 (int16)", member, reader.TokenType);

    /// <summary>Reads a <c>uint8</c>.</summary>
    /// <param name="reader">At the value.</param>
    /// <param name="member">What the value is read for, as a message names it.</param>
    /// <exception cref="JsonException">The value is not an integer from 0 to 255.</exception>
    public static byte ReadByte(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetByte(out byte value) ? value : throw NotA("an integer from 0 to 255 (uint8)", member, reader.TokenType);

    /// <summary>Reads a <c>uint16</c>.</summary>
    /// <param name="reader">At the value.</param>
    /// <param name="member">What the value is read for, as a message names it.</param>
    /// <exception cref="JsonException">The value is not an integer from 0 to 65535.</exception>
    public static ushort ReadUInt16(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetUInt16(out ushort value) ? value : throw NotA("an integer from 0 to 65535 (uint16)", member, reader.TokenType);

    /// <summary>Reads a <c>uint32</c>.</summary>
    /// <param name="reader">At the value.</param>
    /// <param name="member">What the value is read for, as a message names it.</param>
    /// <exception cref="JsonException">The value is not an integer from 0 to 4294967295.</exception>
    public static uint ReadUInt32(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetUInt32(out uint value) ? value : throw NotA("an integer from 0 to 4294967295 (uint32)", member, reader.TokenType);

    /// <summary>Reads a <c>uint64</c>.</summary>
    /// <param name="reader">At the value.</param>
    /// <param name="member">What the value is read for, as a message names it.</param>
    /// <exception cref="JsonException">The value is not an integer from 0 to 18446744073709551615.</exception>
    public static ulong ReadUInt64(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out ulong value) ? value : throw NotA("an integer from 0 to 18446744073709551615 (uint64)", member, reader.TokenType);

    private static JsonException NotA(string what, string member, JsonTokenType token)
        => new("The JSON value for " + member + " could not be read: expected " + what + ", found " + (token == JsonTokenType.String ? "a string that is not one" : token.ToString()) + ".");
}
