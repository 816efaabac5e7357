using System;
using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Shaping;

// Cursor paging: an operation whose query takes a page token and whose page returns the next one.
internal sealed partial class OperationShaper
{
    // Token names of the two shapes recognised: cursor in, pagination.cursor (and has_more) out;
    // page_token in, next_page_token out. The items are the response's list property.
    private static readonly string[] s_cursorParameters = ["cursor", "page_token", "pageToken", "next_token", "starting_after"];
    private static readonly string[] s_nextTokenProperties = ["next_cursor", "next_page_token", "nextPageToken", "next_token", "cursor"];
    private static readonly string[] s_itemsProperties = ["items", "data", "results"];

    private PaginationSpec? Paginate(string baseName, List<ParameterSpec> parameters, ResponseSpec response)
    {
        ParameterSpec? token = parameters.Find(p => p.Location == ParameterLocation.Query && !p.IsRequired && p.Style == ParameterStyle.Default && Array.IndexOf(s_cursorParameters, p.WireName) >= 0);
        if (token is null || response is not { Kind: ResponseKind.Json, Type: { Kind: TypeKind.Model } pageType } || _types.FindModel(pageType.Name!) is not { } page)
        {
            return null;
        }

        PropertySpec? items = null;
        foreach (PropertySpec property in page.Properties)
        {
            if (property.Type.Kind == TypeKind.Array && (items is null || Array.IndexOf(s_itemsProperties, property.JsonName) >= 0))
            {
                items = property;
            }
        }

        if (items is null)
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

        return new PaginationSpec(baseName + "AutoPagingAsync", token.Name, items.Name, items.Type.Element!, path.ToEquatableArray(), hasMore.ToEquatableArray());
    }

    private static PropertySpec? NextToken(ModelSpec model, TypeRef tokenType)
        => model.Properties.FirstOrDefault(p => Array.IndexOf(s_nextTokenProperties, p.JsonName) >= 0 && p.Type.WithNullable(false) == tokenType.WithNullable(false));
}
