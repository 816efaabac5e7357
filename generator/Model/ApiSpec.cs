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
    /// <summary>The bit of a tracked property in the model's assignment mask, by its index among tracked properties.</summary>
    public int TrackingIndexOf(PropertySpec property)
    {
        int index = 0;
        foreach (PropertySpec candidate in Properties)
        {
            if (candidate == property)
            {
                return index;
            }

            if (candidate.TracksAssignment)
            {
                index++;
            }
        }

        return -1;
    }

    public int TrackedCount
    {
        get
        {
            int count = 0;
            foreach (PropertySpec property in Properties)
            {
                count += property.TracksAssignment ? 1 : 0;
            }

            return count;
        }
    }

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

/// <summary>
/// One property of a model: its C# name, its exact wire name, its C# type (nullable when optional)
/// and whether the schema itself allows null.
/// </summary>
internal sealed record PropertySpec(string Name, string JsonName, TypeRef Type, bool IsRequired, bool AllowsNull, DocSpec Doc)
{
    /// <summary>
    /// An optional property that may be null on the wire has three states: unset (omitted), null
    /// (sent as null, e.g. "clear this") and a value. The model records which were assigned.
    /// </summary>
    public bool TracksAssignment => !IsRequired && AllowsNull;
}

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
