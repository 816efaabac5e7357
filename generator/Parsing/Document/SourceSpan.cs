namespace Baseten.Aot.Generator.Parsing.Document;

/// <summary>Where a piece of the document is: the start and end of its YAML node.</summary>
internal readonly record struct SourceSpan(TextMark Start, TextMark End)
{
    public static SourceSpan Of(YamlNode? node) => node is null ? default : new SourceSpan(node.Start, node.End);
}
