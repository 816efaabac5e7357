namespace Baseten.Aot.Generator.Model;

/// <summary>How a paged operation says where its next page is.</summary>
internal enum PagingKind
{
    /// <summary>A token in the page (<see cref="PaginationSpec.NextTokenPath"/>) goes back in a query parameter.</summary>
    Cursor,

    /// <summary>The <c>Link</c> header's <c>rel="next"</c> URL (GitHub's shape: <c>page</c>/<c>per_page</c> in the query).</summary>
    LinkHeader,

    /// <summary>A URL in the page's body (<see cref="PaginationSpec.NextTokenPath"/> leads to it).</summary>
    NextUrl,

    /// <summary>An <c>offset</c> query parameter moved on by the items received; <c>limit</c> and a total may end the walk early.</summary>
    OffsetLimit,
}

/// <summary>
/// A recognised paged operation: how it pages (<see cref="Kind"/>), the parameter that takes the
/// next page's token or offset (none for the URL kinds), the response's list of items (or the
/// body itself when <see cref="ItemsProperty"/> is null), and the path (C# members) to the next
/// token or URL and, when there is one, to "has more" (cursor) or the total (offset).
/// </summary>
internal sealed record PaginationSpec(
    string MethodName,
    string? TokenParameter,
    string? ItemsProperty,
    TypeRef ItemType,
    EquatableArray<string> NextTokenPath,
    EquatableArray<string> HasMorePath)
{
    public PagingKind Kind { get; init; }

    /// <summary>The C# name of the <c>limit</c> parameter (offset paging), whose value caps a page.</summary>
    public string? LimitParameter { get; init; }

    /// <summary>The C# member path to the total number of items (offset paging); empty for none.</summary>
    public EquatableArray<string> TotalPath { get; init; } = EquatableArray<string>.Empty;
}
