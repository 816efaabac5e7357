namespace Baseten.Aot.Generator.Parsing.Document;

/// <summary>
/// Where a piece of the document is: the start and end of its YAML node, and the file that holds it
/// when that is not the document itself (a schema read through a <c>$ref</c> into another file).
/// </summary>
internal readonly record struct SourceSpan(TextMark Start, TextMark End)
{
    /// <summary>The other file the span is in; null for the document.</summary>
    public string? FilePath { get; init; }

    public static SourceSpan Of(YamlNode? node) => node is null ? default : new SourceSpan(node.Start, node.End) { FilePath = node.FilePath };
}
