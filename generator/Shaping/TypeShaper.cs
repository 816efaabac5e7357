using System;
using System.Collections.Generic;
using System.Globalization;
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
internal sealed class TypeShaper
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

        foreach (NamedSchema named in schemas)
        {
            Build(_components[named.Name]);
        }
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
                BuildUnion(component.Resolved!.Name!, component.Schema, component.Resolved.Name!, named: true);
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

    private TypeRef MapPlain(SchemaObject schema, string nameHint)
    {
        string? type = schema.Types.Count == 1 ? schema.Types[0] : null;
        switch (type)
        {
            case "string":
                return schema.Format == "date-time" ? TypeRef.Of(TypeKind.DateTimeOffset) : TypeRef.Of(TypeKind.String);
            case "integer":
                // JSON Schema integers are unbounded; only an explicit int32 fits an int.
                return schema.Format == "int32" ? TypeRef.Of(TypeKind.Int32) : TypeRef.Of(TypeKind.Int64);
            case "number":
                return TypeRef.Of(TypeKind.Double);
            case "boolean":
                return TypeRef.Of(TypeKind.Boolean);
            case "array":
                return TypeRef.ArrayOf(Map(schema.Items, nameHint + "Item"));
            case "null":
                return new TypeRef(TypeKind.JsonElement, true);
        }

        if (schema.AdditionalProperties is { BooleanSchema: null } valueSchema)
        {
            return TypeRef.MapOf(Map(valueSchema, nameHint + "Value"));
        }

        if (type is null && schema.Items is not null)
        {
            return TypeRef.ArrayOf(Map(schema.Items, nameHint + "Item"));
        }

        if (type is null && schema.Const is { } constant)
        {
            return ConstType(constant);
        }

        if (type is null && schema.HasEnum && schema.Enum.Count > 0 && schema.Enum.All(v => v.Kind is JsonLiteralKind.Number or JsonLiteralKind.Null))
        {
            return schema.Enum.Any(v => v.Text.IndexOfAny(['.', 'e', 'E']) >= 0) ? TypeRef.Of(TypeKind.Double) : TypeRef.Of(TypeKind.Int64);
        }

        return TypeRef.Of(TypeKind.JsonElement);
    }

    private static TypeRef ConstType(JsonLiteral constant) => constant.Kind switch
    {
        JsonLiteralKind.Boolean => TypeRef.Of(TypeKind.Boolean),
        JsonLiteralKind.Number => constant.Text.IndexOfAny(['.', 'e', 'E']) >= 0 ? TypeRef.Of(TypeKind.Double) : TypeRef.Of(TypeKind.Int64),
        JsonLiteralKind.String => TypeRef.Of(TypeKind.String),
        _ => TypeRef.Of(TypeKind.JsonElement),
    };

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

        _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, span, reference);
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
            _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, component.Named.KeySpan, "components/schemas/" + component.Named.Name, "more than a cycle of references");
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

    // ---- Models -------------------------------------------------------------------------------

    private void BuildModel(string name, SchemaObject schema)
    {
        if (!_models.ContainsKey(name))
        {
            _modelOrder.Add(name);
        }

        // Placeholder first, so that a property referring back to this model finds it.
        _models[name] = new ModelSpec(name, schema.Doc, EquatableArray<PropertySpec>.Empty);

        var properties = new List<PropertyObject>();
        var required = new HashSet<string>(StringComparer.Ordinal);
        CollectMembers(schema, name, properties, required, new HashSet<string>(StringComparer.Ordinal));

        string[] reserved = [name, .. ReservedNames.ObjectMembers];
        var memberNames = new NameTable(null, reserved);
        var specs = new List<PropertySpec>(properties.Count);
        foreach (PropertyObject property in properties)
        {
            string candidate = Unreserved(NameRules.ToPascalCase(property.Name, "Property"), reserved);
            string propertyName = memberNames.Claim(candidate);
            if (propertyName != candidate)
            {
                _diagnostics.Add(DiagnosticDescriptors.NameCollision, property.KeySpan, name + "." + property.Name, candidate, propertyName);
            }

            bool isRequired = required.Contains(property.Name);
            TypeRef type = Map(property.Schema, name + propertyName);
            string? initializer = ConstValue(property.Schema, type);

            // A const member has one possible value: the model sets it, so the caller need not.
            if (initializer is not null)
            {
                isRequired = false;
            }

            specs.Add(new PropertySpec(
                propertyName,
                property.Name,
                type.WithNullable(type.IsNullable || (!isRequired && initializer is null)),
                isRequired,
                type.IsNullable,
                property.Schema.Doc,
                initializer));
        }

        _models[name] = new ModelSpec(name, schema.Doc, specs.ToEquatableArray());

        // A union that refers back to this model while it was being built made it a variant then:
        // the finished model is that variant too.
        if (_variantOf.TryGetValue(name, out (string Union, string Property, string Value) variant))
        {
            MakeVariant(name, variant.Union, variant.Property, variant.Value);
        }
    }

    // The members of an object schema with everything its allOf parts contribute, in order; a later
    // declaration of a property replaces an earlier one (the schema's own come last).
    private void CollectMembers(SchemaObject schema, string where, List<PropertyObject> properties, HashSet<string> required, HashSet<string> visiting)
    {
        foreach (SchemaObject part in schema.AllOf)
        {
            SchemaObject? target = part;
            if (part.Ref is not null)
            {
                target = ComponentOf(part.Ref)?.Schema;
                if (target is null)
                {
                    _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, part.RefSpan, part.Ref);
                    continue;
                }

                if (!visiting.Add(part.Ref))
                {
                    // allOf that comes back to itself adds nothing new.
                    continue;
                }
            }

            if (!target.HasProperties && target.AllOf.Count == 0)
            {
                if (target.Required.Count == 0 && !target.IsComposition)
                {
                    // A constraint-only part ({required: [...]}, {description: ...}) adds no member.
                    continue;
                }

                if (target.IsComposition)
                {
                    _diagnostics.Add(DiagnosticDescriptors.UnsupportedSchema, schema.AllOfSpan, "An 'allOf' part that is a union", "'" + where + "' has the members of its other parts only");
                    continue;
                }
            }

            CollectMembers(target, where, properties, required, visiting);
        }

        foreach (PropertyObject property in schema.Properties)
        {
            properties.RemoveAll(p => p.Name == property.Name);
            properties.Add(property);
        }

        foreach (string name in schema.Required)
        {
            required.Add(name);
        }
    }

    // The one value a property can have (const, or an enum of one value), when its C# type can hold it.
    private static string? ConstValue(SchemaObject schema, TypeRef type)
    {
        JsonLiteral? constant = schema.Const ?? (schema.HasEnum && schema.Enum.Count == 1 ? schema.Enum[0] : null);
        if (schema.Ref is not null || constant is null)
        {
            return null;
        }

        return (type.Kind, constant.Kind) switch
        {
            (TypeKind.String or TypeKind.Enum, JsonLiteralKind.String or JsonLiteralKind.Number or JsonLiteralKind.Boolean) => constant.Text,
            (TypeKind.Boolean, JsonLiteralKind.Boolean) => constant.Text,
            (TypeKind.Int64, JsonLiteralKind.Number) when long.TryParse(constant.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => constant.Text,
            (TypeKind.Int32, JsonLiteralKind.Number) when int.TryParse(constant.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => constant.Text,
            _ => null,
        };
    }

    // ---- Enums --------------------------------------------------------------------------------

    private EnumSpec BuildEnum(string name, SchemaObject schema)
    {
        var members = new List<EnumMemberSpec>();
        string[] reserved = [name, .. ReservedNames.EnumMembers];
        var memberNames = new NameTable(null, reserved);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonLiteral value in schema.Enum)
        {
            if (value.Kind is JsonLiteralKind.Null or JsonLiteralKind.Structured || !seen.Add(value.Text))
            {
                continue;
            }

            // "" is a common value ("unset"); "unknown" meets the sentinel Known.Unknown.
            string candidate = Unreserved(value.Text.Trim().Length == 0 ? "Empty" : NameRules.ToPascalCase(value.Text, "Value"), reserved);
            string memberName = memberNames.Claim(candidate);
            if (memberName != candidate)
            {
                _diagnostics.Add(DiagnosticDescriptors.NameCollision, value.Span, name + "." + value.Text, candidate, memberName);
            }

            members.Add(new EnumMemberSpec(memberName, value.Text));
        }

        return new EnumSpec(name, schema.Doc, members.ToEquatableArray());
    }

    // A name the generator itself gives a member of this type (the class's own name, Unknown,
    // Value, Equals, ...) is told apart by a suffix, without a warning: nothing in the document
    // collides, and the result is the same on every build. Two document names that map to one C#
    // name still get a number and BTN0005.
    private static string Unreserved(string candidate, string[] reserved)
        => Array.IndexOf(reserved, candidate) >= 0 ? candidate + "Value" : candidate;

    // String enums: "type: string" (or no type) and at least one value that is not null.
    private static bool IsStringEnum(SchemaObject schema)
    {
        if (!schema.HasEnum || schema.Types.Count > 1 || (schema.Types.Count == 1 && schema.Types[0] != "string"))
        {
            return false;
        }

        bool any = false;
        foreach (JsonLiteral value in schema.Enum)
        {
            switch (value.Kind)
            {
                case JsonLiteralKind.Null:
                    continue;
                case JsonLiteralKind.Structured:
                    return false;
                case JsonLiteralKind.Number or JsonLiteralKind.Boolean when schema.Types.Count == 0:
                    return false;
            }

            any = true;
        }

        return any;
    }

    private static bool EnumAllowsNull(SchemaObject schema) => schema.Enum.Any(v => v.Kind == JsonLiteralKind.Null);

    // ---- Unions -------------------------------------------------------------------------------

    private TypeRef MapUnion(SchemaObject schema, string nameHint) => BuildUnion(null, schema, nameHint, named: false);

    /// <summary>
    /// Builds the union a schema describes, under <paramref name="name"/> (a named schema's) or a name
    /// of its own; an inline union equal to one already built is that one. Null when it cannot be expressed.
    /// </summary>
    private TypeRef BuildUnion(string? name, SchemaObject schema, string nameHint, bool named)
    {
        bool isOneOf = schema.OneOf.Count > 0;
        EquatableArray<SchemaObject> listed = isOneOf ? schema.OneOf : schema.AnyOf;
        SourceSpan span = isOneOf ? schema.OneOfSpan : schema.AnyOf.Count > 0 ? schema.AnyOfSpan : schema.TypeSpan;
        bool nullable = schema.Nullable;
        List<SchemaObject> alternatives;
        if (listed.Count > 0)
        {
            alternatives = NonNull(listed, out bool hasNull);
            nullable |= hasNull;
        }
        else
        {
            // A type list: one alternative per type, each keeping the schema's other keywords.
            alternatives = schema.Types.Select(t => schema with { Types = new EquatableArray<string>([t]), Nullable = false }).ToList();
        }

        if (schema.Discriminator is { } discriminator
            && BuildDiscriminatedUnion(name, schema, discriminator, alternatives, nameHint, span) is { } discriminated)
        {
            return discriminated.WithNullable(nullable);
        }

        var cases = new List<(TypeRef Type, SchemaObject Schema)>();
        bool anyInline = false;
        for (int i = 0; i < alternatives.Count; i++)
        {
            SchemaObject alternative = alternatives[i];
            TypeRef type = Map(alternative, nameHint + AlternativeName(alternative, i)).WithNullable(false);
            if (alternative.Ref is not null && ComponentOf(alternative.Ref) is { } component)
            {
                // Its required properties tell objects apart: build it now if it is still to come.
                Build(component);
            }

            anyInline |= alternative.Ref is null && type.Kind is TypeKind.Model or TypeKind.Enum or TypeKind.Union;
            if (!cases.Any(c => c.Type.MetadataKey == type.MetadataKey))
            {
                cases.Add((type, alternative));
            }
        }

        if (cases.Count == 1 && !named)
        {
            // anyOf [string, {type: string, format: uuid}]: one C# type in the end.
            return cases[0].Type.WithNullable(nullable);
        }

        if (cases.Any(c => c.Type.Kind == TypeKind.JsonElement) && cases.Count > 1 && !named)
        {
            // A free-form alternative accepts anything: the union is as free as that.
            return new TypeRef(TypeKind.JsonElement, nullable);
        }

        string shape = "U:" + string.Join("|", cases.Select(c => TypeNames.CSharp(c.Type, _namespace)));
        if (!named && _unionsByShape.TryGetValue(shape, out string? existing))
        {
            return TypeRef.UnionNamed(existing).WithNullable(nullable);
        }

        var memberNames = new NameTable(null, [.. ReservedNames.UnionMembers, name ?? ReservedNames.UnionMembers[0]]);
        var caseSpecs = new List<UnionCaseSpec>();
        foreach ((TypeRef type, _) in cases)
        {
            // An inline alternative is named after the union's place ("PetCat"); its case is "Cat".
            string caseName = CaseName(type);
            string member = memberNames.Claim(caseName.Length > nameHint.Length && caseName.StartsWith(nameHint, StringComparison.Ordinal) ? caseName.Substring(nameHint.Length) : caseName);
            memberNames.TryClaim("Is" + member);
            caseSpecs.Add(new UnionCaseSpec(member, type, EquatableArray<string>.Empty, RequiredOf(type)));
        }

        if (name is null)
        {
            string composite = string.Join("Or", caseSpecs.Select(c => c.MemberName));
            string candidate = !anyInline && caseSpecs.Count <= 3 && composite.Length <= 64 ? composite : NameRules.ToTypeName(nameHint, "Union");
            name = ClaimTypeName(candidate, ShapeKind.Union);
        }

        _unionsByShape[shape] = name;
        _unions.Add(new UnionSpec(name, schema.Doc, null, caseSpecs.ToEquatableArray()));
        return TypeRef.UnionNamed(name).WithNullable(nullable);
    }

    private TypeRef? BuildDiscriminatedUnion(string? name, SchemaObject schema, DiscriminatorObject discriminator, List<SchemaObject> alternatives, string nameHint, SourceSpan span)
    {
        // Each alternative must be a named object schema, so that it can derive from the union.
        var variants = new List<(Component Component, string Model)>();
        foreach (SchemaObject alternative in alternatives)
        {
            Component? component = alternative.Ref is null ? null : ComponentOf(alternative.Ref);
            if (component is not { Kind: ShapeKind.Model })
            {
                if (alternative.Ref is not null && component is null)
                {
                    _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, alternative.RefSpan, alternative.Ref);
                    return null;
                }

                _diagnostics.Add(DiagnosticDescriptors.DiscriminatorNotUsed, span, "not every alternative is a reference to an object schema", nameHint);
                return null;
            }

            variants.Add((component, component.Resolved!.Name!));
        }

        // Values: the explicit mapping (several values may select one schema), else the variant's
        // const discriminator property, else (as the specification says) the schema's name.
        var values = variants.ToDictionary(v => v.Model, _ => new List<string>(), StringComparer.Ordinal);
        foreach (DiscriminatorMapping mapping in discriminator.Mapping)
        {
            string reference = mapping.Ref.StartsWith("#", StringComparison.Ordinal) ? mapping.Ref : SchemaRefPrefix + mapping.Ref;
            Component? target = ComponentOf(reference);
            if (target is null)
            {
                _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, mapping.Span, mapping.Ref);
                return null;
            }

            // A mapping to a schema that is not one of the alternatives can never be read: it is left out.
            if (target.Resolved?.Name is { } model && values.TryGetValue(model, out List<string>? list))
            {
                list.Add(mapping.Value);
            }
        }

        foreach ((Component component, string model) in variants)
        {
            if (values[model].Count == 0)
            {
                JsonLiteral? constant = component.Schema.Properties.FirstOrDefault(p => p.Name == discriminator.PropertyName)?.Schema.Const;
                values[model].Add(constant is { Kind: JsonLiteralKind.String } ? constant.Text : component.Named.Name);
            }
        }

        string shape = "D:" + discriminator.PropertyName + ":" + string.Join("|", variants.Select(v => v.Model + "=" + string.Join(",", values[v.Model])));
        if (name is null && _unionsByShape.TryGetValue(shape, out string? existing))
        {
            return TypeRef.UnionNamed(existing);
        }

        // A variant derives from one union only.
        foreach ((_, string model) in variants)
        {
            if (_variantOf.TryGetValue(model, out (string Union, string Property, string Value) other))
            {
                _diagnostics.Add(DiagnosticDescriptors.DiscriminatorNotUsed, span, "its variant '" + model + "' is already a variant of '" + other.Union + "', and a class derives from one union only", nameHint);
                return null;
            }
        }

        name ??= ClaimTypeName(NameRules.ToTypeName(nameHint, "Union"), ShapeKind.Union);
        _unionsByShape[shape] = name;
        var cases = new List<UnionCaseSpec>();
        foreach ((Component component, string model) in variants)
        {
            Build(component);
            _variantOf[model] = (name, discriminator.PropertyName, values[model][0]);
            cases.Add(new UnionCaseSpec(model, TypeRef.ModelNamed(model), values[model].ToEquatableArray(), EquatableArray<string>.Empty));
            MakeVariant(model, name, discriminator.PropertyName, values[model][0]);
        }

        _unions.Add(new UnionSpec(name, schema.Doc, discriminator.PropertyName, cases.ToEquatableArray()));
        return TypeRef.UnionNamed(name);
    }

    // A variant derives from its union, and carries the discriminator as a readable property that
    // starts with the variant's value: a caller building one never has to set it. The property comes
    // first, so it is written first: some readers (System.Text.Json before .NET 9) need that.
    private void MakeVariant(string model, string union, string discriminatorProperty, string value)
    {
        ModelSpec spec = _models[model];
        var properties = spec.Properties.ToList();
        int index = properties.FindIndex(p => p.JsonName == discriminatorProperty);
        PropertySpec discriminator;
        if (index < 0)
        {
            var names = new NameTable(null, [model, .. ReservedNames.ObjectMembers, .. properties.Select(p => p.Name)]);
            discriminator = new PropertySpec(
                names.Claim(NameRules.ToPascalCase(discriminatorProperty, "Discriminator")),
                discriminatorProperty,
                TypeRef.Of(TypeKind.String),
                false,
                false,
                DocSpec.None with { Summary = "Which variant of " + union + " this is." },
                value);
        }
        else
        {
            discriminator = properties[index];
            properties.RemoveAt(index);
            TypeRef type = discriminator.Type.WithNullable(false);
            if (type.Kind is TypeKind.String or TypeKind.Enum)
            {
                discriminator = discriminator with { Type = type, IsRequired = false, AllowsNull = false, Initializer = value };
            }
        }

        properties.Insert(0, discriminator);
        _models[model] = spec with { Properties = properties.ToEquatableArray(), BaseName = union };
    }

    // What an inline alternative is called: its title, the value of its const property (the
    // discriminator, usually), or its position.
    private static string AlternativeName(SchemaObject alternative, int index)
    {
        if (alternative.Title is { } title)
        {
            return NameRules.ToPascalCase(title, "Option");
        }

        foreach (PropertyObject property in alternative.Properties)
        {
            if (property.Schema.Const is { Kind: JsonLiteralKind.String } constant)
            {
                return NameRules.ToPascalCase(constant.Text, "Option");
            }
        }

        return "Option" + (index + 1).ToString(CultureInfo.InvariantCulture);
    }

    private static string CaseName(TypeRef type) => type.Kind switch
    {
        TypeKind.String => "String",
        TypeKind.Boolean => "Boolean",
        TypeKind.Int32 or TypeKind.Int64 => "Integer",
        TypeKind.Double => "Number",
        TypeKind.DateTimeOffset => "DateTime",
        TypeKind.JsonElement => "Json",
        TypeKind.Array => CaseName(type.Element!) + "List",
        TypeKind.Map => CaseName(type.Element!) + "Map",
        _ => type.Name!,
    };

    // The required properties of an object case, by which an object is matched to it.
    private EquatableArray<string> RequiredOf(TypeRef type)
        => type.Kind == TypeKind.Model && _models.TryGetValue(type.Name!, out ModelSpec? model)
            ? model.Properties.Where(p => p.IsRequired || p.Initializer is not null).Select(p => p.JsonName).ToEquatableArray()
            : EquatableArray<string>.Empty;
}
