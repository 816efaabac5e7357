using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Parsing;

/// <summary>One OpenAPI file that opted in, with its options: the input of the parse step.</summary>
internal sealed record OpenApiFile(string Path, string Text, string? ClientName, string? Namespace);

/// <summary>
/// The output of the parse step: the model (null when errors leave nothing to emit) and the
/// diagnostics. Only the diagnostics carry positions, so an edit that moves text but changes
/// no meaning yields an equal <see cref="Spec"/>.
/// </summary>
internal sealed record ParseResult(ApiSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
