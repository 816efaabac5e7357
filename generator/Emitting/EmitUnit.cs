using System.Linq;
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
}

/// <summary>
/// One generated file and the slice of the model it is written from: only what that file reads,
/// so that the incremental pipeline re-emits a file only when something it shows changed. A
/// one-schema edit re-emits that schema's class and metadata (and the client, when an operation
/// uses it), not the other files.
/// </summary>
internal sealed record EmitUnit(string HintName, EmitKind Kind, ApiSpec Slice, string TypeName)
{
    public string Emit() => Kind switch
    {
        EmitKind.Model => ModelEmitter.EmitModel(Slice, Slice.Models[0]),
        EmitKind.Enum => ModelEmitter.EmitEnum(Slice, Slice.Enums[0]),
        EmitKind.Union => UnionEmitter.Emit(Slice, Slice.Unions[0]),
        EmitKind.Context => JsonContextEmitter.EmitContext(Slice),
        EmitKind.TypeMetadata => JsonContextEmitter.EmitTypeMetadata(Slice, Slice.JsonTypes.First(t => t.PropertyName == TypeName)),
        EmitKind.ClientInterface => ClientEmitter.EmitInterface(Slice),
        _ => ClientEmitter.Emit(Slice),
    };
}
