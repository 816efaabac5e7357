using System;
using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Parsing;

/// <summary>
/// Turns JSON schemas into C# types: named component schemas into models and enums, inline
/// objects and enums into types named after where they appear, everything else into a
/// <see cref="TypeRef"/> (DESIGN.md, "Mapping rules").
/// </summary>
internal sealed class SchemaMapper
{
    private const string SchemaRefPrefix = "#/components/schemas/";

    private static readonly string[] s_enumReservedNames = ["Value", "KnownValue", "Known", "IsKnown", "Unknown", "Equals", "GetHashCode", "ToString", "GetType", "Converter"];

    // Members every class inherits from object: a property of the same name would hide one.
    private static readonly string[] s_objectMemberNames = ["Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals"];



    private readonly DiagnosticBag _diagnostics;
    private readonly NameTable _typeNames;
    private readonly Dictionary<string, NamedSchema> _named = new(StringComparer.Ordinal);
    private readonly List<NamedSchema> _componentOrder = new();
    private readonly List<ModelSpec> _inlineModels = new();
    private readonly List<EnumSpec> _inlineEnums = new();
    private readonly List<ModelSpec> _componentModels = new();
    private readonly List<EnumSpec> _componentEnums = new();

    public SchemaMapper(DiagnosticBag diagnostics, NameTable typeNames)
    {
        _diagnostics = diagnostics;
        _typeNames = typeNames;
    }

    private sealed class NamedSchema
    {
        public NamedSchema(string specName, YamlScalar key, YamlMapping node)
        {
            SpecName = specName;
            Key = key;
            Node = node;
        }

        public string SpecName { get; }

        public YamlScalar Key { get; }

        public YamlMapping Node { get; }

        public TypeRef? Resolved { get; set; }

        public bool Resolving { get; set; }
    }

    /// <summary>Component models in document order, then inline ones in the order they were met.</summary>
    public IEnumerable<ModelSpec> Models => _componentModels.Concat(_inlineModels);

    /// <summary>Component enums in document order, then inline ones in the order they were met.</summary>
    public IEnumerable<EnumSpec> Enums => _componentEnums.Concat(_inlineEnums);

