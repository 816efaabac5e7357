using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Parsing;

/// <summary>Reads one operation: its method name, parameters, JSON body and JSON success response.</summary>
internal sealed class OperationReader
{
    private readonly DiagnosticBag _diagnostics;
    private readonly SchemaMapper _schemas;
    private readonly YamlMapping? _components;

    public OperationReader(DiagnosticBag diagnostics, SchemaMapper schemas, YamlMapping? components)
    {
        _diagnostics = diagnostics;
        _schemas = schemas;
        _components = components;
    }

    private sealed class Skip : Exception
    {
        public Skip(string reason)
            : base(reason)
        {
        }
    }

    public OperationSpec? Read(string path, YamlMapping pathItem, YamlScalar methodKey, YamlMapping operation, NameTable methodNames)
    {
        string httpMethod = methodKey.Value.ToUpperInvariant();
        try
        {
            string baseName = MethodBaseName(methodKey.Value, path, operation);
            var parameterNames = new NameTable(null, "cancellationToken");
            List<(YamlMapping Node, string Name, string In)> declared = ReadParameters(pathItem, operation);

            var parameters = new List<ParameterSpec>();
            foreach ((YamlMapping node, string name, string location) in declared)
            {
                if (location == "path")
                {
                    parameters.Add(ReadParameter(node, name, ParameterLocation.Path, baseName, parameterNames));
                }
            }

            EquatableArray<PathSegmentSpec> segments = ReadPathTemplate(path, parameters, parameterNames);
            BodySpec? body = ReadBody(operation, baseName, parameterNames);

            foreach ((YamlMapping node, string name, string location) in declared)
            {
                if (location == "query")
                {
                    parameters.Add(ReadParameter(node, name, ParameterLocation.Query, baseName, parameterNames));
                }
                else if (location != "path" && DocReader.IsTrue(node["required"]))
                {
                    throw new Skip("the required " + location + " parameter '" + name + "' is not supported yet");
                }
                else if (location != "path")
                {
                    _diagnostics.Add(DiagnosticDescriptors.ParameterIgnored, node, location, name, httpMethod, path);
                }
            }

            TypeRef? response = ReadResponse(operation, baseName);
            string methodName = methodNames.Claim(baseName + "Async");
            if (methodName != baseName + "Async")
            {
                _diagnostics.Add(DiagnosticDescriptors.NameCollision, methodKey, httpMethod + " " + path, baseName + "Async", methodName);
            }

            DocSpec doc = DocReader.Read(operation);
            string? summary = DocReader.Text(operation["summary"]);
            string? description = DocReader.Text(operation["description"]);
            doc = doc with
            {
                Summary = summary ?? description,
                Remarks = summary is not null && description is not null && description != summary ? description : null,
            };

            return new OperationSpec(methodName, httpMethod, path, segments, parameters.ToEquatableArray(), body, response, doc);
        }
        catch (Skip skip)
        {
            _diagnostics.Add(DiagnosticDescriptors.OperationSkipped, methodKey, httpMethod, path, skip.Message);
            return null;
        }
    }

    private static string MethodBaseName(string method, string path, YamlMapping operation)
    {
        if (DocReader.Text(operation["operationId"]) is { } operationId)
        {
            return NameRules.ToPascalCase(operationId, "Operation");
        }

        if (DocReader.Text(operation["summary"]) is { } summary)
        {
            return NameRules.FromSentence(summary, "Operation");
        }

        return NameRules.ToPascalCase(method + " " + path, "Operation");
    }

