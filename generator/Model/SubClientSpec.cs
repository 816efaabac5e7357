namespace Baseten.Aot.Generator.Model;

/// <summary>
/// The operations of one tag, grouped behind a property of the client (<c>client.Repos</c>) when
/// <c>BasetenClientPerTag</c> is set: a class over the client's transport, with its own interface.
/// </summary>
/// <param name="Tag">The tag as the document writes it.</param>
/// <param name="PropertyName">The client's property that returns it.</param>
/// <param name="ClassName">Its class, in the client's namespace.</param>
/// <param name="InterfaceName">The interface it implements, or null when the client has none.</param>
/// <param name="Operations">Its operations, named within it (the tag's own prefix dropped).</param>
internal sealed record SubClientSpec(
    string Tag,
    string PropertyName,
    string ClassName,
    string? InterfaceName,
    EquatableArray<OperationSpec> Operations);
