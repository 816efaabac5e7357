namespace Baseten.Aot.Generator.Model;

/// <summary>
/// A union (<c>oneOf</c>/<c>anyOf</c> of several schemas, or a <c>type</c> list). With a
/// <see cref="DiscriminatorProperty"/> it is an abstract class its variants derive from, read by the
/// discriminator's value; without one, a class holding one of its cases, read by JSON token kind
/// and then by which required properties an object has. Either keeps JSON that fits no case.
/// </summary>
internal sealed record UnionSpec(string Name, DocSpec Doc, string? DiscriminatorProperty, EquatableArray<UnionCaseSpec> Cases)
{
    public bool IsDiscriminated => DiscriminatorProperty is not null;
}

/// <summary>
/// One case of a union: the C# member that exposes it, its type, the discriminator values that
/// select it (discriminated unions) and the required properties of an object case (the others).
/// </summary>
internal sealed record UnionCaseSpec(string MemberName, TypeRef Type, EquatableArray<string> DiscriminatorValues, EquatableArray<string> RequiredProperties);
