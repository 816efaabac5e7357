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
    private readonly AuthSpec? _auth;

    public OperationShaper(DiagnosticBag diagnostics, TypeShaper types, AuthSpec? auth)
    {
        _diagnostics = diagnostics;
        _types = types;
        _auth = auth;
    }

    // Headers the specification says to ignore as parameters: the body and the security scheme set them.
    private static readonly string[] s_ignoredHeaders = ["Accept", "Content-Type", "Authorization"];

    // Headers the transport sets itself: a parameter cannot change them.
    private static readonly string[] s_transportHeaders = ["Proxy-Authorization", "Host", "Content-Length", "Transfer-Encoding", "Connection", "Cookie", "User-Agent"];

    // Whether a parameter is one the client does not take as an argument, and why (null when it is
    // ignored silently, as the specification asks for Accept, Content-Type and Authorization).
    private bool IsOmitted(ParameterObject parameter, out string? why)
    {
        why = null;
        bool header = parameter.In == "header";
        if (header && s_ignoredHeaders.Any(h => string.Equals(h, parameter.Name, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        // The credential itself, declared again as a parameter.
        if (_auth is { } auth
            && ((auth.Kind == AuthKind.ApiKeyHeader && header && string.Equals(auth.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))
                || (auth.Kind == AuthKind.ApiKeyQuery && parameter.In == "query" && auth.Name == parameter.Name)
                || (auth.Kind == AuthKind.ApiKeyCookie && parameter.In == "cookie" && auth.Name == parameter.Name)))
        {
            return true;
        }

        if (header && s_transportHeaders.Any(h => string.Equals(h, parameter.Name, StringComparison.OrdinalIgnoreCase)))
        {
            why = "the transport sets this header itself";
            return true;
        }

        return false;
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
                ParameterLocation? location = parameter.In switch
                {
                    "query" => ParameterLocation.Query,
                    "header" => ParameterLocation.Header,
                    "cookie" => ParameterLocation.Cookie,
                    _ => null,
                };
                if (location is { } where && IsOmitted(parameter, out string? why))
                {
                    if (why is not null)
                    {
                        _diagnostics.Add(DiagnosticDescriptors.ParameterNotGenerated, parameter.Span, parameter.In, parameter.Name, operation.Method, operation.Path, why);
                    }
                }
                else if (location is { } where2)
                {
                    parameters.Add(ShapeParameter(parameter, where2, baseName, parameterNames));
                }
                else if (parameter.In != "path")
                {
                    _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, parameter.Span, parameter.Name + ".in", "path, query, header or cookie");
                }
            }

            ResponseSpec response = ShapeResponse(operation, baseName);
            DocSpec doc = new(
                operation.Summary ?? operation.Description,
                operation.Summary is not null && operation.Description is not null && operation.Description != operation.Summary ? operation.Description : null,
                null,
                EquatableArray<string>.Empty,
                operation.Deprecated);

            PaginationSpec? pagination = Paginate(baseName, parameters, response);
            return new OperationSpec(baseName + "Async", operation.Method, operation.Path, segments, parameters.ToEquatableArray(), body, response, doc, pagination, ShapeError(operation, baseName));
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

    private ParameterSpec ShapeParameter(ParameterObject parameter, ParameterLocation location, string baseName, NameTable names)
    {
        // A name already taken (a local the method declares, the same name in another location) is
        // told apart by its location: "path" in the query is pathQuery.
        string candidate = NameRules.ToCamelCase(parameter.Name, "parameter");
        string name = names.Claim(names.IsTaken(candidate) ? candidate.TrimStart('@') + location : candidate);
        TypeRef type = _types.Map(parameter.Schema, baseName + NameRules.ToPascalCase(parameter.Name, "Parameter"));
        ParameterStyle style = Style(parameter, location, type);
        if (location == ParameterLocation.Path && style != ParameterStyle.Default)
        {
            throw new Skip("the path parameter '" + parameter.Name + "' is not a single value, which a path segment cannot hold");
        }

        return new ParameterSpec(name, parameter.Name, location, type.WithNullable(!parameter.Required || type.IsNullable), parameter.Required, parameter.Doc, style);
    }

    // How the value is written: scalars as text, lists by their style, objects by theirs; anything
    // no style can write (lists of objects, unions, free-form JSON) as JSON text.
    private ParameterStyle Style(ParameterObject parameter, ParameterLocation location, TypeRef type)
    {
        if (IsScalar(type))
        {
            return ParameterStyle.Default;
        }

        if (type.Kind == TypeKind.Array && IsScalar(type.Element!) && !type.Element!.IsNullable)
        {
            bool explode = parameter.Explode ?? (parameter.Style is null or "form");
            return parameter.Style switch
            {
                "spaceDelimited" => ParameterStyle.SpaceDelimited,
                "pipeDelimited" => ParameterStyle.PipeDelimited,
                _ when location == ParameterLocation.Query && explode => ParameterStyle.Default,
                _ => ParameterStyle.CommaDelimited,
            };
        }

        if (type.Kind == TypeKind.Model && location == ParameterLocation.Query && _types.FindModel(type.Name!) is { } model
            && model.Properties.All(p => IsScalar(p.Type)))
        {
            if (parameter.Style == "deepObject")
            {
                return ParameterStyle.DeepObject;
            }

            if (parameter.Style is null or "form" && parameter.Explode != false)
            {
                return ParameterStyle.ObjectMembers;
            }
        }

        return ParameterStyle.Json;
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

        if (JsonMedia(body.Content) is { } json)
        {
            TypeRef type = _types.Map(json.Schema, baseName + "Request");
            return new BodySpec(names.Claim("body"), type.WithNullable(type.IsNullable || !body.Required), body.Required, body.Doc, BodyKind.Json, json.MediaType);
        }

        foreach (MediaTypeObject media in body.Content)
        {
            switch (media.MediaType)
            {
                case "multipart/form-data":
                case "application/x-www-form-urlencoded":
                    // An optional form with no members (Stripe documents one on every GET) is no body at all.
                    return media.Schema is { Properties.Count: 0, AllOf.Count: 0, Ref: null } && !body.Required ? null : ShapeForm(media, body, baseName, names);
                case "text/plain":
                    return new BodySpec(names.Claim("body"), TypeRef.Of(TypeKind.String).WithNullable(!body.Required), body.Required, body.Doc, BodyKind.Text, media.MediaType);
            }
        }

        if (body.Content.Count > 0)
        {
            // Any other media type is sent as the caller's bytes: application/octet-stream, image/png, ...
            MediaTypeObject binary = body.Content[0];
            return new BodySpec(names.Claim("body"), TypeRef.Of(TypeKind.Stream).WithNullable(!body.Required), body.Required, body.Doc, BodyKind.Binary, binary.MediaType.Contains('*') ? "application/octet-stream" : binary.MediaType);
        }

        throw new Skip("its request body has no content");
    }

    // A form's members become parameters of the method: files as streams, the rest as their types.
    private BodySpec ShapeForm(MediaTypeObject media, RequestBodyObject body, string baseName, NameTable names)
    {
        BodyKind kind = media.MediaType == "multipart/form-data" ? BodyKind.Multipart : BodyKind.FormUrlEncoded;
        TypeRef type = _types.Map(media.Schema, baseName + "Request");
        if (type.Kind != TypeKind.Model || _types.FindModel(type.Name!) is not { } model)
        {
            throw new Skip("its " + media.MediaType + " body is not an object with properties");
        }

        var fields = new List<FieldSpec>();
        foreach (PropertySpec property in model.Properties)
        {
            bool isFile = kind == BodyKind.Multipart && IsBinary(media.Schema, property.JsonName);
            TypeRef fieldType = isFile ? TypeRef.Of(TypeKind.Stream).WithNullable(!property.IsRequired) : property.Type;
            if (kind == BodyKind.FormUrlEncoded && !IsScalar(fieldType.WithNullable(false)))
            {
                fieldType = property.Type;
            }

            string candidate = NameRules.ToCamelCase(property.JsonName, "field");
            bool required = property.IsRequired && body.Required;
            fields.Add(new FieldSpec(names.Claim(names.IsTaken(candidate) ? candidate.TrimStart('@') + "Field" : candidate), property.JsonName, fieldType.WithNullable(fieldType.IsNullable || !required), required, isFile, property.Doc));
        }

        return new BodySpec(string.Empty, type, body.Required, body.Doc, kind, media.MediaType) { Fields = fields.ToEquatableArray() };
    }

    // Whether a property of a (possibly referenced) object schema is a file: string with format binary (3.0), or contentMediaType/contentEncoding-free bytes (3.1 writes it the same way in practice).
    private bool IsBinary(SchemaObject? schema, string property)
    {
        SchemaObject? target = schema is { Ref: { } reference } ? _types.Resolve(reference) : schema;
        SchemaObject? member = target?.Properties.FirstOrDefault(p => p.Name == property)?.Schema;
        if (member is { Ref: { } memberReference })
        {
            member = _types.Resolve(memberReference);
        }

        return member is not null && (member.Format is "binary" or "byte" && member.Types is ["string"] || (member.Types is ["array"] && member.Items?.Format == "binary"));
    }

    private ResponseSpec ShapeResponse(OperationObject operation, string baseName)
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

        if (success is null || best == 204 || success.Content.Count == 0)
        {
            return ResponseSpec.None;
        }

        if (JsonMedia(success.Content) is { } json)
        {
            return new ResponseSpec(ResponseKind.Json, _types.Map(json.Schema, baseName + "Response").WithNullable(false), json.MediaType);
        }

        MediaTypeObject media = success.Content[0];
        switch (media.MediaType)
        {
            case "text/event-stream":
                return new ResponseSpec(ResponseKind.Events, EventData(media, baseName), media.MediaType);
            case "application/x-ndjson" or "application/jsonl" or "application/x-jsonlines" or "application/jsonlines" or "application/json-seq":
                return new ResponseSpec(ResponseKind.JsonLines, _types.Map(media.Schema?.Items ?? media.Schema, baseName + "Line").WithNullable(false), media.MediaType);
        }

        if (media.MediaType.StartsWith("text/", StringComparison.Ordinal) || media.MediaType is "application/xml" or "application/yaml")
        {
            return new ResponseSpec(ResponseKind.Text, TypeRef.Of(TypeKind.String), media.MediaType);
        }

        return new ResponseSpec(ResponseKind.Stream, TypeRef.Of(TypeKind.Stream), media.MediaType.Contains('*') ? "*/*" : media.MediaType);
    }

    // The data of each event, when the document says what it is; otherwise the raw events.
    private TypeRef? EventData(MediaTypeObject media, string baseName)
    {
        if (media.Schema is null || media.Schema.Types is ["string"])
        {
            return null;
        }

        TypeRef type = _types.Map(media.Schema.Items ?? media.Schema, baseName + "Event").WithNullable(false);
        return type.Kind == TypeKind.JsonElement && media.Schema.Items is null && !media.Schema.HasProperties ? null : type;
    }

    // The documented error body, readable from the exception: the first 4xx, 5xx or default JSON body.
    private TypeRef? ShapeError(OperationObject operation, string baseName)
    {
        foreach (ResponseObject response in operation.Responses)
        {
            if ((response.StatusCode.StartsWith("4", StringComparison.Ordinal) || response.StatusCode.StartsWith("5", StringComparison.Ordinal) || response.StatusCode == "default")
                && JsonMedia(response.Content) is { Schema: not null } media)
            {
                TypeRef type = _types.Map(media.Schema, baseName + "Error").WithNullable(false);
                return type.Kind is TypeKind.Model or TypeKind.Union ? type : null;
            }
        }

        return null;
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
