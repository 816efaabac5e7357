using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

/// <summary>Splits a model into the files generated from it, each with its slice.</summary>
internal static class EmitPlan
{
    /// <summary>
    /// The files of <paramref name="spec"/>; or, when splitting throws (a bug of ours), one unit that
    /// reports BTN0013 at the document, so that it surfaces as our diagnostic rather than as Roslyn's
    /// CS8785 with no location.
    /// </summary>
    public static EquatableArray<EmitUnit> Of(ApiSpec spec, string sourcePath)
    {
        try
        {
            return Split(spec, sourcePath);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new EquatableArray<EmitUnit>([EmitUnit.Failed(spec, sourcePath, "plan the generated files of", exception)]);
        }
    }

    private static EquatableArray<EmitUnit> Split(ApiSpec spec, string sourcePath)
    {
        // What every slice keeps: the names. Everything else is added per file.
        ApiSpec names = spec with
        {
            Title = string.Empty,
            DefaultBaseAddress = null,
            Models = EquatableArray<ModelSpec>.Empty,
            Enums = EquatableArray<EnumSpec>.Empty,
            Unions = EquatableArray<UnionSpec>.Empty,
            Operations = EquatableArray<OperationSpec>.Empty,
            JsonTypes = EquatableArray<JsonTypeSpec>.Empty,
            Auth = null,
            Servers = EquatableArray<ServerSpec>.Empty,
            CredentialVariable = null,
            SubClients = EquatableArray<SubClientSpec>.Empty,
            Webhooks = null,
        };

        var enums = spec.Enums.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var models = spec.Models.ToDictionary(m => m.Name, StringComparer.Ordinal);
        var unions = spec.Unions.ToDictionary(u => u.Name, StringComparer.Ordinal);
        var infos = new Dictionary<TypeRef, JsonTypeSpec>();
        foreach (JsonTypeSpec info in spec.JsonTypes)
        {
            infos[info.Type] = info;
        }

        // Hint names are compared ignoring case: Pet and pet are two types but need two file names.
        var hints = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var units = new List<EmitUnit>();
        void Add(string fileName, EmitKind kind, ApiSpec slice, string typeName)
        {
            string hint = spec.Namespace + "." + fileName;
            for (int i = 2; !hints.Add(hint); i++)
            {
                hint = spec.Namespace + "." + fileName + "_" + i.ToString(CultureInfo.InvariantCulture);
            }

            units.Add(new EmitUnit(hint + ".g.cs", kind, slice, typeName, sourcePath));
        }

        foreach (ModelSpec model in spec.Models)
        {
            // A property's starting value may name an enum member.
            var used = model.Properties.Select(p => p.Type.Name).Where(n => n is not null && enums.ContainsKey(n)).Distinct().Select(n => enums[n!]);
            Add(model.Name, EmitKind.Model, names with { Models = new EquatableArray<ModelSpec>([model]), Enums = used.ToEquatableArray() }, model.Name);
        }

        foreach (EnumSpec enumSpec in spec.Enums)
        {
            Add(enumSpec.Name, EmitKind.Enum, names with { Enums = new EquatableArray<EnumSpec>([enumSpec]) }, enumSpec.Name);
        }

        foreach (UnionSpec union in spec.Unions)
        {
            Add(union.Name, EmitKind.Union, names with { Unions = new EquatableArray<UnionSpec>([union]) }, union.Name);
        }

        Add(spec.ContextName, EmitKind.Context, names with { Title = spec.Title, JsonTypes = spec.JsonTypes }, spec.ContextName);
        foreach (JsonTypeSpec info in spec.JsonTypes)
        {
            ModelSpec? model = info.Type is { Kind: TypeKind.Model, IsNullable: false } && models.TryGetValue(info.Type.Name!, out ModelSpec? m) ? m : null;
            UnionSpec? union = info.Type is { Kind: TypeKind.Union, IsNullable: false } && unions.TryGetValue(info.Type.Name!, out UnionSpec? u) ? u : null;
            var referenced = new List<TypeRef> { info.Type };
            referenced.AddRange(model?.Properties.Select(p => p.Type) ?? []);
            referenced.AddRange(union?.Cases.Select(c => c.Type) ?? []);
            referenced.AddRange(model?.Derived.Select(d => TypeRef.ModelNamed(d.Model)) ?? []);
            var slice = names with
            {
                Models = model is null ? EquatableArray<ModelSpec>.Empty : new EquatableArray<ModelSpec>([model]),
                Unions = union is null ? EquatableArray<UnionSpec>.Empty : new EquatableArray<UnionSpec>([union]),
                JsonTypes = Referenced(referenced, infos),
            };
            Add(spec.ContextName + "." + info.PropertyName, EmitKind.TypeMetadata, slice, info.PropertyName);
        }

        // The client reads its operations and the metadata names; of the models, only those whose
        // members become query parameters. Of its sub-clients, only their names: an edit to a
        // tag's operation re-emits that tag's files alone.
        ApiSpec client = spec with
        {
            Models = QueryModels(spec.Operations, models),
            Enums = EquatableArray<EnumSpec>.Empty,
            Unions = EquatableArray<UnionSpec>.Empty,
            SubClients = spec.SubClients.Select(s => s with { Operations = EquatableArray<OperationSpec>.Empty }).ToEquatableArray(),
            Webhooks = null,
        };
        Add(spec.ClientName, EmitKind.Client, client, spec.ClientName);
        if (spec.InterfaceName is { } interfaceName)
        {
            // The interface declares what the client does, so it reads the same slice.
            Add(interfaceName, EmitKind.ClientInterface, client, interfaceName);
        }

        foreach (SubClientSpec subClient in spec.SubClients)
        {
            ApiSpec slice = client with
            {
                Models = QueryModels(subClient.Operations, models),
                Operations = subClient.Operations,
                SubClients = new EquatableArray<SubClientSpec>([subClient]),
                Auth = null,
                Servers = EquatableArray<ServerSpec>.Empty,
                CredentialVariable = null,
                DefaultBaseAddress = null,
            };
            Add(subClient.ClassName, EmitKind.SubClient, slice, subClient.ClassName);
            if (subClient.InterfaceName is { } subInterface)
            {
                Add(subInterface, EmitKind.SubClientInterface, slice, subInterface);
            }
        }

        if (spec.Webhooks is { } webhooks)
        {
            // The payload readers name the client (a callback's doc links the method that registers it) and the payloads' metadata.
            Add(webhooks.ClassName, EmitKind.Webhooks, names with { Title = spec.Title, Webhooks = webhooks, JsonTypes = Referenced(webhooks.Payloads.Select(p => p.Payload).ToList(), infos) }, webhooks.ClassName);
        }

        return units.ToEquatableArray();
    }

