using System;
using System.Linq;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

internal enum EmitKind
{
    Model,
    Enum,
    Union,
    Context,
    TypeMetadata,
    Client,
    ClientInterface,
    SubClient,
    SubClientInterface,
    Webhooks,
}

/// <summary>
/// One generated file and the slice of the model it is written from: only what that file reads,
/// so that the incremental pipeline re-emits a file only when something it shows changed. A
/// one-schema edit re-emits that schema's class and metadata (and the client, when an operation
/// uses it), not the other files. <see cref="SourcePath"/> is the document's, for reporting a failure.
/// </summary>
internal sealed record EmitUnit(string HintName, EmitKind Kind, ApiSpec Slice, string TypeName, string SourcePath)
{
    // Set on the one unit EmitPlan returns when it could not split the document.
    private DiagnosticInfo? _planFailure;

    /// <summary>A unit that writes nothing and reports <paramref name="exception"/>, thrown while trying to <paramref name="step"/> the document, as BTN0013.</summary>
    public static EmitUnit Failed(ApiSpec spec, string sourcePath, string step, Exception exception)
        => new(spec.Namespace + ".failed", EmitKind.Client, spec, spec.ClientName, sourcePath) { _planFailure = Failure(step, exception, sourcePath) };

    /// <summary>
    /// The file's text; or, when an emitter throws (a bug of ours), BTN0013 at the document naming
    /// this file, so that it surfaces as our diagnostic rather than as Roslyn's CS8785 with no location.
    /// </summary>
    public bool TryEmit(out string source, out DiagnosticInfo? failure)
    {
        if (_planFailure is not null)
        {
            source = string.Empty;
            failure = _planFailure;
            return false;
        }

        try
        {
            source = Emit();
            failure = null;
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            source = string.Empty;
            failure = Failure("write " + HintName + " from", exception, SourcePath);
            return false;
        }
    }

    private static DiagnosticInfo Failure(string step, Exception exception, string sourcePath)
        => new(
            DiagnosticDescriptors.GeneratorFailure,
            new EquatableArray<string>([step, exception.GetType().Name + ": " + exception.Message]),
            LocationInfo.AtFile(sourcePath));

    public string Emit() => Kind switch
    {
        EmitKind.Model => ModelEmitter.EmitModel(Slice, Slice.Models[0]),
        EmitKind.Enum => EnumEmitter.Emit(Slice, Slice.Enums[0]),
        EmitKind.Union => UnionEmitter.Emit(Slice, Slice.Unions[0]),
        EmitKind.Context => JsonContextEmitter.EmitContext(Slice),
        EmitKind.TypeMetadata => JsonContextEmitter.EmitTypeMetadata(Slice, Slice.JsonTypes.First(t => t.PropertyName == TypeName)),
        EmitKind.ClientInterface => ClientEmitter.EmitInterface(Slice),
        EmitKind.SubClient => ClientEmitter.EmitSubClient(Slice),
        EmitKind.SubClientInterface => ClientEmitter.EmitSubClientInterface(Slice),
        EmitKind.Webhooks => WebhookEmitter.Emit(Slice),
        _ => ClientEmitter.Emit(Slice),
    };
}
