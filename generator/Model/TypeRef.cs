namespace Baseten.Aot.Generator.Model;

internal enum TypeKind
{
    String,
    Boolean,
    Int32,
    Int64,
    Double,
    DateTimeOffset,

    // The formats below are named as System.Text.Json names their converters (JsonMetadataServices.DateOnlyConverter, ...).

    /// <summary><c>format: date</c>, <c>yyyy-MM-dd</c>.</summary>
    DateOnly,

    /// <summary><c>format: time</c>, <c>HH:mm:ss[.fffffff]</c> without an offset.</summary>
    TimeOnly,
    Guid,
    Uri,

    /// <summary><c>format: byte</c>, base64 text.</summary>
    ByteArray,
    Decimal,
    Single,
    SByte,
    Int16,
    Byte,
    UInt16,
    UInt32,
    UInt64,
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
        or TypeKind.DateTimeOffset or TypeKind.JsonElement or TypeKind.DateOnly or TypeKind.TimeOnly or TypeKind.Guid
        or TypeKind.Decimal or TypeKind.Single or TypeKind.SByte or TypeKind.Int16 or TypeKind.Byte or TypeKind.UInt16
        or TypeKind.UInt32 or TypeKind.UInt64;

    /// <summary>
    /// A value with one text form (<c>Baseten.Aot.Http.ParameterFormat.Text</c>), so it can stand in a
    /// path, query, header, cookie or form field as it is.
    /// </summary>
    public bool IsScalar => Kind is TypeKind.String or TypeKind.Enum or TypeKind.Boolean or TypeKind.Int32 or TypeKind.Int64
        or TypeKind.Double or TypeKind.DateTimeOffset or TypeKind.DateOnly or TypeKind.TimeOnly or TypeKind.Guid or TypeKind.Uri
        or TypeKind.ByteArray or TypeKind.Decimal or TypeKind.Single or TypeKind.SByte or TypeKind.Int16 or TypeKind.Byte
        or TypeKind.UInt16 or TypeKind.UInt32 or TypeKind.UInt64;

    /// <summary>A JSON number (read and written as one).</summary>
    public bool IsNumber => Kind is TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double or TypeKind.Decimal or TypeKind.Single
        or TypeKind.SByte or TypeKind.Int16 or TypeKind.Byte or TypeKind.UInt16 or TypeKind.UInt32 or TypeKind.UInt64;

    /// <summary>A format carried as a JSON string that the generated readers parse (and name the member when they cannot).</summary>
    public bool IsFormattedString => Kind is TypeKind.DateOnly or TypeKind.TimeOnly or TypeKind.Guid or TypeKind.Uri or TypeKind.ByteArray;

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
