using System;
using System.Collections.Generic;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Parsing;

// webhooks (3.1) and operations' callbacks: path items the API sends requests from, read as paths are.
internal sealed partial class OpenApiParser
{
    // Set while a webhook's or callback's operations are read: their own callbacks are not followed,
    // so that a callback whose operation refers back to itself cannot recurse without end.
    private bool _readingHook;

    private EquatableArray<HookObject> ReadWebhooks(YamlNode? node)
    {
        var result = new List<HookObject>();
        if (node is null)
        {
            return result.ToEquatableArray();
        }

        if (node is not YamlMapping webhooks)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, "webhooks", "a mapping of webhook names to path items", "no webhook payload is generated");
            return result.ToEquatableArray();
        }

        foreach (KeyValuePair<YamlScalar, YamlNode> entry in webhooks.Entries)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (ReadHook(entry.Key.Value, null, entry, "webhook " + entry.Key.Value) is { } hook)
            {
                result.Add(hook);
            }
        }

        return result.ToEquatableArray();
    }

    private EquatableArray<HookObject> ReadCallbacks(YamlNode? node, string where)
    {
        var result = new List<HookObject>();
        if (node is null)
        {
            return result.ToEquatableArray();
        }

        if (_readingHook)
        {
            _diagnostics.Add(DiagnosticDescriptors.FeatureNotSupported, node, "'callbacks' of a webhook or callback (" + where + ")", "they are ignored");
            return result.ToEquatableArray();
        }

        if (node is not YamlMapping callbacks)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, where + " callbacks", "a mapping of callback names to callback objects", "no callback payload is generated");
            return result.ToEquatableArray();
        }

        foreach (KeyValuePair<YamlScalar, YamlNode> entry in callbacks.Entries)
        {
            if (!IsLocal(entry.Value) || Resolve(entry.Value) is not { } resolved)
            {
                continue;
            }

            if (resolved is not YamlMapping expressions)
            {
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, entry.Value, where + " callback " + entry.Key.Value, "a mapping of URL expressions to path items", "this callback is not generated");
                continue;
            }

            // A callback object maps each runtime expression of a URL to the path item sent to it.
            foreach (KeyValuePair<YamlScalar, YamlNode> expression in expressions.Entries)
            {
                if (ReadHook(entry.Key.Value, expression.Key.Value, expression, where + " callback " + entry.Key.Value) is { } hook)
                {
                    result.Add(hook);
                }
            }
        }

        return result.ToEquatableArray();
    }

    private HookObject? ReadHook(string name, string? expression, KeyValuePair<YamlScalar, YamlNode> entry, string where)
    {
        if (!IsLocal(entry.Value) || Resolve(entry.Value) is not { } resolved)
        {
            return null;
        }

        if (resolved is not YamlMapping pathItem)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, entry.Value, where, "a path item", "its payload is not generated");
            return null;
        }

        var operations = new List<OperationObject>();
        bool outer = _readingHook;
        _readingHook = true;
        try
        {
            string path = expression ?? name;
            List<ParameterObject> shared = ReadParameters(pathItem["parameters"], where);
            foreach (KeyValuePair<YamlScalar, YamlNode> method in pathItem.Entries)
            {
                if (Array.IndexOf(s_methods, method.Key.Value) >= 0)
                {
                    AddOperation(operations, method.Key.Value.ToUpperInvariant(), method, path, shared);
                }
            }
        }
        finally
        {
            _readingHook = outer;
        }

        return new HookObject(name, expression, SourceSpan.Of(entry.Key), operations.ToEquatableArray());
    }

    // A path item or callback in another file is not followed here: a warning at the reference, and
    // the rest of the document is generated.
    private bool IsLocal(YamlNode node)
    {
        if (node is YamlMapping mapping && mapping["$ref"] is YamlScalar { Value: { } reference } && !reference.StartsWith("#", StringComparison.Ordinal))
        {
            _diagnostics.Add(DiagnosticDescriptors.FeatureNotSupported, mapping["$ref"], "a webhook or callback in another file ('" + reference + "')", "it is not generated; move it into this document");
            return false;
        }

        return true;
    }
}
