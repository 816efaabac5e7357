namespace Baseten.Aot.Generator.Model;

/// <summary>
/// One property of a model: its C# name, its exact wire name, its C# type (nullable when optional)
/// and whether the schema itself allows null.
/// <see cref="Initializer"/> is the JSON text of the value the property starts with: a <c>const</c>,
/// or the value that selects this variant of a discriminated union.
/// </summary>
internal sealed record PropertySpec(string Name, string JsonName, TypeRef Type, bool IsRequired, bool AllowsNull, DocSpec Doc, string? Initializer = null)
{
    /// <summary>
    /// An optional property that may be null on the wire has three states: unset (omitted), null
    /// (sent as null, e.g. "clear this") and a value. The model records which were assigned.
    /// </summary>
    public bool TracksAssignment => !IsRequired && AllowsNull;
}
