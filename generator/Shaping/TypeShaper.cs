using System;
using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

/// <summary>
/// Turns the document's schemas into C# types, seeing them all at once: named schemas become
/// models, open enums and unions under their own names (claimed first, in document order, so an
/// inline type never takes a name the document gives); inline ones are named after where they
/// appear; references, aliases and cycles resolve here. See DESIGN.md, "Mapping rules".
/// </summary>
internal sealed partial class TypeShaper
{
    private const string SchemaRefPrefix = "#/components/schemas/";

    private readonly DiagnosticBag _diagnostics;
    private readonly NameTable _typeNames;
    private readonly string _namespace;
    private readonly Dictionary<string, Component> _components = new(StringComparer.Ordinal);
    private readonly List<string> _modelOrder = new();
    private readonly Dictionary<string, ModelSpec> _models = new(StringComparer.Ordinal);
    private readonly List<EnumSpec> _enums = new();
    private readonly List<UnionSpec> _unions = new();
    private readonly Dictionary<string, string> _unionsByShape = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Union, string Property, string Value)> _variantOf = new(StringComparer.Ordinal);

    public TypeShaper(DiagnosticBag diagnostics, NameTable typeNames, string ns)
    {
        _diagnostics = diagnostics;
        _typeNames = typeNames;
        _namespace = ns;
    }

    private enum ShapeKind
    {
        Alias,
        Model,
        Enum,
        Union,
    }

    /// <summary>A <c>components/schemas</c> entry and what it becomes.</summary>
    private sealed class Component
    {
        public Component(NamedSchema named, ShapeKind kind)
        {
            Named = named;
            Kind = kind;
        }

        public NamedSchema Named { get; }

        public ShapeKind Kind { get; }

        public SchemaObject Schema => Named.Schema;

        public TypeRef? Resolved { get; set; }

        public bool Resolving { get; set; }

        public bool Built { get; set; }
    }

    public IEnumerable<ModelSpec> Models => _modelOrder.Select(name => _models[name]);

    public IEnumerable<EnumSpec> Enums => _enums;

    /// <summary>The schema a <c>$ref</c> to <c>components/schemas</c> names, or null.</summary>
    public SchemaObject? Resolve(string reference) => ComponentOf(reference)?.Schema;

    /// <summary>The model of that name, once built.</summary>
    public ModelSpec? FindModel(string name) => _models.TryGetValue(name, out ModelSpec? model) ? model : null;

    public IEnumerable<UnionSpec> Unions => _unions;

    /// <summary>Claims a name for every named model, enum and union, then builds them in document order.</summary>
    public void AddComponents(EquatableArray<NamedSchema> schemas)
    {
        foreach (NamedSchema named in schemas)
        {
            var component = new Component(named, Classify(named.Schema));
            _components[named.Name] = component;
            if (component.Kind == ShapeKind.Alias)
            {
                continue;
            }

            string candidate = NameRules.ToTypeName(named.Name, "Schema");
            string name = ClaimTypeName(candidate, component.Kind);
            if (name != candidate)
            {
                _diagnostics.Add(DiagnosticDescriptors.NameCollision, named.KeySpan, named.Name, candidate, name);
            }

            component.Resolved = component.Kind switch
            {
                ShapeKind.Model => TypeRef.ModelNamed(name),
                ShapeKind.Enum => TypeRef.EnumNamed(name),
                _ => TypeRef.UnionNamed(name),
            };
            if (component.Kind == ShapeKind.Model)
            {
                // Reserve the model's place in document order; it is built below.
                _modelOrder.Add(name);
                _models[name] = new ModelSpec(name, DocSpec.None, EquatableArray<PropertySpec>.Empty);
            }
        }

        FindHierarchies(schemas);
        BuildHierarchies();
        foreach (NamedSchema named in schemas)
        {
            Build(_components[named.Name]);
        }

        FinishHierarchies();
    }

    private void Build(Component component)
    {
        if (component.Built)
        {
            return;
        }

        component.Built = true;
        switch (component.Kind)
        {
            case ShapeKind.Model:
                BuildModel(component.Resolved!.Name!, component.Schema);
                break;
            case ShapeKind.Enum:
                _enums.Add(BuildEnum(component.Resolved!.Name!, component.Schema));
                break;
            case ShapeKind.Union:
                TypeRef union = BuildUnion(component.Resolved!.Name!, component.Schema, component.Resolved.Name!, named: true);
                if (union.Kind == TypeKind.Model)
                {
                    // The variants of a base schema's hierarchy: the base model stands for the union.
                    component.Resolved = union;
                }

                break;
            default:
                ResolveAlias(component);
                break;
        }
    }

    /// <summary>The C# type of a schema; <paramref name="nameHint"/> names any inline type it declares.</summary>
    public TypeRef Map(SchemaObject? schema, string nameHint)
    {
        if (schema is null || schema.BooleanSchema is not null)
        {
            return TypeRef.Of(TypeKind.JsonElement);
        }

        bool nullable = schema.Nullable;
        if (schema.Ref is not null)
        {
            TypeRef target = ResolveReference(schema.Ref, schema.RefSpan);
            return target.WithNullable(target.IsNullable || nullable);
        }

        switch (Classify(schema))
        {
            case ShapeKind.Model:
                string modelName = ClaimTypeName(NameRules.ToTypeName(nameHint, "InlineSchema"), ShapeKind.Model);
                BuildModel(modelName, schema);
                return TypeRef.ModelNamed(modelName).WithNullable(nullable);
            case ShapeKind.Enum:
                string enumName = ClaimTypeName(NameRules.ToTypeName(nameHint, "InlineSchema"), ShapeKind.Enum);
                _enums.Add(BuildEnum(enumName, schema));
                return TypeRef.EnumNamed(enumName).WithNullable(nullable || EnumAllowsNull(schema));
            case ShapeKind.Union:
                return MapUnion(schema, nameHint);
        }

        // An alias: one alternative of a composition, or a plain type.
        EquatableArray<SchemaObject> alternatives = schema.OneOf.Count > 0 ? schema.OneOf : schema.AnyOf;
        if (alternatives.Count > 0)
        {
            List<SchemaObject> nonNull = NonNull(alternatives, out bool hasNull);
            TypeRef single = nonNull.Count == 1 ? Map(nonNull[0], nameHint) : TypeRef.Of(TypeKind.JsonElement);
            return single.WithNullable(single.IsNullable || hasNull || nullable);
        }

        if (schema.AllOf.Count == 1)
        {
            TypeRef single = Map(schema.AllOf[0], nameHint);
            return single.WithNullable(single.IsNullable || nullable);
        }

        return MapPlain(schema, nameHint).WithNullable(nullable);
    }

    private static ShapeKind Classify(SchemaObject schema)
    {
        if (schema.BooleanSchema is not null || schema.Ref is not null)
        {
            return ShapeKind.Alias;
        }

        EquatableArray<SchemaObject> alternatives = schema.OneOf.Count > 0 ? schema.OneOf : schema.AnyOf;
        if (alternatives.Count > 0)
        {
            return NonNull(alternatives, out _).Count > 1 ? ShapeKind.Union : ShapeKind.Alias;
        }

        if (schema.AllOf.Count > 1 || (schema.AllOf.Count == 1 && schema.HasProperties))
        {
            return ShapeKind.Model;
        }

        if (schema.AllOf.Count == 1)
        {
            return ShapeKind.Alias;
        }

        if (IsStringEnum(schema))
        {
            return ShapeKind.Enum;
        }

        if (schema.HasProperties)
        {
            return ShapeKind.Model;
        }

        return schema.Types.Count > 1 ? ShapeKind.Union : ShapeKind.Alias;
    }

    private static List<SchemaObject> NonNull(EquatableArray<SchemaObject> alternatives, out bool hasNull)
    {
        var result = new List<SchemaObject>();
        hasNull = false;
        foreach (SchemaObject alternative in alternatives)
        {
            if (alternative.Ref is null && (alternative.Types is [ "null" ] || alternative.Const?.Kind == JsonLiteralKind.Null))
            {
                hasNull = true;
            }
            else
            {
                result.Add(alternative);
            }
        }

        return result;
    }

    private TypeRef ResolveReference(string reference, SourceSpan span)
    {
        if (reference.StartsWith(SchemaRefPrefix, StringComparison.Ordinal)
            && _components.TryGetValue(OpenApiParser.UnescapePointer(reference.Substring(SchemaRefPrefix.Length)), out Component? component))
        {
            if (component.Kind == ShapeKind.Alias)
            {
                return ResolveAlias(component);
            }

            if (component.Kind == ShapeKind.Union)
            {
                Build(component);
            }

            return component.Resolved!;
        }

        _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, span, reference, "it names no schema of this document");
        return TypeRef.Of(TypeKind.JsonElement);
    }

    private Component? ComponentOf(string reference)
        => reference.StartsWith(SchemaRefPrefix, StringComparison.Ordinal)
           && _components.TryGetValue(OpenApiParser.UnescapePointer(reference.Substring(SchemaRefPrefix.Length)), out Component? component)
            ? component
            : null;

    // A named schema that declares no type of its own (an alias such as "Id: {type: string}") resolves to what it maps to.
    private TypeRef ResolveAlias(Component component)
    {
        if (component.Resolved is not null)
        {
            return component.Resolved;
        }

        if (component.Resolving)
        {
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, component.Named.KeySpan, "components/schemas/" + component.Named.Name, "more than a cycle of references", "it is read as any JSON value (JsonElement)");
            component.Resolved = TypeRef.Of(TypeKind.JsonElement);
            return component.Resolved;
        }

        component.Resolving = true;
        TypeRef mapped = Map(component.Schema, NameRules.ToTypeName(component.Named.Name, "Schema"));
        component.Resolving = false;
        component.Resolved ??= mapped;
        return component.Resolved;
    }

    private string ClaimTypeName(string candidate, ShapeKind kind)
    {
        // An enum or union class cannot be named like one of its own members (Known, Value, Converter, ...).
        string[] members = kind == ShapeKind.Enum ? ReservedNames.EnumMembers : kind == ShapeKind.Union ? ReservedNames.UnionMembers : [];
        return _typeNames.Claim(Array.IndexOf(members, candidate) >= 0 ? candidate + kind : candidate);
    }

    // A name the generator itself gives a member of this type (the class's own name, Unknown,
    // Value, Equals, ...) is told apart by a suffix, without a warning: nothing in the document
    // collides, and the result is the same on every build. Two document names that map to one C#
    // name still get a number and BTN0005.
    private static string Unreserved(string candidate, string[] reserved)
        => Array.IndexOf(reserved, candidate) >= 0 ? candidate + "Value" : candidate;
}
