using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Text;

namespace Baseten.Aot.Http;

/// <summary>
/// The text of a parameter value as OpenAPI's <c>simple</c> and <c>form</c> styles write it, for
/// generated clients: invariant culture, round-trip numbers and dates, lower-case booleans.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ParameterFormat
{
    /// <summary>The value itself.</summary>
    public static string Text(string value) => value;

    /// <summary>Decimal digits, invariant culture.</summary>
    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Decimal digits, invariant culture.</summary>
    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The shortest text that reads back as the same double, invariant culture.</summary>
    public static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public static string Text(bool value) => value ? "true" : "false";

    /// <summary>ISO 8601, round-trip form.</summary>
    public static string Text(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 full-date, <c>yyyy-MM-dd</c>, as System.Text.Json writes it.</summary>
    public static string Text(DateOnly value) => value.ToString("O", CultureInfo.InvariantCulture);

    /// <summary><c>HH:mm:ss.fffffff</c>, as System.Text.Json writes it.</summary>
    public static string Text(TimeOnly value) => value.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Lower-case hex with hyphens (<c>D</c>), as System.Text.Json writes it.</summary>
    public static string Text(Guid value) => value.ToString("D", CultureInfo.InvariantCulture);

    /// <summary>The address as it was given (<see cref="Uri.OriginalString"/>), as System.Text.Json writes it.</summary>
    public static string Text(Uri value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.OriginalString;
    }

    /// <summary>Base64 with padding (OpenAPI's <c>format: byte</c>), as System.Text.Json writes it.</summary>
    public static string Text(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Convert.ToBase64String(value);
    }

    /// <summary>Every digit the decimal holds, invariant culture.</summary>
    public static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The shortest text that reads back as the same float, invariant culture.</summary>
    public static string Text(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Decimal digits, invariant culture.</summary>
    public static string Text(sbyte value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Decimal digits, invariant culture.</summary>
    public static string Text(short value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Decimal digits, invariant culture.</summary>
    public static string Text(byte value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Decimal digits, invariant culture.</summary>
    public static string Text(ushort value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Decimal digits, invariant culture.</summary>
    public static string Text(uint value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Decimal digits, invariant culture.</summary>
    public static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The values joined by <paramref name="delimiter"/> (<c>,</c> for <c>explode: false</c>, a space
    /// for <c>spaceDelimited</c>, <c>|</c> for <c>pipeDelimited</c>); null for a null list.
    /// </summary>
    public static string? Delimited<T>(IEnumerable<T>? values, Func<T, string> format, string delimiter)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(delimiter);
        if (values is null)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (T value in values)
        {
            if (builder.Length > 0)
            {
                builder.Append(delimiter);
            }

            builder.Append(format(value));
        }

        return builder.ToString();
    }

    /// <summary>
    /// A value for a variable of a server URL (<c>https://model-{model_id}.api.baseten.co</c>): it
    /// may land in a host name, so only letters, digits, <c>-</c>, <c>.</c>, <c>_</c> and <c>~</c> are accepted.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty or holds any other character.</exception>
    public static string ServerVariable(string value, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (value.Length == 0)
        {
            throw new ArgumentException("The value is empty.", parameterName);
        }

        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~'))
            {
                throw new ArgumentException("The value may hold only letters, digits, '-', '.', '_' and '~': it is part of the server's address.", parameterName);
            }
        }

        return value;
    }
}
