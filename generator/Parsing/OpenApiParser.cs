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
internal sealed partial class OpenApiParser
{
    // The path item's method fields; 'query' (OpenAPI 3.2) is a safe method with a body.
    private static readonly string[] s_methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"];

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
        _schemas = new SchemaReader(_diagnostics, ResolvePointer, SchemaReference);
        _cancellationToken = cancellationToken;
    }

    public static ParseResult Parse(OpenApiFile file, CancellationToken cancellationToken = default)
        => Parse(file, EquatableArray<ReferencedFile>.Empty, cancellationToken);

    /// <summary>Reads <paramref name="file"/>, following its references into <paramref name="references"/> (the other AdditionalFiles it reaches).</summary>
    public static ParseResult Parse(OpenApiFile file, EquatableArray<ReferencedFile> references, CancellationToken cancellationToken)
    {
        var parser = new OpenApiParser(file, cancellationToken);
        parser.AddReferencedFiles(references);
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
            // A bug of ours must still surface as a diagnostic (its own id, at the file), never as CS8785.
            parser._diagnostics.Add(DiagnosticDescriptors.GeneratorFailure, default(TextMark), default(TextMark), "read", exception.GetType().Name + ": " + exception.Message);
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
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, duplicate.Start, duplicate.End, duplicate.Message, "unique within its mapping", "the first one is read and this one is ignored");
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
        if (version is null || !(version.StartsWith("3.0", StringComparison.Ordinal) || version.StartsWith("3.1", StringComparison.Ordinal) || version.StartsWith("3.2", StringComparison.Ordinal)))
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
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, components, "components", "a mapping", "it is ignored, and references into it do not resolve");
        }

        if (mapping.KeyOf("$self") is { } self)
        {
            // References resolve against the file's path in the compilation (other files must be AdditionalFiles), never against a URI.
            _diagnostics.Add(DiagnosticDescriptors.FeatureNotSupported, self, "'$self' (the document's own URI)", "it is ignored; relative references resolve against the file's own path");
        }

        EquatableArray<NamedSchema> schemas = ReadSchemas();
        _cancellationToken.ThrowIfCancellationRequested();
        return WithReferencedSchemas(new OpenApiDocument(
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
            _file.OptionsConstructors) { Webhooks = ReadWebhooks(mapping["webhooks"]) });
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
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, "components/schemas", "a mapping of schema names to schemas", "no named schema is generated, and references to them are read as any JSON value");
            return EquatableArray<NamedSchema>.Empty;
        }

        ClaimComponentTargets(mapping);
        var result = new List<NamedSchema>(mapping.Entries.Count);
        foreach (KeyValuePair<YamlScalar, YamlNode> entry in mapping.Entries)
        {
            if (entry.Value is not YamlMapping && entry.Value is not YamlScalar { IsPlain: true, Value: "true" or "false" })
            {
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, entry.Value, "components/schemas/" + entry.Key.Value, "a schema object", "it is not generated, and references to it are read as any JSON value");
                continue;
            }

            result.Add(new NamedSchema(entry.Key.Value, SourceSpan.Of(entry.Key), _schemas.Read(ComponentSchema(entry.Value), entry.Key.Value)));
        }

        return result.ToEquatableArray();
    }
}
