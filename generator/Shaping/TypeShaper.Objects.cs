using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

// Object schemas become models: their properties, which are required, and const members.
internal sealed partial class TypeShaper
{
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
        CollectMembersThroughAllOf(schema, name, properties, required, new HashSet<string>(StringComparer.Ordinal));

        // A model derived from a base schema with a discriminator: the base first, whose members it
        // inherits (their names are taken, and the base's declaration of each wins).
        ModelSpec? baseModel = null;
        var inheritedNames = new List<string>();
        if (_derivedFrom.TryGetValue(name, out (Component Base, string Value) derivedFrom))
        {
            Build(derivedFrom.Base);
            string baseName = derivedFrom.Base.Resolved!.Name!;
            if (_modelsInProgress.Contains(baseName))
            {
                // Reached while its base is still being built (through a member of the base): the base's
                // members are added once every named schema is built.
                _deriveLater.Add(name);
                var baseMembers = new List<PropertyObject>();
                CollectMembersThroughAllOf(derivedFrom.Base.Schema, baseName, baseMembers, new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
                properties.RemoveAll(p => baseMembers.Any(b => b.Name == p.Name));
                inheritedNames.AddRange(baseMembers.Select(b => NameRules.ToPascalCase(b.Name, "Property")));
            }
            else
            {
                baseModel = _models[baseName];
                properties.RemoveAll(p => baseModel.Properties.Any(b => b.JsonName == p.Name));
                inheritedNames.AddRange(baseModel.Properties.Select(p => p.Name));
            }
        }

        _modelsInProgress.Add(name);

        // additionalProperties: true says what a newer server may add: the model keeps it.
        bool keepsUnknown = schema.AdditionalProperties is { BooleanSchema: true } && properties.Count > 0;
        string[] reserved = keepsUnknown || baseModel is { KeepsUnknownMembers: true }
            ? [name, ModelSpec.AdditionalPropertiesName, ModelSpec.DeclaredPropertyOfName, .. ReservedNames.ObjectMembers]
            : [name, .. ReservedNames.ObjectMembers];
        var memberNames = new NameTable(null, [.. reserved, .. inheritedNames]);
        var specs = new List<PropertySpec>(properties.Count);
        bool isBase = _hierarchies.TryGetValue(name, out Hierarchy? hierarchy);
        foreach (PropertyObject property in properties)
        {
            if (isBase && property.Name == hierarchy!.Property)
            {
                // A string whatever the schema says (an enum of the values, usually): no type is made for it.
                specs.Add(new PropertySpec(memberNames.Claim(Unreserved(NameRules.ToPascalCase(property.Name, "Property"), reserved)), property.Name, TypeRef.Of(TypeKind.String), required.Contains(property.Name), false, property.Schema.Doc));
                continue;
            }

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
                initializer,
                IsReadOnly: property.Schema.ReadOnly && !property.Schema.WriteOnly,
                IsWriteOnly: property.Schema.WriteOnly && !property.Schema.ReadOnly));
        }

        if (isBase)
        {
            specs = WithBaseDiscriminator(name, specs, required, memberNames);
        }

        var built = new ModelSpec(name, schema.Doc, specs.ToEquatableArray(), KeepsUnknownMembers: keepsUnknown)
        {
            Derived = isBase ? hierarchy!.Derived.ToEquatableArray() : EquatableArray<DerivedSpec>.Empty,
        };
        _models[name] = baseModel is null ? built : Derive(built, baseModel, derivedFrom.Value);
        _modelsInProgress.Remove(name);

        // A union that refers back to this model while it was being built made it a variant then:
        // the finished model is that variant too.
        if (_variantOf.TryGetValue(name, out (string Union, string Property, string Value) variant))
        {
            MakeVariant(name, variant.Union, variant.Property, variant.Value);
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
}
