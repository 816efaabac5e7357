using System.Collections.Generic;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Shaping;

/// <summary>
/// Lists every type the JSON context needs metadata for, in a stable order: declared models and
/// enums first, then the types their properties and the operations use, each once.
/// </summary>
internal static class JsonTypeCollector
{
    // A type info property X comes with members of the context named after it (ContextMemberNames.PerType):
    // X is free only when all of them are.
    private static string ClaimWithHelpers(NameTable names, string candidate)
    {
        for (int i = 1; ; i++)
        {
            string name = i == 1 ? candidate : candidate + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string[] members = ContextMemberNames.PerType(name);
            if (System.Array.TrueForAll(members, m => !names.IsTaken(m)))
            {
                foreach (string member in members)
                {
                    names.TryClaim(member);
                }

                return name;
            }
        }
    }

    public static EquatableArray<JsonTypeSpec> Collect(
        EquatableArray<ModelSpec> models,
        EquatableArray<EnumSpec> enums,
        EquatableArray<UnionSpec> unions,
        IEnumerable<OperationSpec> operations,
        string contextName)
    {
        var names = new NameTable(null, [contextName, .. ReservedNames.ContextMembers]);
        var seen = new Dictionary<TypeRef, string>();
        var result = new List<JsonTypeSpec>();

        void Add(TypeRef type)
        {
            TypeRef key = type.MetadataKey;
            if (seen.ContainsKey(key))
            {
                return;
            }

            string name = ClaimWithHelpers(names, TypeNames.InfoName(key));
            seen.Add(key, name);
            result.Add(new JsonTypeSpec(name, key));
            if (key.Element is { } element)
            {
                Add(element);
            }

            // Nullable<T>'s converter wraps T's metadata.
            if (key.IsNullable)
            {
                Add(key.WithNullable(false));
            }
        }

        foreach (ModelSpec model in models)
        {
            Add(TypeRef.ModelNamed(model.Name));
        }

        foreach (EnumSpec spec in enums)
        {
            Add(TypeRef.EnumNamed(spec.Name));
        }

        foreach (UnionSpec union in unions)
        {
            Add(TypeRef.UnionNamed(union.Name));
        }

        foreach (ModelSpec model in models)
        {
            foreach (PropertySpec property in model.Properties)
            {
                Add(property.Type);
            }
        }

        foreach (UnionSpec union in unions)
        {
            foreach (UnionCaseSpec unionCase in union.Cases)
            {
                Add(unionCase.Type);
            }
        }

        foreach (OperationSpec operation in operations)
        {
            if (operation.Body is { Kind: BodyKind.Json } body)
            {
                Add(body.Type);
            }

            foreach (FieldSpec field in operation.Body?.Fields ?? EquatableArray<FieldSpec>.Empty)
            {
                if (field.Type.Kind != TypeKind.Stream)
                {
                    Add(field.Type);
                }
            }

            foreach (ParameterSpec parameter in operation.Parameters)
            {
                if (parameter.Style == ParameterStyle.Json)
                {
                    Add(parameter.Type);
                }
            }

            if (operation.Response.Type is { Kind: not TypeKind.Stream } response)
            {
                Add(response);
            }

            foreach (TypeRef streamed in operation.Response.AlsoRead)
            {
                Add(streamed);
            }

            if (operation.ErrorType is { } error)
            {
                Add(error);
            }
        }

        // What the client reads: from each response and error body down through members, cases and elements.
        var modelsByName = new Dictionary<string, ModelSpec>();
        foreach (ModelSpec model in models)
        {
            modelsByName[model.Name] = model;
        }

        var unionsByName = new Dictionary<string, UnionSpec>();
        foreach (UnionSpec union in unions)
        {
            unionsByName[union.Name] = union;
        }

        var read = new HashSet<TypeRef>();
        var byMetadata = new HashSet<TypeRef>();
        void Reach(TypeRef type, bool throughMetadata)
        {
            TypeRef key = type.MetadataKey.WithNullable(false);
            bool first = read.Add(key);
            bool firstByMetadata = throughMetadata && byMetadata.Add(key);
            if (!first && !firstByMetadata)
            {
                return;
            }

            if (key.Element is { } element)
            {
                Reach(element, throughMetadata);
            }

            if (key.Kind == TypeKind.Model && modelsByName.TryGetValue(key.Name!, out ModelSpec? model))
            {
                foreach (PropertySpec property in model.Properties)
                {
                    Reach(property.Type, false);
                }

                // A base schema's reader reads the derived class the discriminator names.
                foreach (DerivedSpec derived in model.Derived)
                {
                    Reach(TypeRef.ModelNamed(derived.Model), false);
                }
            }

            if (key.Kind == TypeKind.Union && unionsByName.TryGetValue(key.Name!, out UnionSpec? union))
            {
                foreach (UnionCaseSpec unionCase in union.Cases)
                {
                    Reach(unionCase.Type, true);
                }
            }
        }

        foreach (OperationSpec operation in operations)
        {
            if (operation.Response.Type is { Kind: not TypeKind.Stream } response)
            {
                Reach(response, true);
            }

            foreach (TypeRef streamed in operation.Response.AlsoRead)
            {
                Reach(streamed, true);
            }

            if (operation.ErrorType is { } error)
            {
                Reach(error, true);
            }
        }

        // A base schema with a discriminator is always read and written by its generated reader and
        // writer (they pick the derived class), even where only a request sends it.
        foreach (ModelSpec model in models)
        {
            if (model.IsBase)
            {
                Reach(TypeRef.ModelNamed(model.Name), false);
            }
        }

        for (int i = 0; i < result.Count; i++)
        {
            TypeRef key = result[i].Type.WithNullable(false);
            if (read.Contains(key))
            {
                result[i] = result[i] with { IsRead = true, IsReadByMetadata = byMetadata.Contains(key) };
            }
        }

        return result.ToEquatableArray();
    }
}
