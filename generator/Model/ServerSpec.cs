namespace Baseten.Aot.Generator.Model;

/// <summary>A server URL with variables, built by a static method of the client from one argument per variable.</summary>
internal sealed record ServerSpec(string MethodName, string Url, EquatableArray<PathSegmentSpec> Segments, EquatableArray<ServerVariableSpec> Variables, string? Description);

/// <summary>A server variable as a method parameter; <see cref="Default"/> is set when the document gives a real default.</summary>
internal sealed record ServerVariableSpec(string ParameterName, string WireName, string? Default, string? Description);
