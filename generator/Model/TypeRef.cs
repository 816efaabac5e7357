namespace Baseten.Aot.Generator.Model;

internal enum TypeKind
{
    String,
    Boolean,
    Int32,
    Int64,
    Double,
    DateTimeOffset,
    JsonElement,
    Model,
    Enum,
    Union,
    Array,
    Map,

    /// <summary>A binary body or part: <c>System.IO.Stream</c>, never in JSON.</summary>
    Stream,
}

/// <summary>
/// A C# type as the generator sees it: a kind, the declared name for models and enums, the
/// element type for arrays and maps, and whether null is a legal value.
/// </summary>
internal sealed record TypeRef(TypeKind Kind, bool IsNullable, string? Name = null, TypeRef? Element = null)
{
    public static TypeRef Of(TypeKind kind) => new(kind, false);

    public static TypeRef ModelNamed(string name) => new(TypeKind.Model, false, name);

    public static TypeRef EnumNamed(string name) => new(TypeKind.Enum, false, name);

    public static TypeRef UnionNamed(string name) => new(TypeKind.Union, false, name);

    public static TypeRef ArrayOf(TypeRef element) => new(TypeKind.Array, false, null, element);

    public static TypeRef MapOf(TypeRef element) => new(TypeKind.Map, false, null, element);

    public TypeRef WithNullable(bool nullable) => IsNullable == nullable ? this : this with { IsNullable = nullable };

    /// <summary>Value types become <c>Nullable&lt;T&gt;</c>; reference types only gain an annotation.</summary>
    public bool IsValueType => Kind is TypeKind.Boolean or TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double
        or TypeKind.DateTimeOffset or TypeKind.JsonElement;

    /// <summary>
    /// The type JSON metadata is keyed by: nullable reference types share their metadata with the
    /// non-nullable type (at any depth), nullable value types do not.
    /// </summary>
    public TypeRef MetadataKey => this with
    {
        IsNullable = IsNullable && IsValueType,
        Element = Element?.MetadataKey,
    };
}
