namespace Baseten.Aot.Generator.Parsing;

/// <summary>Where a node starts in the file: character offset and 0-based line and column.</summary>
internal readonly record struct TextMark(int Offset, int Line, int Column);
