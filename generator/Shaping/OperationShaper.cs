using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

/// <summary>Shapes one operation: its parameters, request body and success response, named and typed.</summary>
internal sealed class OperationShaper
{
    private readonly DiagnosticBag _diagnostics;
    private readonly TypeShaper _types;

    public OperationShaper(DiagnosticBag diagnostics, TypeShaper types)
    {
        _diagnostics = diagnostics;
        _types = types;
    }

    private sealed class Skip : Exception
    {
        public Skip(string reason)
            : base(reason)
        {
        }
    }

    public OperationSpec? Shape(OperationObject operation, string baseName)
    {
        try
        {
            var parameterNames = new NameTable(null, ReservedNames.MethodLocals);
            var parameters = new List<ParameterSpec>();
            foreach (ParameterObject parameter in operation.Parameters)
            {
                if (parameter.In == "path")
                {
                    parameters.Add(ShapeParameter(parameter, ParameterLocation.Path, baseName, parameterNames));
                }
            }

            EquatableArray<PathSegmentSpec> segments = ShapePathTemplate(operation.Path, parameters, parameterNames);
            BodySpec? body = ShapeBody(operation, baseName, parameterNames);

            foreach (ParameterObject parameter in operation.Parameters)
            {
                if (parameter.In == "query")
                {
                    parameters.Add(ShapeParameter(parameter, ParameterLocation.Query, baseName, parameterNames));
                }
                else if (parameter.In != "path" && parameter.Required)
                {
                    throw new Skip("the required " + parameter.In + " parameter '" + parameter.Name + "' is not supported yet");
                }
                else if (parameter.In != "path")
                {
                    _diagnostics.Add(DiagnosticDescriptors.ParameterIgnored, parameter.Span, parameter.In, parameter.Name, operation.Method, operation.Path);
                }
            }

            TypeRef? response = ShapeResponse(operation, baseName);
            DocSpec doc = new(
                operation.Summary ?? operation.Description,
                operation.Summary is not null && operation.Description is not null && operation.Description != operation.Summary ? operation.Description : null,
                null,
                EquatableArray<string>.Empty,
                operation.Deprecated);

            PaginationSpec? pagination = Paginate(baseName, parameters, response);
            return new OperationSpec(baseName + "Async", operation.Method, operation.Path, segments, parameters.ToEquatableArray(), body, response, doc, pagination);
        }
        catch (Skip skip)
        {
            _diagnostics.Add(DiagnosticDescriptors.OperationSkipped, operation.MethodSpan, operation.Method, operation.Path, skip.Message);
            return null;
        }
    }

    // Token names of the two shapes recognised: cursor in, pagination.cursor (and has_more) out;
    // page_token in, next_page_token out. The items are the response's list property.
    private static readonly string[] s_cursorParameters = ["cursor", "page_token", "pageToken", "next_token", "starting_after"];
    private static readonly string[] s_nextTokenProperties = ["next_cursor", "next_page_token", "nextPageToken", "next_token", "cursor"];
    private static readonly string[] s_itemsProperties = ["items", "data", "results"];

