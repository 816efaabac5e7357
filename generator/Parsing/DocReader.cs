using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Parsing;

/// <summary>Reads description, title, default, examples and deprecated into a <see cref="DocSpec"/>.</summary>
internal static class DocReader
{
    /// <summary>Longest rendering of one default or example kept in a doc comment.</summary>
    private const int MaxRenderedLength = 400;

    public static DocSpec Read(YamlMapping? node)
    {
        if (node is null)
        {
            return DocSpec.None;
        }

        string? summary = Text(node["description"]) ?? Text(node["title"]);
        string? defaultValue = node["default"] is { } d ? Render(d) : null;
        var examples = new List<string>();
        if (node["examples"] is YamlSequence many)
        {
            foreach (YamlNode example in many.Items)
            {
                examples.Add(Render(example));
            }
        }
        else if (node["example"] is { } one)
        {
            examples.Add(Render(one));
        }

        return new DocSpec(summary, null, defaultValue, examples.ToEquatableArray(), IsTrue(node["deprecated"]));
    }

    public static string? Text(YamlNode? node)
        => node is YamlScalar scalar && !scalar.IsNull && scalar.Value.Trim().Length > 0 ? scalar.Value.Trim() : null;

    public static bool IsTrue(YamlNode? node) => node is YamlScalar { IsPlain: true } scalar && (scalar.Value == "true" || scalar.Value == "True");

    /// <summary>A node as compact JSON, cut at a readable length; for doc comments only.</summary>
    public static string Render(YamlNode node)
    {
        var builder = new StringBuilder();
        Render(node, builder);
        return builder.Length <= MaxRenderedLength ? builder.ToString() : builder.ToString(0, MaxRenderedLength) + "...";
    }

    private static void Render(YamlNode node, StringBuilder builder)
    {
        if (builder.Length > MaxRenderedLength)
        {
            return;
        }

        switch (node)
        {
            case YamlScalar scalar:
                if (scalar.IsNull)
                {
                    builder.Append("null");
                }
                else if (scalar.IsPlain && (scalar.Value is "true" or "false" || IsNumber(scalar.Value)))
                {
                    builder.Append(scalar.Value);
                }
                else
                {
                    AppendJsonString(builder, scalar.Value);
                }

                break;

            case YamlSequence sequence:
                builder.Append('[');
                for (int i = 0; i < sequence.Items.Count && builder.Length <= MaxRenderedLength; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ", ");
                    Render(sequence.Items[i], builder);
                }

                builder.Append(']');
                break;

            case YamlMapping mapping:
                builder.Append('{');
                for (int i = 0; i < mapping.Entries.Count && builder.Length <= MaxRenderedLength; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ", ");
                    AppendJsonString(builder, mapping.Entries[i].Key.Value);
                    builder.Append(": ");
                    Render(mapping.Entries[i].Value, builder);
                }

                builder.Append('}');
                break;
        }
    }

    public static bool IsNumber(string text)
        => text.Length > 0 && (char.IsDigit(text[0]) || text[0] == '-') && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static void AppendJsonString(StringBuilder builder, string value)
        => QuotedText.Append(builder, value, csharp: false);
}
