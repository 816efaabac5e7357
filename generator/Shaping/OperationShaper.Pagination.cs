using System;
using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Shaping;

// Paging: an operation whose pages a walker can follow, recognised by the names real documents
// use. Four shapes, tried in this order: a cursor token, a next URL in the body, the Link header
// (page/per_page in the query) and offset/limit.
internal sealed partial class OperationShaper
{
    // Token names of the two shapes recognised: cursor in, pagination.cursor (and has_more) out;
    // page_token in, next_page_token out. The items are the response's list property.
    private static readonly string[] s_cursorParameters = ["cursor", "page_token", "pageToken", "next_token", "starting_after"];
    private static readonly string[] s_nextTokenProperties = ["next_cursor", "next_page_token", "nextPageToken", "next_token", "cursor"];
    private static readonly string[] s_itemsProperties = ["items", "data", "results"];

    // The next page's URL in the body: a member of the page, or links.next, or _links.next(.href) (HAL).
    private static readonly string[] s_nextUrlProperties = ["next", "next_url", "nextUrl", "next_page_url", "nextPageUrl", "next_link", "nextLink", "@odata.nextLink"];
    private static readonly string[] s_linksProperties = ["links", "_links"];

    // The total number of items, which ends an offset walk once it is reached.
    private static readonly string[] s_totalProperties = ["total", "total_count", "totalCount", "count"];

    private PaginationSpec? Paginate(string baseName, List<ParameterSpec> parameters, ResponseSpec response, string method, BodySpec? body)
    {
        if (response is not { Kind: ResponseKind.Json, Type: { } pageType })
        {
            return null;
        }

        string name = baseName + "AutoPagingAsync";
        if (Cursor(name, parameters, pageType) is { } cursor)
        {
            return cursor;
        }

        // The URL walkers send each later page as a GET of the URL the server gave: only an operation that is one can be walked so.
        if (string.Equals(method, "get", StringComparison.OrdinalIgnoreCase) && body is null)
        {
            if (NextUrl(name, pageType) is { } nextUrl)
            {
                return nextUrl;
            }

            if (LinkHeader(name, parameters, pageType) is { } link)
            {
                return link;
            }
        }

        return OffsetLimit(name, parameters, pageType);
    }

    private PaginationSpec? Cursor(string name, List<ParameterSpec> parameters, TypeRef pageType)
    {
        ParameterSpec? token = parameters.Find(p => p.Location == ParameterLocation.Query && !p.IsRequired && p.Style == ParameterStyle.Default && Array.IndexOf(s_cursorParameters, p.WireName) >= 0);
        if (token is null || pageType.Kind != TypeKind.Model || _types.FindModel(pageType.Name!) is not { } page || ItemsOf(page) is not { } items)
        {
            return null;
        }

        // The next token: a property of the page, or of its "pagination" object.
        var path = new List<string>();
        var hasMore = new List<string>();
        PropertySpec? next = NextToken(page, token.Type);
        if (next is not null)
        {
            path.Add(next.Name);
        }
        else if (page.Properties.FirstOrDefault(p => p.JsonName == "pagination" && p.Type.Kind == TypeKind.Model) is { } pagination
                 && _types.FindModel(pagination.Type.Name!) is { } info
                 && NextToken(info, token.Type) is { } nested)
        {
            path.Add(pagination.Name);
            path.Add(nested.Name);
            if (info.Properties.FirstOrDefault(p => p.JsonName == "has_more" && p.Type.Kind == TypeKind.Boolean) is { } more)
            {
                hasMore.Add(pagination.Name);
                hasMore.Add(more.Name);
            }
        }
        else
        {
            return null;
        }

        return new PaginationSpec(name, token.Name, items.Name, items.Type.Element!, path.ToEquatableArray(), hasMore.ToEquatableArray());
    }

