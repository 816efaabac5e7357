using System.Globalization;
using System.Text;

namespace Baseten.Aot.Generator.Model;

/// <summary>
/// Text between double quotes with backslash escapes, which JSON and C# share: the parser renders
/// spec values as JSON with it, the emitter writes C# string literals with it.
/// </summary>
internal static class QuotedText
{
    /// <summary>
    /// Appends <paramref name="value"/> quoted. As JSON, only the characters JSON requires are
    /// escaped; as C#, also NUL, every line break C# knows, DEL and lone surrogates, so nothing in the
    /// text can end the literal or the line.
    /// </summary>
    public static StringBuilder Append(StringBuilder builder, string value, bool csharp)
    {
        builder.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0' when csharp: builder.Append("\\0"); break;
                default:
                    if (c < ' ' || (csharp && (c == '\u0085' || c == '\u2028' || c == '\u2029' || char.IsSurrogate(c) || c == '\u007f')))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"');
    }
}
