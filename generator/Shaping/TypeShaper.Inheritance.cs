using System;
using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

// A discriminator on an object schema whose variants extend it through allOf ("Cat: allOf [Pet, {...}]"):
// the base becomes a class the variants derive from, and the discriminator's value picks the variant
// wherever the base is read. See DESIGN.md and docs/generator.md, "Inheritance".
internal sealed partial class TypeShaper
{
    // Base model name -> its hierarchy; derived model name -> its base and the value it sends.
    private readonly Dictionary<string, Hierarchy> _hierarchies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Component Base, string Value)> _derivedFrom = new(StringComparer.Ordinal);

    private readonly HashSet<string> _modelsInProgress = new(StringComparer.Ordinal);
    private readonly List<string> _deriveLater = new();

    private sealed class Hierarchy
    {
        public Hierarchy(string property, string ownValue, List<DerivedSpec> derived)
        {
            Property = property;
            OwnValue = ownValue;
            Derived = derived;
        }

        public string Property { get; }

        /// <summary>What a plain instance of the base sends: the mapping value naming the base, else its schema name.</summary>
        public string OwnValue { get; }

        public List<DerivedSpec> Derived { get; }
    }

    // Before any model is built: which named object schemas with a discriminator have variants, the
    // named object schemas whose allOf refers to them directly, and the values that select each
    // (the mapping's, else, as OpenAPI says, the schema's name).
    private void FindHierarchies(EquatableArray<NamedSchema> schemas)
    {
        foreach (NamedSchema named in schemas)
        {
            Component component = _components[named.Name];
            if (component.Kind != ShapeKind.Model || named.Schema.Discriminator is not { } discriminator || _derivedFrom.ContainsKey(component.Resolved!.Name!))
            {
                continue;
            }

            var variants = new List<Component>();
            foreach (NamedSchema candidate in schemas)
            {
                Component other = _components[candidate.Name];
                if (other != component
                    && other.Kind == ShapeKind.Model
                    && candidate.Schema.Discriminator is null
                    && !_derivedFrom.ContainsKey(other.Resolved!.Name!)
                    && !_hierarchies.ContainsKey(other.Resolved!.Name!)
                    && candidate.Schema.AllOf.Any(part => part.Ref is not null && ComponentOf(part.Ref) == component))
                {
                    variants.Add(other);
                }
            }

            if (variants.Count == 0)
            {
                continue;
            }

            var values = variants.ToDictionary(v => v, _ => new List<string>());
            var own = new List<string>();
            foreach (DiscriminatorMapping mapping in discriminator.Mapping)
            {
                string reference = mapping.Ref.StartsWith("#", StringComparison.Ordinal) ? mapping.Ref : SchemaRefPrefix + mapping.Ref;
                Component? target = ComponentOf(reference);
                if (target is null)
                {
                    _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, mapping.Span, mapping.Ref, "it names no schema of this document");
                }
                else if (target == component)
                {
                    own.Add(mapping.Value);
                }
                else if (values.TryGetValue(target, out List<string>? list))
                {
                    list.Add(mapping.Value);
                }

                // A mapping to a schema that does not extend this one directly selects nothing here: the base is read.
            }

            var derived = new List<DerivedSpec>();
            foreach (Component variant in variants)
            {
                List<string> list = values[variant];
                if (list.Count == 0)
                {
                    list.Add(variant.Named.Name);
                }

                derived.Add(new DerivedSpec(variant.Resolved!.Name!, list.ToEquatableArray()));
                _derivedFrom[variant.Resolved.Name!] = (component, list[0]);
            }

            _hierarchies[component.Resolved!.Name!] = new Hierarchy(discriminator.PropertyName, own.Count > 0 ? own[0] : named.Name, derived);
        }
    }

    // The bases are built first, so that a variant finds its base complete; one reached from inside its
    // base (a member of the base refers to it) gets the base's members here, once everything is built.
    private void BuildHierarchies()
    {
        foreach (string name in _hierarchies.Keys.ToList())
        {
            Build(_components.Values.First(c => c.Resolved?.Name == name && c.Kind == ShapeKind.Model));
        }
    }

    private void FinishHierarchies()
    {
        foreach (string name in _deriveLater)
        {
            (Component baseComponent, string value) = _derivedFrom[name];
            _models[name] = Derive(_models[name], _models[baseComponent.Resolved!.Name!], value);
        }

        _deriveLater.Clear();
    }

    // The base whose hierarchy holds every alternative (the base itself or its variants), told apart by
    // the same property; null otherwise. The base's mapping reads them (a union's own mapping agrees with
    // it, or names values the base's readers do not know and keep on a plain base instance).
    private string? BaseCovering(List<SchemaObject> alternatives, string property)
    {
        string? found = null;
        foreach (SchemaObject alternative in alternatives)
        {
            string? model = alternative.Ref is null ? null : ComponentOf(alternative.Ref) is { Kind: ShapeKind.Model } component ? component.Resolved!.Name : null;
            string? baseName = model is null ? null
                : _hierarchies.ContainsKey(model) ? model
                : _derivedFrom.TryGetValue(model, out (Component Base, string Value) derived) ? derived.Base.Resolved!.Name
                : null;
            if (baseName is null || (found is not null && found != baseName) || _hierarchies[baseName].Property != property)
            {
                return null;
            }

            found = baseName;
        }

        return found;
    }

    private bool InHierarchy(string model) => _hierarchies.ContainsKey(model) || _derivedFrom.ContainsKey(model);

    // The base's discriminator: a string its constructors set (its own value, a variant's, or the one read),
    // first among its members so that it is written first, as many readers on the other side need.
    private List<PropertySpec> WithBaseDiscriminator(string name, List<PropertySpec> specs, HashSet<string> required, NameTable memberNames)
    {
        Hierarchy hierarchy = _hierarchies[name];
        int index = specs.FindIndex(p => p.JsonName == hierarchy.Property);
        PropertySpec discriminator;
        if (index >= 0)
        {
            discriminator = specs[index];
            specs.RemoveAt(index);
        }
        else
        {
            discriminator = new PropertySpec(
                memberNames.Claim(NameRules.ToPascalCase(hierarchy.Property, "Discriminator")),
                hierarchy.Property,
                TypeRef.Of(TypeKind.String),
                required.Contains(hierarchy.Property),
                false,
                DocSpec.None with { Summary = "Which kind of " + name + " this is." });
        }

        discriminator = discriminator with
        {
            Type = TypeRef.Of(TypeKind.String),
            AllowsNull = false,
            Initializer = hierarchy.OwnValue,
            IsReadOnly = false,
            IsWriteOnly = false,
            IsDiscriminator = true,
        };
        specs.Insert(0, discriminator);
        return specs;
    }

    // A derived model: the base's members as the base declares them (the discriminator fixed to this
    // model's value), then its own; a member it declares again keeps the base's declaration.
    private static ModelSpec Derive(ModelSpec model, ModelSpec baseModel, string value)
    {
        var inherited = baseModel.Properties.Select(p => p.IsDiscriminator ? p with { Initializer = value, IsRequired = false } : p).ToList();
        return model with
        {
            Properties = inherited.Concat(model.Properties).ToEquatableArray(),
            BaseName = baseModel.Name,
            InheritedCount = inherited.Count,
            KeepsUnknownMembers = baseModel.KeepsUnknownMembers,
        };
    }
}
