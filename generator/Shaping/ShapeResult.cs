using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Shaping;

/// <summary>
/// The output of the shaping step: the model (null when errors leave nothing to emit) and every
/// diagnostic so far. Only the diagnostics carry positions, so an edit that moves text but changes
/// no meaning yields an equal <see cref="Spec"/>.
/// </summary>
internal sealed record ShapeResult(ApiSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>The document's path: where a failure to emit its files is reported.</summary>
    public string SourcePath { get; init; } = string.Empty;
}
