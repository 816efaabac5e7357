using System.Text;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

/// <summary>Makes spec text safe inside generated C#: string literals and XML doc comments.</summary>
internal static class CSharpText
{
    /// <summary>A C# string literal for any text: nothing in it can end the literal or the line.</summary>
    public static string Literal(string value)
        => QuotedText.Append(new StringBuilder(value.Length + 2), value, csharp: true).ToString();

    /// <summary>
    /// Text for an XML doc comment: markup characters escaped, and every character C# treats as a
    /// line break folded, so spec text can neither end the comment nor inject code.
    /// </summary>
    public static string Xml(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '\r':
                case '\n':
                case '\u0085':
                case '\u2028':
                case '\u2029':
                    builder.Append('\n');
                    break;
                default:
                    builder.Append(c < ' ' && c != '\t' ? ' ' : c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Text for one line of an XML doc comment: escaped as <see cref="Xml"/>, line breaks folded to spaces.</summary>
    public static string XmlLine(string text) => Xml(text).Replace('\n', ' ');

    /// <summary>Writes the XML doc comment of a member: summary, remarks, default and examples.</summary>
    public static void WriteDoc(SourceWriter writer, DocSpec doc, string fallbackSummary)
    {
        WriteElement(writer, "summary", doc.Summary ?? fallbackSummary);
        if (doc.Remarks is not null || doc.Default is not null)
        {
            var remarks = new StringBuilder();
            if (doc.Remarks is not null)
            {
                remarks.Append(doc.Remarks);
            }

            if (doc.Default is not null)
            {
                remarks.Append(remarks.Length > 0 ? "\n" : string.Empty).Append("Server default: ").Append(doc.Default).Append('.');
            }

            WriteElement(writer, "remarks", remarks.ToString());
        }

        foreach (string example in doc.Examples)
        {
            WriteElement(writer, "example", example);
        }
    }

    /// <summary>Writes <c>/// &lt;element attributes&gt;text&lt;/element&gt;</c>, one comment line per text line.</summary>
    public static void WriteElement(SourceWriter writer, string element, string text, string attributes = "")
    {
        string open = "<" + element + attributes + ">";
        string close = "</" + element + ">";
        string[] lines = Xml(text).Split('\n');
        if (lines.Length == 1)
        {
            writer.WriteLine("/// " + open + lines[0].Trim() + close);
            return;
        }

        writer.WriteLine("/// " + open);
        foreach (string line in lines)
        {
            writer.WriteLine(line.Trim().Length == 0 ? "///" : "/// " + line.TrimEnd());
        }

        writer.WriteLine("/// " + close);
    }
}
