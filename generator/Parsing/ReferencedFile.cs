namespace Baseten.Aot.Generator.Parsing;

/// <summary>
/// Another AdditionalFile that a document's <c>$ref</c>s reach (directly or through other files), with
/// its text: part of the parse step's input, so that editing it re-parses the documents that use it.
/// </summary>
internal sealed record ReferencedFile(string Path, string Text);
