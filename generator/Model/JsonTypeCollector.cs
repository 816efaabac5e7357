using System.Collections.Generic;

namespace Baseten.Aot.Generator.Model;

/// <summary>
/// Lists every type the JSON context needs metadata for, in a stable order: declared models and
/// enums first, then the types their properties and the operations use, each once.
/// </summary>
internal static class JsonTypeCollector
{
    // Members every JsonSerializerContext has, and the generated context's own (a type info property
    // X also declares a field _X): no type info property may take their names.
    private static readonly string[] s_contextMembers =
        ["Default", "Options", "GeneratedSerializerOptions", "GetTypeInfo", "TryGetCustomConverter", "AllTypes", "Register", "RegisterAll", "Resolve", "factories", "s_defaultOptions", "PropertyNames", "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone"];

    public static EquatableArray<JsonTypeSpec> Collect(
        EquatableArray<ModelSpec> models,
        EquatableArray<EnumSpec> enums,
        IEnumerable<OperationSpec> operations,
        string contextName)
    {
        var names = new NameTable(null, [contextName, .. s_contextMembers]);
        var seen = new Dictionary<TypeRef, string>();
        var result = new List<JsonTypeSpec>();

        void Add(TypeRef type)
        {
            TypeRef key = type.MetadataKey;
            if (seen.ContainsKey(key))
            {
                return;
            }

            string name = names.Claim(TypeNames.InfoName(key));
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

        foreach (ModelSpec model in models)
        {
            foreach (PropertySpec property in model.Properties)
            {
                Add(property.Type);
            }
        }

        foreach (OperationSpec operation in operations)
        {
            if (operation.Body is { } body)
            {
                Add(body.Type);
            }

            if (operation.Response is { } response)
            {
                Add(response);
            }
        }

        return result.ToEquatableArray();
    }
}
