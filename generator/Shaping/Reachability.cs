using System;
using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

/// <summary>
/// The <c>components/schemas</c> a set of operations needs: what their parameters, bodies and
/// responses reference, followed through properties, items, <c>additionalProperties</c>, <c>allOf</c>,
/// <c>oneOf</c>, <c>anyOf</c>, <c>not</c> and discriminator mappings, transitively; an operation's
/// callbacks count with it. A scoped client
/// compiles only these: five of GitHub's operations need a few dozen of its ~900 schemas.
/// </summary>
internal static class Reachability
{
    private const string SchemaRefPrefix = "#/components/schemas/";

    /// <summary>The reachable schemas, in document order, so that names are claimed as the whole document claims them.</summary>
    public static EquatableArray<NamedSchema> Reachable(EquatableArray<NamedSchema> schemas, IEnumerable<OperationObject> operations)
    {
        var byName = new Dictionary<string, NamedSchema>(StringComparer.Ordinal);
        foreach (NamedSchema named in schemas)
        {
            byName[named.Name] = named;
        }

        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<SchemaObject>();
        // An operation's callbacks are kept with it.
        foreach (OperationObject operation in operations.SelectMany(o => o.Callbacks.SelectMany(c => c.Operations).Prepend(o)))
        {
            foreach (ParameterObject parameter in operation.Parameters)
            {
                Push(pending, parameter.Schema);
            }

            foreach (MediaTypeObject media in operation.RequestBody?.Content ?? EquatableArray<MediaTypeObject>.Empty)
            {
                Push(pending, media.Schema);
                Push(pending, media.ItemSchema);
            }

            foreach (ResponseObject response in operation.Responses)
            {
                foreach (MediaTypeObject media in response.Content)
                {
                    Push(pending, media.Schema);
                    Push(pending, media.ItemSchema);
                }
            }
        }

        Walk(pending, byName, reached);

        // A base schema with a discriminator is read as whichever variant its value names, and its
        // variants are the schemas that extend it through allOf: a reached base brings them (and what
        // they reference) along, or a Cat would come back as a plain Pet.
        Dictionary<string, List<string>> variantsOf = VariantsByBase(schemas);
        bool grew = true;
        while (grew)
        {
            grew = false;
            foreach (string name in reached.ToList())
            {
                if (byName[name].Schema.Discriminator is null || !variantsOf.TryGetValue(name, out List<string>? variants))
                {
                    continue;
                }

                foreach (string variant in variants)
                {
                    if (reached.Add(variant))
                    {
                        pending.Push(byName[variant].Schema);
                        grew = true;
                    }
                }
            }

            Walk(pending, byName, reached);
        }

        return schemas.Where(named => reached.Contains(named.Name)).ToEquatableArray();
    }

    private static void Push(Stack<SchemaObject> pending, SchemaObject? schema)
    {
        if (schema is not null)
        {
            pending.Push(schema);
        }
    }

    // Iterative, so that a deep schema cannot exhaust the stack; each named schema is entered once,
    // so that cycles end.
    private static void Walk(Stack<SchemaObject> pending, Dictionary<string, NamedSchema> byName, HashSet<string> reached)
    {
        while (pending.Count > 0)
        {
            SchemaObject schema = pending.Pop();
            if (schema.Ref is { } reference)
            {
                Reach(reference, pending, byName, reached);
            }

            foreach (PropertyObject property in schema.Properties)
            {
                pending.Push(property.Schema);
            }

            Push(pending, schema.Items);
            Push(pending, schema.AdditionalProperties);
            Push(pending, schema.Not);
            Push(pending, schema.ContentSchema);
            foreach (SchemaObject part in schema.AllOf)
            {
                pending.Push(part);
            }

            foreach (SchemaObject alternative in schema.OneOf)
            {
                pending.Push(alternative);
            }

            foreach (SchemaObject alternative in schema.AnyOf)
            {
                pending.Push(alternative);
            }

            foreach (DiscriminatorMapping mapping in schema.Discriminator?.Mapping ?? EquatableArray<DiscriminatorMapping>.Empty)
            {
                // A mapping names a schema by reference, or (as OpenAPI allows) by its bare name.
                Reach(mapping.Ref.StartsWith("#", StringComparison.Ordinal) ? mapping.Ref : SchemaRefPrefix + mapping.Ref, pending, byName, reached);
            }
        }
    }

    private static void Reach(string reference, Stack<SchemaObject> pending, Dictionary<string, NamedSchema> byName, HashSet<string> reached)
    {
        // Only references into components/schemas name a schema the shaper builds; any other is
        // reported where it is used, as in an unscoped document.
        if (reference.StartsWith(SchemaRefPrefix, StringComparison.Ordinal)
            && byName.TryGetValue(OpenApiParser.UnescapePointer(reference.Substring(SchemaRefPrefix.Length)), out NamedSchema? named)
            && reached.Add(named.Name))
        {
            pending.Push(named.Schema);
        }
    }

    // Base schema name -> the named schemas whose allOf refers to it directly.
    private static Dictionary<string, List<string>> VariantsByBase(EquatableArray<NamedSchema> schemas)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (NamedSchema named in schemas)
        {
            foreach (SchemaObject part in named.Schema.AllOf)
            {
                if (part.Ref is { } reference && reference.StartsWith(SchemaRefPrefix, StringComparison.Ordinal))
                {
                    string target = OpenApiParser.UnescapePointer(reference.Substring(SchemaRefPrefix.Length));
                    if (!result.TryGetValue(target, out List<string>? variants))
                    {
                        result[target] = variants = new List<string>();
                    }

                    variants.Add(named.Name);
                }
            }
        }

        return result;
    }
}