    private PaginationSpec? Paginate(string baseName, List<ParameterSpec> parameters, TypeRef? response)
    {
        ParameterSpec? token = parameters.Find(p => p.Location == ParameterLocation.Query && !p.IsRequired && Array.IndexOf(s_cursorParameters, p.WireName) >= 0);
        if (token is null || response is not { Kind: TypeKind.Model } || _types.FindModel(response.Name!) is not { } page)
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

    private ParameterSpec ShapeParameter(ParameterObject parameter, ParameterLocation location, string baseName, NameTable names)
    {
        // A name already taken (a local the method declares, the same name in another location) is
        // told apart by its location: "path" in the query is pathQuery.
        string candidate = NameRules.ToCamelCase(parameter.Name, "parameter");
        string name = names.Claim(names.IsTaken(candidate) ? candidate.TrimStart('@') + location : candidate);
        TypeRef type = _types.Map(parameter.Schema, baseName + NameRules.ToPascalCase(parameter.Name, "Parameter"));
        bool supported = location == ParameterLocation.Path
            ? IsScalar(type) && type.Kind != TypeKind.DateTimeOffset
            : IsScalar(type) || (type.Kind == TypeKind.Array && IsScalar(type.Element!) && type.Element!.Kind != TypeKind.DateTimeOffset && !type.Element.IsNullable);
        if (!supported)
        {
            throw new Skip("the " + location.ToString().ToLowerInvariant() + " parameter '" + parameter.Name + "' has a type this generator cannot put in a URL yet");
        }

        return new ParameterSpec(name, parameter.Name, location, type.WithNullable(!parameter.Required), parameter.Required, parameter.Doc);
    }

    private static bool IsScalar(TypeRef type)
        => type.Kind is TypeKind.String or TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double or TypeKind.Boolean or TypeKind.Enum or TypeKind.DateTimeOffset;

    private static EquatableArray<PathSegmentSpec> ShapePathTemplate(string path, List<ParameterSpec> parameters, NameTable names)
    {
        var segments = new List<PathSegmentSpec>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < path.Length)
        {
            int open = path.IndexOf('{', i);
            int close = open < 0 ? -1 : path.IndexOf('}', open);
            if (open < 0)
            {
                literal.Append(path, i, path.Length - i);
                break;
            }

            if (close < 0 || path.IndexOf('}', i) < open)
            {
                throw new Skip("its path template has unbalanced braces");
            }

            literal.Append(path, i, open - i);
            if (literal.Length > 0)
            {
                segments.Add(new PathSegmentSpec(literal.ToString(), -1));
                literal.Clear();
            }

            string wireName = path.Substring(open + 1, close - open - 1);
            int index = parameters.FindIndex(p => p.WireName == wireName);
            if (index < 0)
            {
                // A placeholder the document forgot to declare: still a required string.
                parameters.Add(new ParameterSpec(names.Claim(NameRules.ToCamelCase(wireName, "parameter")), wireName, ParameterLocation.Path, TypeRef.Of(TypeKind.String), true, DocSpec.None));
                index = parameters.Count - 1;
            }

            segments.Add(new PathSegmentSpec(null, index));
            i = close + 1;
        }

        if (literal.Length > 0)
        {
            segments.Add(new PathSegmentSpec(literal.ToString(), -1));
        }

        return segments.ToEquatableArray();
    }

    private BodySpec? ShapeBody(OperationObject operation, string baseName, NameTable names)
    {
        if (operation.RequestBody is not { } body)
        {
            return null;
        }

        if (JsonMedia(body.Content) is not { } media)
        {
            throw new Skip("its request body has no application/json content");
        }

        TypeRef type = _types.Map(media.Schema, baseName + "Request");
        return new BodySpec(names.Claim("body"), type.WithNullable(type.IsNullable || !body.Required), body.Required, body.Doc);
    }

    private TypeRef? ShapeResponse(OperationObject operation, string baseName)
    {
        ResponseObject? success = null;
        int best = int.MaxValue;
        foreach (ResponseObject response in operation.Responses)
        {
            string code = response.StatusCode;
            int rank = code.Length == 3 && code[0] == '2' && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out int number) ? number
                : string.Equals(code, "2XX", StringComparison.OrdinalIgnoreCase) ? 300 : int.MaxValue;
            if (rank < best)
            {
                best = rank;
                success = response;
            }
        }

        if (success is null || best == 204)
        {
            return null;
        }

        return JsonMedia(success.Content) is { } media ? _types.Map(media.Schema, baseName + "Response") : null;
    }

    // The JSON media type of a body or response: application/json, or any +json type.
    private static MediaTypeObject? JsonMedia(EquatableArray<MediaTypeObject> content)
    {
        foreach (MediaTypeObject media in content)
        {
            if (media.MediaType == "application/json" || media.MediaType.EndsWith("+json", StringComparison.Ordinal))
            {
                return media;
            }
        }

        return null;
    }
}
