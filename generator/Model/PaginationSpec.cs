namespace Baseten.Aot.Generator.Model;

/// <summary>
/// A recognised paged operation: the parameter that takes the next page's token, the response's
/// list of items, and the path (C# members) to the next token and, when there is one, to "has more".
/// </summary>
internal sealed record PaginationSpec(
    string MethodName,
    string TokenParameter,
    string ItemsProperty,
    TypeRef ItemType,
    EquatableArray<string> NextTokenPath,
    EquatableArray<string> HasMorePath);