    private List<(YamlMapping Node, string Name, string In)> ReadParameters(YamlMapping pathItem, YamlMapping operation)
    {
        var result = new List<(YamlMapping Node, string Name, string In)>();
        foreach (YamlNode? list in new[] { pathItem["parameters"], operation["parameters"] })
        {
            if (list is null)
            {
                continue;
            }

            if (list is not YamlSequence sequence)
            {
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, list, "parameters", "a list of parameter objects");
                continue;
            }

            foreach (YamlNode item in sequence.Items)
            {
                if (Resolve(item, "parameters") is not YamlMapping parameter
                    || DocReader.Text(parameter["name"]) is not { } name
                    || DocReader.Text(parameter["in"]) is not { } location)
                {
                    _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, item, "parameters", "a list of parameter objects, each with 'name' and 'in'");
                    continue;
                }

                // An operation's parameter overrides the path item's one of the same name and location.
                result.RemoveAll(p => p.Name == name && p.In == location);
                result.Add((parameter, name, location));
            }
        }

        return result;
    }

    private ParameterSpec ReadParameter(YamlMapping node, string wireName, ParameterLocation location, string baseName, NameTable names)
    {
        string name = names.Claim(NameRules.ToCamelCase(wireName, "parameter"));
        TypeRef type = _schemas.Map(node["schema"], baseName + NameRules.ToPascalCase(wireName, "Parameter"));
        bool supported = location == ParameterLocation.Path
            ? IsScalar(type) && type.Kind != TypeKind.DateTimeOffset
            : IsScalar(type) || (type.Kind == TypeKind.Array && IsScalar(type.Element!) && type.Element!.Kind != TypeKind.DateTimeOffset && !type.Element.IsNullable);
        if (!supported)
        {
            throw new Skip("the " + location.ToString().ToLowerInvariant() + " parameter '" + wireName + "' has a type this generator cannot put in a URL yet");
        }

        bool required = location == ParameterLocation.Path || DocReader.IsTrue(node["required"]);
        return new ParameterSpec(name, wireName, location, type.WithNullable(!required), required, DocReader.Read(node));
    }

    private static bool IsScalar(TypeRef type)
        => type.Kind is TypeKind.String or TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double or TypeKind.Boolean or TypeKind.Enum or TypeKind.DateTimeOffset;

    private static EquatableArray<PathSegmentSpec> ReadPathTemplate(string path, List<ParameterSpec> parameters, NameTable names)
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
                // A placeholder the spec forgot to declare: still a required string.
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

    private BodySpec? ReadBody(YamlMapping operation, string baseName, NameTable names)
    {
        if (operation["requestBody"] is not { } bodyNode)
        {
            return null;
        }

        if (Resolve(bodyNode, "requestBodies") is not YamlMapping body)
        {
            throw new Skip("its requestBody is not a request body object");
        }

        if (JsonSchemaOf(body) is not { } schema)
        {
            throw new Skip("its request body has no application/json content");
        }

        TypeRef type = _schemas.Map(schema, baseName + "Request");
        bool required = DocReader.IsTrue(body["required"]);
        return new BodySpec(names.Claim("body"), type.WithNullable(type.IsNullable || !required), required, DocReader.Read(body));
    }

    private TypeRef? ReadResponse(YamlMapping operation, string baseName)
    {
        if (operation["responses"] is not YamlMapping responses)
        {
            return null;
        }

        KeyValuePair<YamlScalar, YamlNode>? success = null;
        int best = int.MaxValue;
        foreach (KeyValuePair<YamlScalar, YamlNode> entry in responses.Entries)
        {
            string code = entry.Key.Value;
            int rank = code.Length == 3 && code[0] == '2' && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out int number) ? number
                : string.Equals(code, "2XX", StringComparison.OrdinalIgnoreCase) ? 300 : int.MaxValue;
            if (rank < best)
            {
                best = rank;
                success = entry;
            }
        }

        if (success is null || best == 204 || Resolve(success.Value.Value, "responses") is not YamlMapping response)
        {
            return null;
        }

        return JsonSchemaOf(response) is { } schema ? _schemas.Map(schema, baseName + "Response") : null;
    }

    // The schema of the JSON media type of a body or response: application/json, or any +json type.
    private static YamlNode? JsonSchemaOf(YamlMapping bodyOrResponse)
    {
        if (bodyOrResponse["content"] is not YamlMapping content)
        {
            return null;
        }

        foreach (KeyValuePair<YamlScalar, YamlNode> media in content.Entries)
        {
            string type = media.Key.Value.ToLowerInvariant();
            int parameters = type.IndexOf(';');
            type = (parameters >= 0 ? type.Substring(0, parameters) : type).Trim();
            if ((type == "application/json" || type.EndsWith("+json", StringComparison.Ordinal)) && media.Value is YamlMapping mediaType)
            {
                return mediaType["schema"];
            }
        }

        return null;
    }

    // Follows "$ref: '#/components/<section>/<name>'" (one level; components point at objects, not at other refs).
    private YamlNode? Resolve(YamlNode node, string section)
    {
        if (node is not YamlMapping mapping || mapping["$ref"] is not { } reference)
        {
            return node;
        }

        string prefix = "#/components/" + section + "/";
        if (reference is YamlScalar { Value: { } text } && text.StartsWith(prefix, StringComparison.Ordinal)
            && (_components?[section] as YamlMapping)?[Uri.UnescapeDataString(text.Substring(prefix.Length)).Replace("~1", "/").Replace("~0", "~")] is YamlMapping target)
        {
            return target;
        }

        _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, reference, (reference as YamlScalar)?.Value ?? "(not a string)");
        return null;
    }
}
