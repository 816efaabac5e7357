using System;
using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

// A union with a discriminator: every alternative a named model that derives from the union and
// carries the discriminator property.
internal sealed partial class TypeShaper
{
    private TypeRef? BuildDiscriminatedUnion(string? name, SchemaObject schema, DiscriminatorObject discriminator, List<SchemaObject> alternatives, string nameHint, SourceSpan span)
    {
        // oneOf [Cat, Dog] where both extend the base schema Pet, by Pet's discriminator: that is Pet.
        if (BaseCovering(alternatives, discriminator.PropertyName) is { } baseModel)
        {
            return TypeRef.ModelNamed(baseModel);
        }

        // Each alternative must be a named object schema, so that it can derive from the union.
        var variants = new List<(Component Component, string Model)>();
        foreach (SchemaObject alternative in alternatives)
        {
            Component? component = alternative.Ref is null ? null : ComponentOf(alternative.Ref);
            if (component is not { Kind: ShapeKind.Model })
            {
                if (alternative.Ref is not null && component is null)
                {
                    _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, alternative.RefSpan, alternative.Ref, "it names no schema of this document");
                    return null;
                }

                _diagnostics.Add(DiagnosticDescriptors.DiscriminatorNotUsed, span, "not every alternative is a reference to an object schema", nameHint);
                return null;
            }

            // A class derives from one class: a model already in a base schema's hierarchy cannot derive from the union too.
            if (InHierarchy(component.Resolved!.Name!))
            {
                _diagnostics.Add(DiagnosticDescriptors.DiscriminatorNotUsed, span, "its variant '" + component.Resolved.Name + "' already derives from a base schema with a discriminator, and a class derives from one class only", nameHint);
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
                _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, mapping.Span, mapping.Ref, "it names no schema of this document");
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
}
