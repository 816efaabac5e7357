using System;
using System.Collections.Generic;
using System.Threading;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Parsing;

/// <summary>
/// The only code that reads an OpenAPI file: text in, <see cref="OpenApiDocument"/> and diagnostics
/// out. It never throws for any input; every problem becomes a diagnostic on the line it is about.
/// </summary>
internal sealed class OpenApiParser
{
    private static readonly string[] s_methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private readonly OpenApiFile _file;
    private readonly DiagnosticBag _diagnostics;
    private readonly SchemaReader _schemas;
    private readonly CancellationToken _cancellationToken;
    private YamlMapping? _components;
    private YamlNode? _root;

    private OpenApiParser(OpenApiFile file, CancellationToken cancellationToken)
    {
        _file = file;
        _diagnostics = new DiagnosticBag(file.Path);
        _schemas = new SchemaReader(_diagnostics, ResolvePointer);
        _cancellationToken = cancellationToken;
    }

    public static ParseResult Parse(OpenApiFile file, CancellationToken cancellationToken = default)
    {
        var parser = new OpenApiParser(file, cancellationToken);
        if (file.HiddenMetadata is { Length: > 0 } hidden)
        {
            foreach (string name in hidden.Split(','))
            {
                parser._diagnostics.Add(DiagnosticDescriptors.MetadataNotVisible, default(TextMark), default(TextMark), name);
            }
        }

        OpenApiDocument? document;
        try
        {
            document = parser.ReadDocument();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bug of ours must still surface as a diagnostic, never as CS8785.
            parser._diagnostics.Add(DiagnosticDescriptors.InvalidSyntax, default(TextMark), default(TextMark), "the generator failed to read it (" + exception.GetType().Name + ": " + exception.Message + "); please report this file");
            document = null;
        }

        return new ParseResult(parser._diagnostics.HasErrors ? null : document, parser._diagnostics.ToEquatableArray());
    }

