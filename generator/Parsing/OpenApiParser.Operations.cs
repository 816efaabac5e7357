using System;
using System.Collections.Generic;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Parsing;

// paths: operations, their parameters, request bodies, responses and media types.
internal sealed partial class OpenApiParser
{
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
                    ReadSecurity(operation["security"])) { Tags = ReadTags(operation["tags"]) });
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
}
