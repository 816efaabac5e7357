using System;
using System.Collections.Generic;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

/// <summary>Shapes one operation: its parameters, request body and success response, named and typed.</summary>
internal sealed partial class OperationShaper
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
                if (location is not { } parameterLocation)
                {
                    // Path parameters were shaped above; anything else is not a location OpenAPI has.
                    if (parameter.In != "path")
                    {
                        _diagnostics.Add(DiagnosticDescriptors.ParameterNotGenerated, parameter.Span, parameter.In, parameter.Name, operation.Method, operation.Path, parameter.In == "querystring"
                            ? "an 'in: querystring' parameter (OpenAPI 3.2, the whole query string as one value) is not supported yet"
                            : "its 'in' must be path, query, header or cookie");
                    }
                }
                else if (IsOmitted(parameter, out string? whyOmitted))
                {
                    if (whyOmitted is not null)
                    {
                        _diagnostics.Add(DiagnosticDescriptors.ParameterNotGenerated, parameter.Span, parameter.In, parameter.Name, operation.Method, operation.Path, whyOmitted);
                    }
                }
                else
                {
                    parameters.Add(ShapeParameter(parameter, parameterLocation, baseName, parameterNames));
                }
            }

            ResponseSpec response = ShapeResponse(operation, baseName);
            DocSpec doc = new(
                operation.Summary ?? operation.Description,
                operation.Summary is not null && operation.Description is not null && operation.Description != operation.Summary ? operation.Description : null,
                null,
                EquatableArray<string>.Empty,
                operation.Deprecated);

            PaginationSpec? pagination = Paginate(baseName, parameters, response, operation.Method, body);
            return new OperationSpec(baseName + "Async", operation.Method, operation.Path, segments, parameters.ToEquatableArray(), body, response, doc, pagination, ShapeError(operation, baseName));
        }
        catch (Skip skip)
        {
            _diagnostics.Add(DiagnosticDescriptors.OperationSkipped, operation.MethodSpan, operation.Method, operation.Path, skip.Message);
            return null;
        }
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
