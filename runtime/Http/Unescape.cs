using System;
using System.Globalization;
using System.Text;

namespace Baseten.Aot.Http;

/// <summary>Undoes the escapes a server may echo a secret in, so that redaction finds it; lenient, never throws.</summary>
internal static class Unescape
{
    /// <summary>JSON string escapes decoded (<c>\uXXXX</c>, <c>\/</c>, <c>\n</c>, ...); a malformed one is kept as written.</summary>
    public static string Json(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                builder.Append(c);
                continue;
            }

            char next = text[i + 1];
            switch (next)
            {
                case 'u' when i + 5 < text.Length && ushort.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code):
                    builder.Append((char)code);
                    i += 5;
                    break;
                case '"' or '\\' or '/':
                    builder.Append(next);
                    i++;
                    break;
                case 'n':
                    builder.Append('\n');
                    i++;
                    break;
                case 'r':
                    builder.Append('\r');
                    i++;
                    break;
                case 't':
                    builder.Append('\t');
                    i++;
                    break;
                case 'b':
                    builder.Append('\b');
                    i++;
                    break;
                case 'f':
                    builder.Append('\f');
                    i++;
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Percent-escapes decoded, or null when the text is not valid percent-encoding.</summary>
    public static string? Percent(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