    // A page (an object with a list of items) that carries the next page's URL.
    private PaginationSpec? NextUrl(string name, TypeRef pageType)
    {
        if (pageType.Kind != TypeKind.Model || _types.FindModel(pageType.Name!) is not { } page || ItemsOf(page) is not { } items)
        {
            return null;
        }

        var path = new List<string>();
        if (UrlMember(page, s_nextUrlProperties) is { } direct)
        {
            path.Add(direct.Name);
        }
        else if (page.Properties.FirstOrDefault(p => Array.IndexOf(s_linksProperties, p.JsonName) >= 0 && p.Type.Kind == TypeKind.Model) is { } links
                 && _types.FindModel(links.Type.Name!) is { } linksModel
                 && linksModel.Properties.FirstOrDefault(p => p.JsonName == "next") is { } next)
        {
            path.Add(links.Name);
            if (IsUrlText(next.Type))
            {
                path.Add(next.Name);
            }
            else if (next.Type.Kind == TypeKind.Model && _types.FindModel(next.Type.Name!) is { } nextModel && UrlMember(nextModel, ["href"]) is { } href)
            {
                path.Add(next.Name);
                path.Add(href.Name);
            }
            else
            {
                return null;
            }
        }
        else
        {
            return null;
        }

        return new PaginationSpec(name, null, items.Name, items.Type.Element!, path.ToEquatableArray(), EquatableArray<string>.Empty) { Kind = PagingKind.NextUrl };
    }

    // GitHub's shape: page and per_page in the query; the next page's URL comes in the Link header.
    private PaginationSpec? LinkHeader(string name, List<ParameterSpec> parameters, TypeRef pageType)
    {
        if (FindQuery(parameters, "page") is not { } page || !IsInteger(page.Type) || FindQuery(parameters, "per_page") is null)
        {
            return null;
        }

        (string? itemsProperty, TypeRef? itemType) = ItemsOfPage(pageType);
        return itemType is null ? null : new PaginationSpec(name, null, itemsProperty, itemType, EquatableArray<string>.Empty, EquatableArray<string>.Empty) { Kind = PagingKind.LinkHeader };
    }

    // offset and limit in the query: the next offset is this one plus the items received.
    private PaginationSpec? OffsetLimit(string name, List<ParameterSpec> parameters, TypeRef pageType)
    {
        if (FindQuery(parameters, "offset") is not { IsRequired: false } offset || !IsInteger(offset.Type) || FindQuery(parameters, "limit") is not { } limit || !IsInteger(limit.Type))
        {
            return null;
        }

        (string? itemsProperty, TypeRef? itemType) = ItemsOfPage(pageType);
        if (itemType is null)
        {
            return null;
        }

        var total = new List<string>();
        if (itemsProperty is not null && _types.FindModel(pageType.Name!) is { } page
            && page.Properties.FirstOrDefault(p => Array.IndexOf(s_totalProperties, p.JsonName) >= 0 && IsInteger(p.Type)) is { } count)
        {
            total.Add(count.Name);
        }

        return new PaginationSpec(name, offset.Name, itemsProperty, itemType, EquatableArray<string>.Empty, EquatableArray<string>.Empty)
        {
            Kind = PagingKind.OffsetLimit,
            LimitParameter = limit.Name,
            TotalPath = total.ToEquatableArray(),
        };
    }

    // The items of a page: the body itself when it is an array, else the page's list property.
    private (string? Property, TypeRef? ItemType) ItemsOfPage(TypeRef pageType)
    {
        if (pageType.Kind == TypeKind.Array)
        {
            return (null, pageType.Element);
        }

        return pageType.Kind == TypeKind.Model && _types.FindModel(pageType.Name!) is { } page && ItemsOf(page) is { } items
            ? (items.Name, items.Type.Element)
            : (null, null);
    }

    // The page's list: one named like a list of items, else the last array member.
    private static PropertySpec? ItemsOf(ModelSpec page)
    {
        PropertySpec? items = null;
        foreach (PropertySpec property in page.Properties)
        {
            if (property.Type.Kind == TypeKind.Array && (items is null || Array.IndexOf(s_itemsProperties, property.JsonName) >= 0))
            {
                items = property;
            }
        }

        return items;
    }

    private static ParameterSpec? FindQuery(List<ParameterSpec> parameters, string wireName)
        => parameters.Find(p => p.Location == ParameterLocation.Query && p.Style == ParameterStyle.Default && p.WireName == wireName);

    private static bool IsInteger(TypeRef type) => type.Kind is TypeKind.Int32 or TypeKind.Int64;

    private static bool IsUrlText(TypeRef type) => type.Kind is TypeKind.String or TypeKind.Uri;

    private static PropertySpec? UrlMember(ModelSpec model, string[] names)
        => model.Properties.FirstOrDefault(p => Array.IndexOf(names, p.JsonName) >= 0 && IsUrlText(p.Type));

    private static PropertySpec? NextToken(ModelSpec model, TypeRef tokenType)
        => model.Properties.FirstOrDefault(p => Array.IndexOf(s_nextTokenProperties, p.JsonName) >= 0 && p.Type.WithNullable(false) == tokenType.WithNullable(false));
}
