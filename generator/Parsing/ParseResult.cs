using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Parsing;

/// <summary>The output of the parse step: the document (null when it cannot be read at all) and the diagnostics.</summary>
internal sealed record ParseResult(OpenApiDocument? Document, EquatableArray<DiagnosticInfo> Diagnostics);
