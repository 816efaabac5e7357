namespace Baseten.Aot.Generator.Model;

/// <summary>Documentation carried from the spec into XML doc comments.</summary>
internal sealed record DocSpec(
    string? Summary,
    string? Remarks,
    string? Default,
    EquatableArray<string> Examples,
    bool Deprecated)
{
    public static DocSpec None { get; } = new(null, null, null, EquatableArray<string>.Empty, false);
}
