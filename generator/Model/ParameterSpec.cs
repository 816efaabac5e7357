namespace Baseten.Aot.Generator.Model;

/// <summary>A piece of a path template: literal text, or the index of a path parameter.</summary>
internal sealed record PathSegmentSpec(string? Literal, int ParameterIndex);

internal enum ParameterLocation
{
    Path,
    Query,
    Header,
    Cookie,
}

/// <summary>How a value is written into the URL or a header (OpenAPI's <c>style</c> and <c>explode</c>).</summary>
internal enum ParameterStyle
{
    /// <summary>One value; a list repeats the name (<c>form</c>, exploded) in a query, and is comma-joined elsewhere.</summary>
    Default,

    /// <summary>A list joined by commas (<c>form</c>, <c>explode: false</c>).</summary>
    CommaDelimited,
    SpaceDelimited,
    PipeDelimited,

    /// <summary>An object's scalar members as <c>name[member]=value</c>.</summary>
    DeepObject,

    /// <summary>An object's scalar members as <c>member=value</c> (<c>form</c>, exploded).</summary>
    ObjectMembers,

    /// <summary>A value no style can write (a list of objects, say), sent as JSON text.</summary>
    Json,
}

internal sealed record ParameterSpec(
    string Name,
    string WireName,
    ParameterLocation Location,
    TypeRef Type,
    bool IsRequired,
    DocSpec Doc,
    ParameterStyle Style = ParameterStyle.Default);
