using System;

namespace Baseten.Aot.Generator.Model;

/// <summary>C# spellings of a <see cref="TypeRef"/>: fully qualified type names and metadata property names.</summary>
internal static class TypeNames
{
    public const string ReadOnlyList = "global::System.Collections.Generic.IReadOnlyList";
    public const string ReadOnlyDictionary = "global::System.Collections.Generic.IReadOnlyDictionary";
    public const string JsonElement = "global::System.Text.Json.JsonElement";
    public const string DateTimeOffset = "global::System.DateTimeOffset";

    /// <summary>The type as written in generated code, with <c>?</c> where null is legal.</summary>
    public static string CSharp(TypeRef type, string ns)
    {
        string name = type.Kind switch
        {
            TypeKind.String => "string",
            TypeKind.Boolean => "bool",
            TypeKind.Int32 => "int",
            TypeKind.Int64 => "long",
            TypeKind.Double => "double",
            TypeKind.DateTimeOffset => DateTimeOffset,
            TypeKind.DateOnly => "global::System.DateOnly",
            TypeKind.TimeOnly => "global::System.TimeOnly",
            TypeKind.Guid => "global::System.Guid",
            TypeKind.Uri => "global::System.Uri",
            TypeKind.ByteArray => "byte[]",
            TypeKind.Decimal => "decimal",
            TypeKind.Single => "float",
            TypeKind.SByte => "sbyte",
            TypeKind.Int16 => "short",
            TypeKind.Byte => "byte",
            TypeKind.UInt16 => "ushort",
            TypeKind.UInt32 => "uint",
            TypeKind.UInt64 => "ulong",
            TypeKind.JsonElement => JsonElement,
            TypeKind.Stream => "global::System.IO.Stream",
            TypeKind.Model or TypeKind.Enum or TypeKind.Union => "global::" + ns + "." + type.Name,
            TypeKind.Array => ReadOnlyList + "<" + CSharp(type.Element!, ns) + ">",
            TypeKind.Map => ReadOnlyDictionary + "<string, " + CSharp(type.Element!, ns) + ">",
            _ => throw new InvalidOperationException("Unknown type kind " + type.Kind),
        };

        return type.IsNullable ? name + "?" : name;
    }

    /// <summary>The type without its own nullability (the element keeps its own).</summary>
    public static string CSharpNonNullable(TypeRef type, string ns) => CSharp(type.WithNullable(false), ns);

    /// <summary>The name of the context property for a type, in the shape System.Text.Json uses (<c>NullableInt32</c>).</summary>
    public static string InfoName(TypeRef type)
    {
        string name = type.Kind switch
        {
            TypeKind.Model or TypeKind.Enum or TypeKind.Union => type.Name!,
            TypeKind.Array => "IReadOnlyList" + InfoName(type.Element!.MetadataKey),
            TypeKind.Map => "IReadOnlyDictionaryString" + InfoName(type.Element!.MetadataKey),
            _ => type.Kind.ToString(),
        };

        return type.IsNullable && type.IsValueType ? "Nullable" + name : name;
    }
}
