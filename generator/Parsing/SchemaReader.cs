using System;
using System.Collections.Generic;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Parsing;

/// <summary>
/// Reads a schema node into a <see cref="SchemaObject"/>, keyword by keyword. Wrongly shaped
/// keywords are reported (BTN0009, a warning) and read as absent; nothing is decided about C# here.
/// </summary>
internal sealed class SchemaReader
{
    private const string ComponentPrefix = "#/components/schemas/";

    private readonly DiagnosticBag _diagnostics;
    private readonly Func<string, YamlNode?> _resolvePointer;
    private readonly Func<YamlScalar, string?> _otherFileReference;
    private readonly HashSet<string> _inlining = new(StringComparer.Ordinal);

    /// <param name="diagnostics">Where problems go.</param>
    /// <param name="resolvePointer">Finds the node a local JSON pointer (<c>#/paths/...</c>) names, or null.</param>
    /// <param name="otherFileReference">
    /// A reference that names another file, or is written in one, as the document sees it
    /// (<c>#/components/schemas/Name</c>, or a pointer into the document); null, already reported, when it leads nowhere.
    /// </param>
    public SchemaReader(DiagnosticBag diagnostics, Func<string, YamlNode?> resolvePointer, Func<YamlScalar, string?> otherFileReference)
    {
        _diagnostics = diagnostics;
        _resolvePointer = resolvePointer;
        _otherFileReference = otherFileReference;
    }

    /// <summary>A reference is about another file when it names one, or when it is written in one (its pointer is into that file).</summary>
    public static bool IsAboutOtherFile(YamlScalar reference)
        => reference.FilePath is not null || FilePaths.FilePart(reference.Value).Length > 0;

