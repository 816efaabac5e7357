using System;

namespace Baseten.Aot.Generator.Model;

// The model the emitters read. Cacheability contract: every type here is an immutable record
// with structural equality, holds no Roslyn symbol, syntax node, compilation or location, and
// uses EquatableArray for collections. Two parses that differ only in comments or positions
// therefore produce equal models, and the emit step stays cached.

/// <summary>Everything generated for one OpenAPI file.</summary>
internal sealed record ApiSpec(
    string Namespace,
    string ClientName,
    string ContextName,
    string Title,
    string? DefaultBaseAddress,
    EquatableArray<ModelSpec> Models,
    EquatableArray<EnumSpec> Enums,
    EquatableArray<OperationSpec> Operations,
    EquatableArray<JsonTypeSpec> JsonTypes);

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

/// <summary>A <c>components/schemas</c> object, emitted as a sealed class.</summary>
internal sealed record ModelSpec(string Name, DocSpec Doc, EquatableArray<PropertySpec> Properties)
{
    public bool HasRequiredMembers
    {
        get
        {
            foreach (PropertySpec property in Properties)
            {
                if (property.IsRequired)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>One property of a model: its C# name, its exact wire name and its type.</summary>
internal sealed record PropertySpec(string Name, string JsonName, TypeRef Type, bool IsRequired, DocSpec Doc);

/// <summary>A string enum, emitted as an open enum struct.</summary>
internal sealed record EnumSpec(string Name, DocSpec Doc, EquatableArray<EnumMemberSpec> Members);

internal sealed record EnumMemberSpec(string Name, string Value);

/// <summary>One operation, emitted as one async method on the client.</summary>
internal sealed record OperationSpec(
    string MethodName,
    string HttpMethod,
    string Path,
    EquatableArray<PathSegmentSpec> PathSegments,
    EquatableArray<ParameterSpec> Parameters,
    BodySpec? Body,
    TypeRef? Response,
    DocSpec Doc);

/// <summary>A piece of a path template: literal text, or the index of a path parameter.</summary>
internal sealed record PathSegmentSpec(string? Literal, int ParameterIndex);

internal enum ParameterLocation
{
    Path,
    Query,
}

internal sealed record ParameterSpec(
    string Name,
    string WireName,
    ParameterLocation Location,
    TypeRef Type,
    bool IsRequired,
    DocSpec Doc);

internal sealed record BodySpec(string ParameterName, TypeRef Type, bool IsRequired, DocSpec Doc);

/// <summary>A type the JSON context gives metadata for, with the name of its context property.</summary>
internal sealed record JsonTypeSpec(string PropertyName, TypeRef Type);