    private static EquatableArray<ModelSpec> QueryModels(EquatableArray<OperationSpec> operations, Dictionary<string, ModelSpec> models)
        => operations.SelectMany(o => o.Parameters)
            .Where(p => p.Style is ParameterStyle.DeepObject or ParameterStyle.ObjectMembers)
            .Select(p => p.Type.Name!).Distinct().Select(n => models[n]).ToEquatableArray();

    // The metadata of the types a file names: each type, its non-nullable form and its element's.
    private static EquatableArray<JsonTypeSpec> Referenced(List<TypeRef> types, Dictionary<TypeRef, JsonTypeSpec> infos)
    {
        var result = new List<JsonTypeSpec>();
        void Add(TypeRef? type)
        {
            if (type is null)
            {
                return;
            }

            foreach (TypeRef key in new[] { type.MetadataKey, type.MetadataKey.WithNullable(false) })
            {
                if (infos.TryGetValue(key, out JsonTypeSpec? info) && !result.Contains(info))
                {
                    result.Add(info);
                }
            }
        }

        foreach (TypeRef type in types)
        {
            // Every level of a list or map: a generated reader registers a union however deep it is.
            for (TypeRef? part = type; part is not null; part = part.Element)
            {
                Add(part);
            }
        }

        return result.ToEquatableArray();
    }
}
