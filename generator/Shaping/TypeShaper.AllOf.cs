using System.Collections.Generic;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

// allOf: an object schema's members gathered from all its parts.
internal sealed partial class TypeShaper
{
    // The members of an object schema with everything its allOf parts contribute, in order; a later
    // declaration of a property replaces an earlier one (the schema's own come last).
    private void CollectMembersThroughAllOf(SchemaObject schema, string modelName, List<PropertyObject> properties, HashSet<string> required, HashSet<string> visiting)
    {
        foreach (SchemaObject part in schema.AllOf)
        {
            SchemaObject? target = part;
            if (part.Ref is not null)
            {
                target = ComponentOf(part.Ref)?.Schema;
                if (target is null)
                {
                    _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, part.RefSpan, part.Ref, "it names no schema of this document");
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
                    _diagnostics.Add(DiagnosticDescriptors.UnsupportedSchema, schema.AllOfSpan, "An 'allOf' part that is a union", "'" + modelName + "' has the members of its other parts only");
                    continue;
                }
            }

            CollectMembersThroughAllOf(target, modelName, properties, required, visiting);
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
}
