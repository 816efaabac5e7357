namespace Baseten.Aot.Generator.Model;

/// <summary>A string enum, emitted as an open enum class.</summary>
internal sealed record EnumSpec(string Name, DocSpec Doc, EquatableArray<EnumMemberSpec> Members);

internal sealed record EnumMemberSpec(string Name, string Value);