    /// <summary>Reads <paramref name="node"/>; <paramref name="where"/> names it in messages (<c>Pet.owner</c>).</summary>
    public SchemaObject Read(YamlNode node, string where)
    {
        if (node is YamlScalar { IsPlain: true } boolean && (boolean.Value is "true" or "false"))
        {
            return new SchemaObject { Span = SourceSpan.Of(node), BooleanSchema = boolean.Value == "true" };
        }

        if (node is not YamlMapping schema)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, where, "a schema object", "it is read as any JSON value (JsonElement)");
            return new SchemaObject { Span = SourceSpan.Of(node), BooleanSchema = true };
        }

        // A reference to a schema that is not a components/schemas entry (into paths, or into another
        // schema) is read where it points, as if it were written here.
        string? reference = (schema["$ref"] as YamlScalar)?.Value;
        if (schema["$ref"] is YamlScalar scalar && IsAboutOtherFile(scalar))
        {
            reference = _otherFileReference(scalar);
            if (reference is null)
            {
                return new SchemaObject { Span = SourceSpan.Of(schema), BooleanSchema = true };
            }
        }

        if (reference is { } pointer && pointer.StartsWith("#/", StringComparison.Ordinal)
            && !(pointer.StartsWith(ComponentPrefix, StringComparison.Ordinal) && pointer.IndexOf('/', ComponentPrefix.Length) < 0))
        {
            return ReadPointer(pointer, schema, where);
        }

        bool nullable = DocReader.IsTrue(schema["nullable"]);
        EquatableArray<string> types = ReadTypes(schema, where, ref nullable);
        return new SchemaObject
        {
            Span = SourceSpan.Of(schema),
            Ref = schema["$ref"] is null ? null : reference ?? "(not a string)",
            RefSpan = SourceSpan.Of(schema["$ref"]),
            Types = types,
            TypeSpan = SourceSpan.Of(schema["type"]),
            Nullable = nullable,
            Format = DocReader.Text(schema["format"]),
            ContentMediaType = DocReader.Text(schema["contentMediaType"]),
            ContentSchema = schema["contentSchema"] is { } content ? Read(content, where + ".contentSchema") : null,
            Properties = ReadProperties(schema, where),
            HasProperties = schema["properties"] is YamlMapping,
            Required = ReadRequired(schema, where),
            Items = schema["items"] is { } items ? Read(items, where + "[]") : null,
            AdditionalProperties = schema["additionalProperties"] is { } additional ? Read(additional, where + "{}") : null,
            AllOf = ReadList(schema, "allOf", where),
            AllOfSpan = SourceSpan.Of(schema.KeyOf("allOf")),
            OneOf = ReadList(schema, "oneOf", where),
            OneOfSpan = SourceSpan.Of(schema.KeyOf("oneOf")),
            AnyOf = ReadList(schema, "anyOf", where),
            AnyOfSpan = SourceSpan.Of(schema.KeyOf("anyOf")),
            Not = schema["not"] is { } not ? Read(not, where + ".not") : null,
            Discriminator = ReadDiscriminator(schema["discriminator"], where),
            Const = schema["const"] is { } constant ? Literal(constant) : null,
            Enum = ReadEnum(schema, where),
            HasEnum = schema["enum"] is YamlSequence,
            ReadOnly = DocReader.IsTrue(schema["readOnly"]),
            WriteOnly = DocReader.IsTrue(schema["writeOnly"]),
            Title = DocReader.Text(schema["title"]),
            Doc = DocReader.Read(schema),
        };
    }

    private SchemaObject ReadPointer(string pointer, YamlMapping reference, string where)
    {
        YamlNode? target = _resolvePointer(pointer);
        if (target is null)
        {
            _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, reference["$ref"], pointer, "nothing is at that place in this document");
            return new SchemaObject { Span = SourceSpan.Of(reference), BooleanSchema = true };
        }

        if (!_inlining.Add(pointer))
        {
            // A pointer that leads back to itself describes a recursive shape only a named schema can hold.
            _diagnostics.Add(DiagnosticDescriptors.UnsupportedSchema, reference["$ref"], "A recursive reference to '" + pointer + "', which is not a components/schemas entry", "'" + where + "' is typed as JsonElement");
            return new SchemaObject { Span = SourceSpan.Of(reference), BooleanSchema = true };
        }

        try
        {
            return Read(target, where);
        }
        finally
        {
            _inlining.Remove(pointer);
        }
    }

    /// <summary>The kind and text of a scalar: a quoted <c>'1'</c> is a string, a plain <c>1</c> a number.</summary>
    public static JsonLiteral Literal(YamlNode node)
    {
        if (node is not YamlScalar scalar)
        {
            return new JsonLiteral(JsonLiteralKind.Structured, DocReader.Render(node), SourceSpan.Of(node));
        }

        JsonLiteralKind kind = scalar.IsNull ? JsonLiteralKind.Null
            : scalar.IsPlain && scalar.Value is "true" or "false" ? JsonLiteralKind.Boolean
            : scalar.IsPlain && DocReader.IsNumber(scalar.Value) ? JsonLiteralKind.Number
            : JsonLiteralKind.String;
        return new JsonLiteral(kind, scalar.Value, SourceSpan.Of(node));
    }

    private EquatableArray<string> ReadTypes(YamlMapping schema, string where, ref bool nullable)
    {
        var types = new List<string>();
        switch (schema["type"])
        {
            case null:
                break;
            case YamlScalar { Value: "null" }:
                nullable = true;
                types.Add("null");
                break;
            case YamlScalar scalar:
                types.Add(scalar.Value);
                break;
            case YamlSequence list:
                bool onlyNull = true;
                foreach (YamlNode item in list.Items)
                {
                    if (item is YamlScalar { Value: "null" })
                    {
                        nullable = true;
                    }
                    else if (item is YamlScalar named)
                    {
                        onlyNull = false;
                        types.Add(named.Value);
                    }
                }

                if (onlyNull && nullable)
                {
                    types.Add("null");
                }

                break;
            default:
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, schema["type"], where + ".type", "a type name or a list of type names", "the schema is read as if it had no type");
                break;
        }

        return types.ToEquatableArray();
    }

    private EquatableArray<PropertyObject> ReadProperties(YamlMapping schema, string where)
    {
        if (Member<YamlMapping>(schema, "properties", where, "a mapping of property names to schemas") is not { } properties)
        {
            return EquatableArray<PropertyObject>.Empty;
        }

        var result = new List<PropertyObject>(properties.Entries.Count);
        foreach (KeyValuePair<YamlScalar, YamlNode> entry in properties.Entries)
        {
            result.Add(new PropertyObject(entry.Key.Value, SourceSpan.Of(entry.Key), Read(entry.Value, where + "." + entry.Key.Value)));
        }

        return result.ToEquatableArray();
    }

    // A schema keyword's value when it is the kind of node expected; null when it is absent, and null
    // with a diagnostic at the value when it is something else.
    private TNode? Member<TNode>(YamlMapping schema, string keyword, string where, string expected)
        where TNode : YamlNode
    {
        YamlNode? value = schema[keyword];
        if (value is null or TNode)
        {
            return value as TNode;
        }

        _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, value, where + "." + keyword, expected, "the keyword is ignored");
        return null;
    }

    private EquatableArray<string> ReadRequired(YamlMapping schema, string where)
    {
        if (schema["required"] is null)
        {
            return EquatableArray<string>.Empty;
        }

        var result = new List<string>();
        if (schema["required"] is YamlSequence list)
        {
            foreach (YamlNode item in list.Items)
            {
                if (item is YamlScalar scalar && !result.Contains(scalar.Value))
                {
                    result.Add(scalar.Value);
                }
            }
        }
        else if (schema["required"] is not YamlScalar { IsPlain: true, Value: "true" or "false" })
        {
            // OpenAPI 2 / draft 3 wrote "required: true" on a property; that is read as nothing.
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, schema["required"], where + ".required", "a list of property names", "every property is optional");
        }

        return result.ToEquatableArray();
    }

    private EquatableArray<SchemaObject> ReadList(YamlMapping schema, string keyword, string where)
    {
        if (Member<YamlSequence>(schema, keyword, where, "a list of schemas") is not { } list)
        {
            return EquatableArray<SchemaObject>.Empty;
        }

        var result = new List<SchemaObject>(list.Items.Count);
        foreach (YamlNode item in list.Items)
        {
            result.Add(Read(item, where));
        }

        return result.ToEquatableArray();
    }

    private DiscriminatorObject? ReadDiscriminator(YamlNode? node, string where)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMapping discriminator || DocReader.Text(discriminator["propertyName"]) is not { } propertyName)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, where + ".discriminator", "a discriminator object with a 'propertyName'", "the union is read by the shape of its alternatives");
            return null;
        }

        if (discriminator.KeyOf("defaultMapping") is { } defaultMapping)
        {
            _diagnostics.Add(DiagnosticDescriptors.FeatureNotSupported, defaultMapping, "'defaultMapping' (" + where + ".discriminator)", "a value the mapping does not name is kept as an unknown case");
        }

        var mapping = new List<DiscriminatorMapping>();
        if (discriminator["mapping"] is YamlMapping entries)
        {
            foreach (KeyValuePair<YamlScalar, YamlNode> entry in entries.Entries)
            {
                if (entry.Value is YamlScalar target)
                {
                    string value = IsFileReference(target) ? _otherFileReference(target) ?? target.Value : target.Value;
                    mapping.Add(new DiscriminatorMapping(entry.Key.Value, value, SourceSpan.Of(entry.Value)));
                }
                else
                {
                    _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, entry.Value, where + ".discriminator.mapping." + entry.Key.Value, "a schema name or reference", "this value is not mapped");
                }
            }
        }
        else if (discriminator["mapping"] is { } invalid)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, invalid, where + ".discriminator.mapping", "a mapping of values to schema references", "the mapping is ignored");
        }

        return new DiscriminatorObject(propertyName, mapping.ToEquatableArray(), SourceSpan.Of(node));
    }

    // A mapping value is a schema name (Cat) or a reference ('#/components/schemas/Cat', './cat.yaml');
    // a reference in another file, or to one, is rewritten as any other schema reference is.
    private static bool IsFileReference(YamlScalar value)
        => IsAboutOtherFile(value) && (value.Value.IndexOf('#') >= 0 || value.Value.IndexOf('/') >= 0
            || value.Value.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || value.Value.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            || value.Value.EndsWith(".json", StringComparison.OrdinalIgnoreCase));

    private EquatableArray<JsonLiteral> ReadEnum(YamlMapping schema, string where)
    {
        if (Member<YamlSequence>(schema, "enum", where, "a list of values") is not { } values)
        {
            return EquatableArray<JsonLiteral>.Empty;
        }

        var result = new List<JsonLiteral>(values.Items.Count);
        foreach (YamlNode value in values.Items)
        {
            result.Add(Literal(value));
        }

        return result.ToEquatableArray();
    }
}
