namespace Baseten.Aot.Generator.Model;

/// <summary>
/// One property of a model: its C# name, its exact wire name, its C# type (nullable when optional)
/// and whether the schema itself allows null.
/// <see cref="Initializer"/> is the JSON text of the value the property starts with: a <c>const</c>,
/// or the value that selects this variant of a discriminated union.
/// <see cref="IsReadOnly"/> members (the server sets them) are read but never written; <see cref="IsWriteOnly"/>
/// members (a password) are written but a response may leave them out even when they are required.
/// <see cref="IsDiscriminator"/>: the discriminator of a base schema and the models derived from it, a
/// string the type itself sets (<see cref="Initializer"/> holds its value) and the caller cannot.
/// </summary>
internal sealed record PropertySpec(string Name, string JsonName, TypeRef Type, bool IsRequired, bool AllowsNull, DocSpec Doc, string? Initializer = null, bool IsReadOnly = false, bool IsWriteOnly = false, bool IsDiscriminator = false)
{
    /// <summary>Required when read: in a response (a required writeOnly member never is).</summary>
    public bool IsRequiredToRead => IsRequired && !IsWriteOnly;

    /// <summary>Required when written: set by the caller before a request (a required readOnly member never is).</summary>
    public bool IsRequiredToWrite => IsRequired && !IsReadOnly;

    /// <summary>
    /// An optional property that may be null on the wire has three states: unset (omitted), null
    /// (sent as null, e.g. "clear this") and a value. The model records which were assigned.
    /// </summary>
    public bool TracksAssignment => !IsRequired && AllowsNull;

    /// <summary>
    /// The field of the context's <c>PropertyNames.{Model}</c> class that holds the pre-encoded
    /// <see cref="JsonName"/>: <see cref="Name"/>, unless that is the model's own name (an inherited
    /// property may have it), which a member of the class named after the model cannot take.
    /// Shaping assigns it.
    /// </summary>
    public string EncodedNameField { get; init; } = Name;
}
