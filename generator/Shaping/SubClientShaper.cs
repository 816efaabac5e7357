using System;
using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

/// <summary>
/// <c>BasetenClientPerTag</c>: one class per tag behind a property of the client
/// (<c>github.Repos.ListForOrgAsync</c>). An operation goes under its first tag; an untagged one
/// stays on the client. Within a tag a method drops the tag's own prefix (<c>repos/list-for-org</c>
/// is <c>ReposListForOrgAsync</c> on the client, <c>ListForOrgAsync</c> under <c>Repos</c>) unless that
/// would give two methods of the class one name.
/// </summary>
internal static class SubClientShaper
{
    /// <summary>
    /// Each operation's name within its tag's class (null for an untagged one), decided over the
    /// whole document rather than the scoped part, so that a method keeps its name whatever else
    /// the scope takes in.
    /// </summary>
    public static string?[] NamesWithinTags(EquatableArray<OperationObject> operations, List<(string Name, string Candidate)> names)
    {
        var result = new string?[operations.Count];
        var stripped = new string?[operations.Count];
        var tables = new Dictionary<string, NameTable>(StringComparer.Ordinal);
        string[] reserved = ReservedNames.ClientMembers.Select(m => m.EndsWith("Async", StringComparison.Ordinal) ? m.Substring(0, m.Length - 5) : m).ToArray();

        // First the names that have no prefix to drop: they are kept as they are, so that a method
        // whose tag prefix is dropped can never take the name another method was given.
        for (int i = 0; i < operations.Count; i++)
        {
            if (operations[i].Tags.Count == 0)
            {
                continue;
            }

            string tag = operations[i].Tags[0];
            if (!tables.TryGetValue(tag, out NameTable? table))
            {
                tables[tag] = table = new NameTable(null, reserved);
            }

            string full = names[i].Name;
            string prefix = NameRules.ToPascalCase(tag, "Tag");
            stripped[i] = full.Length > prefix.Length && full.StartsWith(prefix, StringComparison.Ordinal) && char.IsUpper(full[prefix.Length])
                ? full.Substring(prefix.Length)
                : null;
            if (stripped[i] is null)
            {
                result[i] = table.Claim(full);
            }
        }

        for (int i = 0; i < operations.Count; i++)
        {
            if (stripped[i] is { } shorter)
            {
                NameTable table = tables[operations[i].Tags[0]];
                result[i] = table.TryClaim(shorter) ? shorter : table.Claim(names[i].Name);
            }
        }

        return result;
    }

    /// <summary>
    /// Splits the shaped operations into the client's own (untagged) and one sub-client per first
    /// tag, in the order the tags first appear. Class and interface names are claimed among the
    /// namespace's types; property names among the client's members (<paramref name="clientMembers"/>).
    /// </summary>
    public static (List<OperationSpec> Root, EquatableArray<SubClientSpec> SubClients) Group(
        List<(OperationSpec Spec, OperationObject Source, string? NameWithinTag)> operations,
        NameTable typeNames,
        NameTable clientMembers,
        bool withInterfaces)
    {
        var root = new List<OperationSpec>();
        var order = new List<string>();
        var byTag = new Dictionary<string, List<OperationSpec>>(StringComparer.Ordinal);
        foreach ((OperationSpec spec, OperationObject source, string? nameWithinTag) in operations)
        {
            if (source.Tags.Count == 0 || nameWithinTag is null)
            {
                root.Add(spec);
                continue;
            }

            string tag = source.Tags[0];
            if (!byTag.TryGetValue(tag, out List<OperationSpec>? members))
            {
                byTag[tag] = members = new List<OperationSpec>();
                order.Add(tag);
            }

            members.Add(Renamed(spec, nameWithinTag));
        }

        var subClients = new List<SubClientSpec>(order.Count);
        foreach (string tag in order)
        {
            string typeName = NameRules.ToTypeName(NameRules.ToPascalCase(tag, "Tag"), "Tag");
            string className = typeNames.Claim(typeName + "Client");
            string? interfaceName = withInterfaces ? typeNames.Claim("I" + className) : null;
            string propertyName = clientMembers.Claim(typeName);
            subClients.Add(new SubClientSpec(tag, propertyName, className, interfaceName, WithoutCollidingWalkers(byTag[tag]).ToEquatableArray()));
        }

        return (root, subClients.ToEquatableArray());
    }

    // The method (and its walker) under the name it has within the tag's class.
    private static OperationSpec Renamed(OperationSpec spec, string name)
    {
        string before = spec.MethodName.EndsWith("Async", StringComparison.Ordinal) ? spec.MethodName.Substring(0, spec.MethodName.Length - "Async".Length) : spec.MethodName;
        PaginationSpec? pagination = spec.Pagination;
        if (pagination is not null && pagination.MethodName.StartsWith(before, StringComparison.Ordinal))
        {
            pagination = pagination with { MethodName = name + pagination.MethodName.Substring(before.Length) };
        }

        return spec with { MethodName = name + "Async", Pagination = pagination };
    }

    // As on the client: a walker whose name a method of the class already has is left out rather than renamed.
    private static List<OperationSpec> WithoutCollidingWalkers(List<OperationSpec> operations)
    {
        var names = new HashSet<string>(operations.Select(o => o.MethodName), StringComparer.Ordinal);
        for (int i = 0; i < operations.Count; i++)
        {
            if (operations[i].Pagination is { } pagination && !names.Add(pagination.MethodName))
            {
                operations[i] = operations[i] with { Pagination = null };
            }
        }

        return operations;
    }
}
