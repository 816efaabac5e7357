using System;
using System.Collections.Generic;
using System.Threading;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Parsing;

/// <summary>
/// The only code that reads an OpenAPI file: text in, <see cref="ApiSpec"/> and diagnostics out.
/// It never throws for any input; every problem becomes a diagnostic on the line it is about.
/// </summary>
internal sealed class OpenApiParser
{
    private static readonly string[] s_methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private readonly OpenApiFile _file;
    private readonly DiagnosticBag _diagnostics;
    private readonly CancellationToken _cancellationToken;
    private YamlMapping _root = null!;
    private SchemaMapper _schemas = null!;

    private OpenApiParser(OpenApiFile file, CancellationToken cancellationToken)
    {
        _file = file;
        _diagnostics = new DiagnosticBag(file.Path);
        _cancellationToken = cancellationToken;
    }

    public static ParseResult Parse(OpenApiFile file, CancellationToken cancellationToken = default)
    {
        var parser = new OpenApiParser(file, cancellationToken);
        ApiSpec? spec;
        try
        {
            spec = parser.ParseDocument();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bug of ours must still surface as a diagnostic, never as CS8785.
            parser._diagnostics.Add(DiagnosticDescriptors.InvalidSyntax, default(TextMark), default(TextMark), "the generator failed to read it (" + exception.GetType().Name + ": " + exception.Message + "); please report this file");
            spec = null;
        }

        return new ParseResult(parser._diagnostics.HasErrors ? null : spec, parser._diagnostics.ToEquatableArray());
    }

    private ApiSpec? ParseDocument()
    {
        if (!ReadOptions(out string clientName, out string ns))
        {
            return null;
        }

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

        _root = mapping;
        string? version = DocReader.Text(_root["openapi"]);
        if (version is null || !(version.StartsWith("3.0", StringComparison.Ordinal) || version.StartsWith("3.1", StringComparison.Ordinal)))
        {
            string why = version is not null ? "its 'openapi' version is " + version
                : _root["swagger"] is not null ? "it is a Swagger 2.0 document; convert it to OpenAPI 3 first"
                : "it has no 'openapi' version field";
            _diagnostics.Add(DiagnosticDescriptors.NotOpenApi3, (YamlNode?)_root["openapi"] ?? _root, why);
            return null;
        }

        // PropertyNames: the JSON context nests one class per model in a class of that name.
        var typeNames = new NameTable(null, clientName, ContextName(clientName), "PropertyNames");
        _schemas = new SchemaMapper(_diagnostics, typeNames);
        YamlMapping? components = _root["components"] as YamlMapping;
        _schemas.AddComponents(components?["schemas"]);
        _cancellationToken.ThrowIfCancellationRequested();

        List<OperationSpec> operations = ReadOperations(components);
        var models = _schemas.Models.ToEquatableArray();
        var enums = _schemas.Enums.ToEquatableArray();
        string title = DocReader.Text((_root["info"] as YamlMapping)?["title"]) ?? clientName;
        return new ApiSpec(
            ns,
            clientName,
            ContextName(clientName),
            title,
            ReadServer(),
            models,
            enums,
            operations.ToEquatableArray(),
            JsonTypeCollector.Collect(models, enums, operations, ContextName(clientName)));
    }

    private bool ReadOptions(out string clientName, out string ns)
    {
        clientName = _file.ClientName ?? string.Empty;
        ns = _file.Namespace ?? string.Empty;
        bool valid = true;
        if (!NameRules.IsIdentifier(clientName))
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidOption, default(TextMark), default(TextMark), "BasetenClientName", clientName, "a C# type name such as PetsClient");
            valid = false;
        }

        if (!NameRules.IsNamespace(ns))
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidOption, default(TextMark), default(TextMark), "BasetenNamespace", ns, "a C# namespace such as Pets or Contoso.Pets");
            valid = false;
        }

        return valid;
    }

    /// <summary><c>BasetenClient</c> -> <c>BasetenJsonContext</c>; <c>Pets</c> -> <c>PetsJsonContext</c>.</summary>
    public static string ContextName(string clientName)
        => (clientName.EndsWith("Client", StringComparison.Ordinal) && clientName.Length > "Client".Length
            ? clientName.Substring(0, clientName.Length - "Client".Length)
            : clientName) + "JsonContext";

    private string? ReadServer()
    {
        if (_root["servers"] is YamlSequence { Items.Count: > 0 } servers
            && servers.Items[0] is YamlMapping server
            && DocReader.Text(server["url"]) is { } url
            && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri)
            && (uri.Scheme == "https" || uri.Scheme == "http"))
        {
            return url;
        }

        return null;
    }

    private List<OperationSpec> ReadOperations(YamlMapping? components)
    {
        var operations = new List<OperationSpec>();
        if (_root["paths"] is not YamlMapping paths)
        {
            if (_root["paths"] is { } invalid)
            {
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, invalid, "paths", "a mapping of paths to path items");
            }

            return operations;
        }

        var methodNames = new NameTable(null, "Dispose", "Transport", "DefaultBaseAddress", "Equals", "GetHashCode", "ToString", "GetType");
        var reader = new OperationReader(_diagnostics, _schemas, components);
        foreach (KeyValuePair<YamlScalar, YamlNode> pathEntry in paths.Entries)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (pathEntry.Value is not YamlMapping pathItem)
            {
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, pathEntry.Value, pathEntry.Key.Value, "a path item");
                continue;
            }

            foreach (KeyValuePair<YamlScalar, YamlNode> entry in pathItem.Entries)
            {
                if (Array.IndexOf(s_methods, entry.Key.Value) < 0)
                {
                    continue;
                }

                if (entry.Value is not YamlMapping operation)
                {
                    _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, entry.Value, entry.Key.Value + " " + pathEntry.Key.Value, "an operation object");
                    continue;
                }

                if (reader.Read(pathEntry.Key.Value, pathItem, entry.Key, operation, methodNames) is { } spec)
                {
                    operations.Add(spec);
                }
            }
        }

        return operations;
    }
}
