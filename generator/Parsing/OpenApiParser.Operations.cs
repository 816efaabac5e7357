using System;
using System.Collections.Generic;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Parsing;

// paths: operations, their parameters, request bodies, responses and media types.
internal sealed partial class OpenApiParser
{
    // OpenAPI 3.2 media type keywords read as absent (with a warning).
    private static readonly string[] s_unsupportedMediaKeywords = ["itemEncoding", "prefixEncoding"];

    private EquatableArray<OperationObject> ReadOperations(YamlNode? node)
    {
        var operations = new List<OperationObject>();
        if (node is null)
        {
            return operations.ToEquatableArray();
        }

        if (node is not YamlMapping paths)
        {
            // Without its paths there is nothing to generate: the one structural error that stays an error here.
            _diagnostics.Add(DiagnosticDescriptors.NotOpenApi3, node, "its 'paths' is not a mapping of paths to path items");
            return operations.ToEquatableArray();
        }

        foreach (KeyValuePair<YamlScalar, YamlNode> pathEntry in paths.Entries)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            // A path item may be a reference (often into another file: '/pets: {$ref: ./paths/pets.yaml}').
            YamlNode? item = Resolve(pathEntry.Value);
            if (item is null)
            {
                continue;
            }

            if (item is not YamlMapping pathItem)
            {
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, pathEntry.Value, pathEntry.Key.Value, "a path item", "the path is not generated");
                continue;
            }

            List<ParameterObject> shared = ReadParameters(pathItem["parameters"], pathEntry.Key.Value);
            foreach (KeyValuePair<YamlScalar, YamlNode> entry in pathItem.Entries)
            {
                if (Array.IndexOf(s_methods, entry.Key.Value) >= 0)
                {
                    AddOperation(operations, entry.Key.Value.ToUpperInvariant(), entry, pathEntry.Key.Value, shared);
                }
                else if (entry.Key.Value == "additionalOperations")
                {
                    ReadAdditionalOperations(operations, entry.Value, pathEntry.Key.Value, shared);
                }
            }
        }

        return operations.ToEquatableArray();
    }

    // OpenAPI 3.2: other methods, each key spelled as it is sent. One that is not an HTTP token, or
    // that is one of the fixed fields, is left out with a warning; the rest are operations as any other.
    private void ReadAdditionalOperations(List<OperationObject> operations, YamlNode node, string path, List<ParameterObject> shared)
    {
        if (node is not YamlMapping additional)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, path + " additionalOperations", "a mapping of HTTP methods to operations", "none of them is generated");
            return;
        }

        foreach (KeyValuePair<YamlScalar, YamlNode> entry in additional.Entries)
        {
            string method = entry.Key.Value;
            if (!IsHttpToken(method))
            {
                _diagnostics.Add(DiagnosticDescriptors.OperationSkipped, entry.Key, method, path, "an HTTP method is a token of letters, digits and !#$%&'*+-.^_`|~, so it cannot be sent");
            }
            else if (Array.IndexOf(s_methods, method.ToLowerInvariant()) >= 0)
            {
                _diagnostics.Add(DiagnosticDescriptors.OperationSkipped, entry.Key, method, path, "additionalOperations must not name a method the path item has a field for; write it as '" + method.ToLowerInvariant() + "'");
            }
            else
            {
                AddOperation(operations, method, entry, path, shared);
            }
        }
    }

    private static bool IsHttpToken(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0))
            {
                return false;
            }
        }

        return true;
    }

    private void AddOperation(List<OperationObject> operations, string method, KeyValuePair<YamlScalar, YamlNode> entry, string path, List<ParameterObject> shared)
    {
        string where = method + " " + path;
        if (entry.Value is not YamlMapping operation)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, entry.Value, where, "an operation object", "the operation is not generated");
            return;
        }

        var parameters = new List<ParameterObject>(shared);
        foreach (ParameterObject parameter in ReadParameters(operation["parameters"], where))
        {
            parameters.RemoveAll(p => p.Name == parameter.Name && p.In == parameter.In);
            parameters.Add(parameter);
        }

        operations.Add(new OperationObject(
            method,
            path,
            SourceSpan.Of(entry.Key),
            DocReader.Text(operation["operationId"]),
            DocReader.Text(operation["summary"]),
            DocReader.Text(operation["description"]),
            DocReader.IsTrue(operation["deprecated"]),
            parameters.ToEquatableArray(),
            ReadRequestBody(operation["requestBody"], where),
            ReadResponses(operation["responses"], where),
            ReadSecurity(operation["security"])) { Tags = ReadTags(operation["tags"]), Callbacks = ReadCallbacks(operation["callbacks"], where) });
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
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, list, where + " parameters", "a list of parameter objects", "no parameter of this list is generated");
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
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, item, where + " parameters", "a list of parameter objects, each with 'name' and 'in'", "this parameter is not generated");
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
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, where + " requestBody", "a request body object", "the operation is generated without a body");
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
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, where + " responses", "a mapping of status codes to responses", "the operation returns no body");
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
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, entry.Value, where + " " + entry.Key.Value, "a response object", "this response is left out");
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
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, where + " content", "a mapping of media types", "no content is generated for it");
            }

            return result.ToEquatableArray();
        }

        foreach (KeyValuePair<YamlScalar, YamlNode> media in content.Entries)
        {
            string type = media.Key.Value.ToLowerInvariant();
            int parameters = type.IndexOf(';');
            type = (parameters >= 0 ? type.Substring(0, parameters) : type).Trim();
            // 3.2 lets a media type be a reference (into components/mediaTypes); any local one is followed.
            YamlNode? resolved = Resolve(media.Value);
            if (resolved is not null and not YamlMapping && !(resolved is YamlScalar { IsNull: true }))
            {
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, media.Value, where + " " + media.Key.Value, "a media type object", "its body is read as any JSON value");
            }

            var mediaType = resolved as YamlMapping;
            YamlNode? schema = mediaType?["schema"];
            YamlNode? itemSchema = mediaType?["itemSchema"];
            foreach (string keyword in s_unsupportedMediaKeywords)
            {
                if (mediaType?.KeyOf(keyword) is { } key)
                {
                    _diagnostics.Add(DiagnosticDescriptors.FeatureNotSupported, key, "'" + keyword + "' (" + where + " " + media.Key.Value + ")", "it is ignored and the items are written and read as JSON");
                }
            }

            result.Add(new MediaTypeObject(
                type,
                schema is null ? null : _schemas.Read(schema, where),
                SourceSpan.Of(media.Key),
                itemSchema is null ? null : _schemas.Read(itemSchema, where + " item")));
        }

        return result.ToEquatableArray();
    }
}
