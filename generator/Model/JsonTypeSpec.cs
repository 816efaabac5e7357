namespace Baseten.Aot.Generator.Model;

/// <summary>
/// A type the JSON context gives metadata for, with the name of its context property.
/// <see cref="IsRead"/>: the client reads it (it is in a response or an error body, at any depth),
/// so it gets a generated reader. <see cref="IsReadByMetadata"/>: System.Text.Json reaches it through
/// its own metadata when reading (a response itself, a union's case, or the element of one), so a
/// model gets the generated reader as its converter; models read only inside others are read by
/// their parents' generated readers and keep object metadata of their own.
/// </summary>
internal sealed record JsonTypeSpec(string PropertyName, TypeRef Type, bool IsRead = false, bool IsReadByMetadata = false);
