using System;
using System.Collections.Generic;
using System.Globalization;
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

        // additionalProperties: true says what a newer server may add: the model keeps it.
        bool keepsUnknown = schema.AdditionalProperties is { BooleanSchema: true } && properties.Count > 0;
        string[] reserved = keepsUnknown ? [name, ModelSpec.AdditionalPropertiesName, .. ReservedNames.ObjectMembers] : [name, .. ReservedNames.ObjectMembers];
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
                initializer,
                IsReadOnly: property.Schema.ReadOnly && !property.Schema.WriteOnly,
                IsWriteOnly: property.Schema.WriteOnly && !property.Schema.ReadOnly));
        }

        _models[name] = new ModelSpec(name, schema.Doc, specs.ToEquatableArray(), KeepsUnknownMembers: keepsUnknown);

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
