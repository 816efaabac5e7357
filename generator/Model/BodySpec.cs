namespace Baseten.Aot.Generator.Model;

internal enum BodyKind
{
    Json,
    Text,
    Binary,
    FormUrlEncoded,
    Multipart,
}

/// <summary>
/// A request body. JSON and text bodies are one parameter; a binary body is a <c>Stream</c>; the
/// members of a form or multipart body are parameters of their own (<see cref="Fields"/>).
/// </summary>
internal sealed record BodySpec(string ParameterName, TypeRef Type, bool IsRequired, DocSpec Doc, BodyKind Kind = BodyKind.Json, string MediaType = "application/json")
{
    public EquatableArray<FieldSpec> Fields { get; init; } = EquatableArray<FieldSpec>.Empty;
}

/// <summary>A member of a form or multipart body, as a method parameter; a file is a <c>Stream</c>.</summary>
internal sealed record FieldSpec(string ParameterName, string WireName, TypeRef Type, bool IsRequired, bool IsFile, DocSpec Doc);