    /// <summary>Declares every <c>components/schemas</c> entry, then builds them, in document order.</summary>
    public void AddComponents(YamlNode? schemas)
    {
        if (schemas is null)
        {
            return;
        }

        if (schemas is not YamlMapping mapping)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, schemas, "components/schemas", "a mapping of schema names to schemas");
            return;
        }

        foreach (KeyValuePair<YamlScalar, YamlNode> entry in mapping.Entries)
        {
            if (entry.Value is not YamlMapping schema)
            {
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, entry.Value, "components/schemas/" + entry.Key.Value, "a schema object");
                continue;
            }

            var named = new NamedSchema(entry.Key.Value, entry.Key, schema);
            _named[named.SpecName] = named;
            _componentOrder.Add(named);
            if (IsObjectSchema(schema) || IsStringEnum(schema))
            {
                string candidate = NameRules.ToTypeName(named.SpecName, "Schema");
                string name = ClaimTypeName(candidate, isEnum: !IsObjectSchema(schema));
                if (name != candidate)
                {
                    _diagnostics.Add(DiagnosticDescriptors.NameCollision, entry.Key, named.SpecName, candidate, name);
                }

                named.Resolved = IsObjectSchema(schema) ? TypeRef.ModelNamed(name) : TypeRef.EnumNamed(name);
            }
        }

        foreach (NamedSchema named in _componentOrder)
        {
            if (named.Resolved is { Kind: TypeKind.Model } model)
            {
                _componentModels.Add(BuildModel(model.Name!, named.Node));
            }
            else if (named.Resolved is { Kind: TypeKind.Enum } enumType)
            {
                _componentEnums.Add(BuildEnum(enumType.Name!, named.Node));
            }
            else
            {
                ResolveNamed(named);
            }
        }
    }

    /// <summary>The C# type of a schema; <paramref name="nameHint"/> names any inline type it declares.</summary>
    public TypeRef Map(YamlNode? node, string nameHint)
    {
        if (node is null || node is YamlScalar { IsPlain: true, Value: "true" })
        {
            return TypeRef.Of(TypeKind.JsonElement);
        }

        if (node is not YamlMapping schema)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, node, nameHint, "a schema object");
            return TypeRef.Of(TypeKind.JsonElement);
        }

        bool nullable = DocReader.IsTrue(schema["nullable"]);
        if (schema["$ref"] is { } reference)
        {
            TypeRef target = ResolveReference(reference);
            return target.WithNullable(target.IsNullable || nullable);
        }

        foreach (string combinator in new[] { "anyOf", "oneOf" })
        {
            if (schema[combinator] is YamlSequence alternatives)
            {
                return MapAlternatives(schema.KeyOf(combinator)!, alternatives, nameHint, nullable);
            }
        }

        if (schema["allOf"] is YamlSequence parts)
        {
            if (parts.Items.Count == 1)
            {
                TypeRef single = Map(parts.Items[0], nameHint);
                return single.WithNullable(single.IsNullable || nullable);
            }

            _diagnostics.Add(DiagnosticDescriptors.UnsupportedSchema, schema.KeyOf("allOf"), "'allOf' with several schemas", "'" + nameHint + "'");
            return new TypeRef(TypeKind.JsonElement, nullable);
        }

        string? type = ReadType(schema, nameHint, ref nullable);
        if (IsStringEnum(schema))
        {
            return TypeRef.EnumNamed(DeclareInline(nameHint, isEnum: true, name => _inlineEnums.Add(BuildEnum(name, schema)))).WithNullable(nullable || EnumAllowsNull(schema));
        }

        TypeRef mapped = type switch
        {
            "string" => DocReader.Text(schema["format"]) == "date-time" ? TypeRef.Of(TypeKind.DateTimeOffset) : TypeRef.Of(TypeKind.String),
            "integer" => DocReader.Text(schema["format"]) == "int64" ? TypeRef.Of(TypeKind.Int64) : TypeRef.Of(TypeKind.Int32),
            "number" => TypeRef.Of(TypeKind.Double),
            "boolean" => TypeRef.Of(TypeKind.Boolean),
            "array" => TypeRef.ArrayOf(Map(schema["items"], nameHint + "Item")),
            "null" => new TypeRef(TypeKind.JsonElement, true),
            _ when IsObjectSchema(schema) => TypeRef.ModelNamed(DeclareInline(nameHint, isEnum: false, name => _inlineModels.Add(BuildModel(name, schema)))),
            _ when schema["additionalProperties"] is YamlMapping valueSchema => TypeRef.MapOf(Map(valueSchema, nameHint + "Value")),
            _ when type is null && schema["items"] is not null => TypeRef.ArrayOf(Map(schema["items"], nameHint + "Item")),
            _ when type is null && schema["const"] is YamlScalar constant => ConstType(constant),
            _ => TypeRef.Of(TypeKind.JsonElement),
        };

        return mapped.WithNullable(mapped.IsNullable || nullable);
    }

    private TypeRef MapAlternatives(YamlScalar combinator, YamlSequence alternatives, string nameHint, bool nullable)
    {
        var nonNull = new List<YamlNode>();
        bool hasNull = false;
        foreach (YamlNode alternative in alternatives.Items)
        {
            if (alternative is YamlMapping m && m.Entries.Count >= 1 && m["type"] is YamlScalar { Value: "null" } && m["$ref"] is null)
            {
                hasNull = true;
            }
            else
            {
                nonNull.Add(alternative);
            }
        }

        if (nonNull.Count == 1)
        {
            TypeRef single = Map(nonNull[0], nameHint);
            return single.WithNullable(single.IsNullable || hasNull || nullable);
        }

        if (nonNull.Count > 1)
        {
            _diagnostics.Add(DiagnosticDescriptors.UnsupportedSchema, combinator, "'" + combinator.Value + "' with several non-null schemas", "'" + nameHint + "'");
        }

        return new TypeRef(TypeKind.JsonElement, hasNull || nullable);
    }

    private string? ReadType(YamlMapping schema, string nameHint, ref bool nullable)
    {
        switch (schema["type"])
        {
            case YamlScalar scalar:
                return scalar.Value;

            case YamlSequence list:
            {
                var types = new List<string>();
                foreach (YamlNode item in list.Items)
                {
                    if (item is YamlScalar { Value: "null" })
                    {
                        nullable = true;
                    }
                    else if (item is YamlScalar named)
                    {
                        types.Add(named.Value);
                    }
                }

                if (types.Count > 1)
                {
                    _diagnostics.Add(DiagnosticDescriptors.UnsupportedSchema, list, "a 'type' list of several types", "'" + nameHint + "'");
                    return "any";
                }

                return types.Count == 1 ? types[0] : "null";
            }

            case null:
                return null;

            default:
                _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, schema["type"], "type", "a type name or a list of type names");
                return "any";
        }
    }

    private static TypeRef ConstType(YamlScalar constant)
    {
        if (!constant.IsPlain)
        {
            return TypeRef.Of(TypeKind.String);
        }

        if (constant.Value is "true" or "false")
        {
            return TypeRef.Of(TypeKind.Boolean);
        }

        return DocReader.IsNumber(constant.Value)
            ? (constant.Value.IndexOfAny(['.', 'e', 'E']) >= 0 ? TypeRef.Of(TypeKind.Double) : TypeRef.Of(TypeKind.Int64))
            : TypeRef.Of(TypeKind.String);
    }

    private TypeRef ResolveReference(YamlNode reference)
    {
        string? text = (reference as YamlScalar)?.Value;
        if (text is not null && text.StartsWith(SchemaRefPrefix, StringComparison.Ordinal)
            && _named.TryGetValue(UnescapePointer(text.Substring(SchemaRefPrefix.Length)), out NamedSchema? named))
        {
            return ResolveNamed(named) ?? TypeRef.Of(TypeKind.JsonElement);
        }

        _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, reference, text ?? "(not a string)");
        return TypeRef.Of(TypeKind.JsonElement);
    }

    // A named schema that declares no type (an alias such as "Id: {type: string}") resolves to the type it maps to.
    private TypeRef? ResolveNamed(NamedSchema named)
    {
        if (named.Resolved is not null)
        {
            return named.Resolved;
        }

        if (named.Resolving)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, named.Key, "components/schemas/" + named.SpecName, "more than a cycle of references");
            named.Resolved = TypeRef.Of(TypeKind.JsonElement);
            return named.Resolved;
        }

        named.Resolving = true;
        TypeRef mapped = Map(named.Node, NameRules.ToTypeName(named.SpecName, "Schema"));
        named.Resolving = false;
        named.Resolved ??= mapped;
        return named.Resolved;
    }

    private string DeclareInline(string nameHint, bool isEnum, Action<string> build)
    {
        string name = ClaimTypeName(NameRules.ToTypeName(nameHint, "InlineSchema"), isEnum);
        build(name);
        return name;
    }

    // An enum struct cannot be named like one of its own members (Known, Value, Converter, ...).
    private string ClaimTypeName(string candidate, bool isEnum)
        => _typeNames.Claim(isEnum && Array.IndexOf(s_enumReservedNames, candidate) >= 0 ? candidate + "Enum" : candidate);

    private ModelSpec BuildModel(string name, YamlMapping schema)
    {
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (schema["required"] is YamlSequence requiredList)
        {
            foreach (YamlNode item in requiredList.Items)
            {
                if (item is YamlScalar scalar)
                {
                    required.Add(scalar.Value);
                }
            }
        }
        else if (schema["required"] is { } invalid)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, invalid, name + ".required", "a list of property names");
        }

        var properties = new List<PropertySpec>();
        if (schema["properties"] is YamlMapping propertyMap)
        {
            var memberNames = new NameTable(null, [name, .. s_objectMemberNames]);
            foreach (KeyValuePair<YamlScalar, YamlNode> entry in propertyMap.Entries)
            {
                string wireName = entry.Key.Value;
                string candidate = NameRules.ToPascalCase(wireName, "Property");
                string propertyName = memberNames.Claim(candidate);
                if (propertyName != candidate)
                {
                    _diagnostics.Add(DiagnosticDescriptors.NameCollision, entry.Key, name + "." + wireName, candidate, propertyName);
                }

                bool isRequired = required.Contains(wireName);
                TypeRef type = Map(entry.Value, name + propertyName);
                properties.Add(new PropertySpec(
                    propertyName,
                    wireName,
                    type.WithNullable(type.IsNullable || !isRequired),
                    isRequired,
                    type.IsNullable,
                    DocReader.Read(entry.Value as YamlMapping)));
            }
        }
        else if (schema["properties"] is { } invalid)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, invalid, name + ".properties", "a mapping of property names to schemas");
        }

        return new ModelSpec(name, DocReader.Read(schema), properties.ToEquatableArray());
    }

    private EnumSpec BuildEnum(string name, YamlMapping schema)
    {
        var members = new List<EnumMemberSpec>();
        var memberNames = new NameTable(null, [name, .. s_enumReservedNames]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (YamlNode item in ((YamlSequence)schema["enum"]!).Items)
        {
            if (item is not YamlScalar scalar || scalar.IsNull || !seen.Add(scalar.Value))
            {
                continue;
            }

            string candidate = NameRules.ToPascalCase(scalar.Value, "Value");
            string memberName = memberNames.Claim(candidate);
            if (memberName != candidate)
            {
                _diagnostics.Add(DiagnosticDescriptors.NameCollision, scalar, name + "." + scalar.Value, candidate, memberName);
            }

            members.Add(new EnumMemberSpec(memberName, scalar.Value));
        }

        return new EnumSpec(name, DocReader.Read(schema), members.ToEquatableArray());
    }

    private static bool IsObjectSchema(YamlMapping schema)
        => schema["$ref"] is null && schema["anyOf"] is null && schema["oneOf"] is null && schema["allOf"] is null
           && schema["enum"] is null && schema["properties"] is not null;

    // String enums: "type: string" (or no type) and at least one non-null value.
    private static bool IsStringEnum(YamlMapping schema)
    {
        if (schema["$ref"] is not null || schema["enum"] is not YamlSequence values)
        {
            return false;
        }

        string? type = (schema["type"] as YamlScalar)?.Value;
        if (schema["type"] is YamlSequence types)
        {
            foreach (YamlNode t in types.Items)
            {
                if (t is YamlScalar { Value: not "null" } named)
                {
                    type = named.Value;
                }
            }
        }

        if (type is not null && type != "string")
        {
            return false;
        }

        bool any = false;
        foreach (YamlNode value in values.Items)
        {
            if (value is not YamlScalar scalar)
            {
                return false;
            }

            if (!scalar.IsNull)
            {
                if (type is null && scalar.IsPlain && (DocReader.IsNumber(scalar.Value) || scalar.Value is "true" or "false"))
                {
                    return false;
                }

                any = true;
            }
        }

        return any;
    }

    private static bool EnumAllowsNull(YamlMapping schema)
    {
        foreach (YamlNode value in ((YamlSequence)schema["enum"]!).Items)
        {
            if (value is YamlScalar { IsNull: true })
            {
                return true;
            }
        }

        return false;
    }

    private static string UnescapePointer(string segment)
        => Uri.UnescapeDataString(segment).Replace("~1", "/").Replace("~0", "~");
}