    private OpenApiDocument? ReadDocument()
    {
        var duplicateKeys = new List<YamlTreeReader.Error>();
        YamlNode? root = YamlTreeReader.Read(_file.Text, out YamlTreeReader.Error? error, duplicateKeys);
        foreach (YamlTreeReader.Error duplicate in duplicateKeys)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, duplicate.Start, duplicate.End, duplicate.Message, "unique within its mapping");
        }

        if (error is not null)
        {
            DiagnosticDescriptor descriptor = error.ErrorKind switch
            {
                YamlTreeReader.Error.Kind.Limit => DiagnosticDescriptors.TooComplex,
                YamlTreeReader.Error.Kind.Structure => DiagnosticDescriptors.NotOpenApi3,
                _ => DiagnosticDescriptors.InvalidSyntax,
            };
            _diagnostics.Add(descriptor, error.Start, error.End, error.Message);
            return null;
        }

        if (root is not YamlMapping mapping)
        {
            _diagnostics.Add(DiagnosticDescriptors.NotOpenApi3, root, "the top level is not a mapping");
            return null;
        }

        string? version = DocReader.Text(mapping["openapi"]);
        if (version is null || !(version.StartsWith("3.0", StringComparison.Ordinal) || version.StartsWith("3.1", StringComparison.Ordinal)))
        {
            string why = version is not null ? "its 'openapi' version is " + version
                : mapping["swagger"] is not null ? "it is a Swagger 2.0 document; convert it to OpenAPI 3 first"
                : "it has no 'openapi' version field";
            _diagnostics.Add(DiagnosticDescriptors.NotOpenApi3, (YamlNode?)mapping["openapi"] ?? mapping, why);
            return null;
        }

        _root = mapping;
        _components = mapping["components"] as YamlMapping;
        if (mapping["components"] is { } components && _components is null)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, components, "components", "a mapping");
        }

        EquatableArray<NamedSchema> schemas = ReadSchemas();
        _cancellationToken.ThrowIfCancellationRequested();
        return new OpenApiDocument(
            _file.Path,
            _file.ClientName,
            _file.Namespace,
            version,
            DocReader.Text((mapping["info"] as YamlMapping)?["title"]),
            ReadServers(mapping["servers"]),
            schemas,
            ReadOperations(mapping["paths"]),
            ReadSecuritySchemes(),
            ReadSecurity(mapping["security"]) ?? EquatableArray<string>.Empty,
            _file.CredentialVariable,
            _file.OptionsConstructors);
    }

    private EquatableArray<NamedSchema> ReadSchemas()
    {
        YamlNode? node = _components?["schemas"];
        if (node is null)
        {
            return EquatableArray<NamedSchema>.Empty;
        }

        if (node is not YamlMapping mapping)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, "components/schemas", "a mapping of schema names to schemas");
            return EquatableArray<NamedSchema>.Empty;
        }

        var result = new List<NamedSchema>(mapping.Entries.Count);
        foreach (KeyValuePair<YamlScalar, YamlNode> entry in mapping.Entries)
        {
            if (entry.Value is not YamlMapping && entry.Value is not YamlScalar { IsPlain: true, Value: "true" or "false" })
            {
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, entry.Value, "components/schemas/" + entry.Key.Value, "a schema object");
                continue;
            }

            result.Add(new NamedSchema(entry.Key.Value, SourceSpan.Of(entry.Key), _schemas.Read(entry.Value, entry.Key.Value)));
        }

        return result.ToEquatableArray();
    }

    private EquatableArray<ServerObject> ReadServers(YamlNode? node)
    {
        var result = new List<ServerObject>();
        if (node is not YamlSequence servers)
        {
            return result.ToEquatableArray();
        }

        foreach (YamlNode item in servers.Items)
        {
            if (item is not YamlMapping server || DocReader.Text(server["url"]) is not { } url)
            {
                continue;
            }

            var variables = new List<ServerVariableObject>();
            if (server["variables"] is YamlMapping declared)
            {
                foreach (KeyValuePair<YamlScalar, YamlNode> entry in declared.Entries)
                {
                    if (entry.Value is YamlMapping variable && (variable["default"] as YamlScalar)?.Value is { } defaultValue)
                    {
                        var values = new List<string>();
                        if (variable["enum"] is YamlSequence allowed)
                        {
                            foreach (YamlNode value in allowed.Items)
                            {
                                if (value is YamlScalar scalar)
                                {
                                    values.Add(scalar.Value);
                                }
                            }
                        }

                        variables.Add(new ServerVariableObject(entry.Key.Value, defaultValue, values.ToEquatableArray(), DocReader.Text(variable["description"])));
                    }
                    else
                    {
                        _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, entry.Value, "servers.variables." + entry.Key.Value, "a server variable with a 'default'");
                    }
                }
            }

            result.Add(new ServerObject(url, variables.ToEquatableArray(), DocReader.Text(server["description"])));
        }

        return result.ToEquatableArray();
    }

    private EquatableArray<SecuritySchemeObject> ReadSecuritySchemes()
    {
        var result = new List<SecuritySchemeObject>();
        if (_components?["securitySchemes"] is YamlMapping schemes)
        {
            foreach (KeyValuePair<YamlScalar, YamlNode> entry in schemes.Entries)
            {
                if (Resolve(entry.Value) is YamlMapping scheme && DocReader.Text(scheme["type"]) is { } type)
                {
                    result.Add(new SecuritySchemeObject(
                        entry.Key.Value,
                        type,
                        DocReader.Text(scheme["scheme"]),
                        DocReader.Text(scheme["in"]),
                        DocReader.Text(scheme["name"]),
                        DocReader.Text(scheme["description"])));
                }
            }
        }

        return result.ToEquatableArray();
    }

    // A security requirement list: the names of the schemes of each alternative, flattened in order.
    private static EquatableArray<string>? ReadSecurity(YamlNode? node)
    {
        if (node is not YamlSequence requirements)
        {
            return null;
        }

        var names = new List<string>();
        foreach (YamlNode requirement in requirements.Items)
        {
            if (requirement is YamlMapping mapping)
            {
                foreach (KeyValuePair<YamlScalar, YamlNode> entry in mapping.Entries)
                {
                    if (!names.Contains(entry.Key.Value))
                    {
                        names.Add(entry.Key.Value);
                    }
                }
            }
        }

        return names.ToEquatableArray();
    }

    private EquatableArray<OperationObject> ReadOperations(YamlNode? node)
    {
        var operations = new List<OperationObject>();
        if (node is null)
        {
            return operations.ToEquatableArray();
        }

        if (node is not YamlMapping paths)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, "paths", "a mapping of paths to path items");
            return operations.ToEquatableArray();
        }

        foreach (KeyValuePair<YamlScalar, YamlNode> pathEntry in paths.Entries)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (pathEntry.Value is not YamlMapping pathItem)
            {
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, pathEntry.Value, pathEntry.Key.Value, "a path item");
                continue;
            }

            List<ParameterObject> shared = ReadParameters(pathItem["parameters"], pathEntry.Key.Value);
            foreach (KeyValuePair<YamlScalar, YamlNode> entry in pathItem.Entries)
            {
                if (Array.IndexOf(s_methods, entry.Key.Value) < 0)
                {
                    continue;
                }

                string where = entry.Key.Value.ToUpperInvariant() + " " + pathEntry.Key.Value;
                if (entry.Value is not YamlMapping operation)
                {
                    _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, entry.Value, where, "an operation object");
                    continue;
                }

                var parameters = new List<ParameterObject>(shared);
                foreach (ParameterObject parameter in ReadParameters(operation["parameters"], where))
                {
                    parameters.RemoveAll(p => p.Name == parameter.Name && p.In == parameter.In);
                    parameters.Add(parameter);
                }

                operations.Add(new OperationObject(
                    entry.Key.Value.ToUpperInvariant(),
                    pathEntry.Key.Value,
                    SourceSpan.Of(entry.Key),
                    DocReader.Text(operation["operationId"]),
                    DocReader.Text(operation["summary"]),
                    DocReader.Text(operation["description"]),
                    DocReader.IsTrue(operation["deprecated"]),
                    parameters.ToEquatableArray(),
                    ReadRequestBody(operation["requestBody"], where),
                    ReadResponses(operation["responses"], where),
                    ReadSecurity(operation["security"])));
            }
        }

        return operations.ToEquatableArray();
    }

    private List<ParameterObject> ReadParameters(YamlNode? list, string where)
    {
        var result = new List<ParameterObject>();
        if (list is null)
        {
            return result;
        }

        if (list is not YamlSequence sequence)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, list, where + " parameters", "a list of parameter objects");
            return result;
        }

        foreach (YamlNode item in sequence.Items)
        {
            YamlNode? resolved = Resolve(item);
            if (resolved is null)
            {
                continue;
            }

            if (resolved is not YamlMapping parameter
                || DocReader.Text(parameter["name"]) is not { } name
                || DocReader.Text(parameter["in"]) is not { } location)
            {
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, item, where + " parameters", "a list of parameter objects, each with 'name' and 'in'");
                continue;
            }

            // A parameter may give its schema under 'content' instead (one media type, serialized as that type).
            YamlNode? schema = parameter["schema"] ?? FirstContentSchema(parameter["content"]);
            result.RemoveAll(p => p.Name == name && p.In == location);
            result.Add(new ParameterObject(
                name,
                location,
                location == "path" || DocReader.IsTrue(parameter["required"]),
                DocReader.Text(parameter["style"]),
                parameter["explode"] is YamlScalar { IsPlain: true } explode && explode.Value is "true" or "false" ? explode.Value == "true" : null,
                schema is null ? null : _schemas.Read(schema, where + " " + name),
                DocReader.Read(parameter),
                SourceSpan.Of(item)));
        }

        return result;
    }

    private static YamlNode? FirstContentSchema(YamlNode? content)
        => content is YamlMapping { Entries.Count: > 0 } media && media.Entries[0].Value is YamlMapping first ? first["schema"] : null;

    private RequestBodyObject? ReadRequestBody(YamlNode? node, string where)
    {
        if (node is null || Resolve(node) is not { } resolved)
        {
            return null;
        }

        if (resolved is not YamlMapping body)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, where + " requestBody", "a request body object");
            return null;
        }

        return new RequestBodyObject(DocReader.IsTrue(body["required"]), ReadContent(body["content"], where + " request"), DocReader.Read(body), SourceSpan.Of(node));
    }

    private EquatableArray<ResponseObject> ReadResponses(YamlNode? node, string where)
    {
        var result = new List<ResponseObject>();
        if (node is null)
        {
            return result.ToEquatableArray();
        }

        if (node is not YamlMapping responses)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, where + " responses", "a mapping of status codes to responses");
            return result.ToEquatableArray();
        }

        foreach (KeyValuePair<YamlScalar, YamlNode> entry in responses.Entries)
        {
            if (Resolve(entry.Value) is not { } resolved)
            {
                continue;
            }

            if (resolved is not YamlMapping response)
            {
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, entry.Value, where + " " + entry.Key.Value, "a response object");
                continue;
            }

            result.Add(new ResponseObject(entry.Key.Value, DocReader.Text(response["description"]), ReadContent(response["content"], where + " " + entry.Key.Value), SourceSpan.Of(entry.Key)));
        }

        return result.ToEquatableArray();
    }

    private EquatableArray<MediaTypeObject> ReadContent(YamlNode? node, string where)
    {
        var result = new List<MediaTypeObject>();
        if (node is not YamlMapping content)
        {
            if (node is not null)
            {
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, where + " content", "a mapping of media types");
            }

            return result.ToEquatableArray();
        }

        foreach (KeyValuePair<YamlScalar, YamlNode> media in content.Entries)
        {
            string type = media.Key.Value.ToLowerInvariant();
            int parameters = type.IndexOf(';');
            type = (parameters >= 0 ? type.Substring(0, parameters) : type).Trim();
            YamlNode? schema = (media.Value as YamlMapping)?["schema"];
            result.Add(new MediaTypeObject(type, schema is null ? null : _schemas.Read(schema, where), SourceSpan.Of(media.Key)));
        }

        return result.ToEquatableArray();
    }

    // Follows "$ref: '#/components/<section>/<name>'", or any other local JSON pointer ('#/paths/...'),
    // through references to references, without looping.
    private YamlNode? Resolve(YamlNode node)
    {
        var seen = new HashSet<YamlNode>();
        while (node is YamlMapping mapping && mapping["$ref"] is { } reference)
        {
            if (!seen.Add(node)
                || reference is not YamlScalar { Value: { } text }
                || ResolvePointer(text) is not { } target)
            {
                _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, reference, (reference as YamlScalar)?.Value ?? "(not a string)");
                return null;
            }

            node = target;
        }

        return node;
    }

    /// <summary>The node a local JSON pointer (<c>#/components/parameters/id</c>, <c>#/paths/~1a/get</c>) names, or null.</summary>
    private YamlNode? ResolvePointer(string pointer)
    {
        if (!pointer.StartsWith("#/", StringComparison.Ordinal) || _root is null)
        {
            return null;
        }

        YamlNode? node = _root;
        foreach (string segment in pointer.Substring(2).Split('/'))
        {
            string key = UnescapePointer(segment);
            node = node switch
            {
                YamlMapping mapping => mapping[key],
                YamlSequence sequence when int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index) && index < sequence.Items.Count => sequence.Items[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>A JSON pointer segment as written in a <c>$ref</c>: percent-escapes, then <c>~1</c> and <c>~0</c>.</summary>
    public static string UnescapePointer(string segment)
        => Uri.UnescapeDataString(segment).Replace("~1", "/").Replace("~0", "~");
}
