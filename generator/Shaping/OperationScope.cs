using System;
using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

/// <summary>
/// Which operations of a document to generate, and how to group them, from the AdditionalFile's
/// metadata: <c>BasetenIncludeTags</c>, <c>BasetenExcludeTags</c>, <c>BasetenIncludeOperations</c>,
/// <c>BasetenExcludeOperations</c> (MSBuild lists: <c>a;b;c</c>) and <c>BasetenClientPerTag</c>. An
/// input of the pipeline, so that editing the metadata re-generates; a record of strings, so that an
/// unchanged scope compares equal.
/// </summary>
/// <param name="IncludeTags">Tags whose operations are generated (none: every operation, unless operations are included by name).</param>
/// <param name="ExcludeTags">Tags whose operations are left out, whatever includes them.</param>
/// <param name="IncludeOperations">operationIds, or <c>METHOD /path</c>, to generate.</param>
/// <param name="ExcludeOperations">operationIds, or <c>METHOD /path</c>, left out whatever includes them.</param>
/// <param name="ClientPerTag">The <c>BasetenClientPerTag</c> text as written (trimmed), or null when unset.</param>
internal sealed record OperationScope(
    EquatableArray<string> IncludeTags,
    EquatableArray<string> ExcludeTags,
    EquatableArray<string> IncludeOperations,
    EquatableArray<string> ExcludeOperations,
    string? ClientPerTag)
{
    public const string IncludeTagsName = "BasetenIncludeTags";
    public const string ExcludeTagsName = "BasetenExcludeTags";
    public const string IncludeOperationsName = "BasetenIncludeOperations";
    public const string ExcludeOperationsName = "BasetenExcludeOperations";
    public const string ClientPerTagName = "BasetenClientPerTag";

    /// <summary>The whole document, one client: what an item without scope metadata gets.</summary>
    public static OperationScope None { get; } = new(
        EquatableArray<string>.Empty, EquatableArray<string>.Empty, EquatableArray<string>.Empty, EquatableArray<string>.Empty, null);

    /// <summary>Whether any list is set: only then are operations and schemas left out.</summary>
    public bool Filters => IncludeTags.Count > 0 || ExcludeTags.Count > 0 || IncludeOperations.Count > 0 || ExcludeOperations.Count > 0;

    /// <summary>
    /// A list as the metadata carries it: split at <c>;</c> (an MSBuild list) or <c>,</c> (what
    /// survives a compiler that reads <c>;</c> in an analyzer config value as a comment), each entry
    /// trimmed, empty ones and repeats dropped, order kept.
    /// </summary>
    public static EquatableArray<string> List(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return EquatableArray<string>.Empty;
        }

        var entries = new List<string>();
        foreach (string part in value!.Split(';', ','))
        {
            string entry = part.Trim();
            if (entry.Length > 0 && !entries.Contains(entry))
            {
                entries.Add(entry);
            }
        }

        return entries.ToEquatableArray();
    }

    /// <summary>
    /// <c>BasetenClientPerTag</c>: true or false (any case), unset meaning false; anything else is
    /// BTN0006, an error, since a typo there would silently change the client's whole surface.
    /// </summary>
    public bool? PerTag()
    {
        if (ClientPerTag is null || ClientPerTag.Length == 0 || string.Equals(ClientPerTag, "false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return string.Equals(ClientPerTag, "true", StringComparison.OrdinalIgnoreCase) ? true : null;
    }

    /// <summary>
    /// The indices, in document order, of the operations the scope keeps: those an include list
    /// names (every one when neither include list is set), less those an exclude list names:
    /// exclusion wins. A name that no operation of the document has is BTN0020, and a scope that
    /// keeps nothing of a document that has operations is BTN0021: a typo must not silently yield
    /// an empty (or an unexpectedly full) client.
    /// </summary>
    public List<int> Select(EquatableArray<OperationObject> operations, DiagnosticBag diagnostics)
    {
        ReportUnknown(operations, IncludeTags, IncludeTagsName, byTag: true, diagnostics);
        ReportUnknown(operations, ExcludeTags, ExcludeTagsName, byTag: true, diagnostics);
        ReportUnknown(operations, IncludeOperations, IncludeOperationsName, byTag: false, diagnostics);
        ReportUnknown(operations, ExcludeOperations, ExcludeOperationsName, byTag: false, diagnostics);

        bool includeAll = IncludeTags.Count == 0 && IncludeOperations.Count == 0;
        var kept = new List<int>(operations.Count);
        for (int i = 0; i < operations.Count; i++)
        {
            OperationObject operation = operations[i];
            bool included = includeAll || HasAnyTag(operation, IncludeTags) || IsAnyOf(operation, IncludeOperations);
            bool excluded = HasAnyTag(operation, ExcludeTags) || IsAnyOf(operation, ExcludeOperations);
            if (included && !excluded)
            {
                kept.Add(i);
            }
        }

        if (Filters && kept.Count == 0 && operations.Count > 0)
        {
            diagnostics.Add(DiagnosticDescriptors.EmptyScope, default(TextMark), default(TextMark), operations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return kept;
    }

    /// <summary>
    /// An entry of an operations list names an operation by its exact <c>operationId</c>, or by its
    /// method and path as the document writes the path (<c>GET /repos/{owner}/{repo}</c>, the method
    /// in any case), which also reaches an operation that has no operationId.
    /// </summary>
    public static bool Names(string entry, OperationObject operation)
    {
        if (string.Equals(entry, operation.OperationId, StringComparison.Ordinal))
        {
            return true;
        }

        int space = entry.IndexOf(' ');
        return space > 0
            && string.Equals(entry.Substring(0, space), operation.Method, StringComparison.OrdinalIgnoreCase)
            && string.Equals(entry.Substring(space + 1).Trim(), operation.Path, StringComparison.Ordinal);
    }

    private static bool HasAnyTag(OperationObject operation, EquatableArray<string> tags)
    {
        foreach (string tag in tags)
        {
            if (operation.Tags.Contains(tag))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAnyOf(OperationObject operation, EquatableArray<string> entries)
    {
        foreach (string entry in entries)
        {
            if (Names(entry, operation))
            {
                return true;
            }
        }

        return false;
    }

    private static void ReportUnknown(EquatableArray<OperationObject> operations, EquatableArray<string> entries, string metadata, bool byTag, DiagnosticBag diagnostics)
    {
        foreach (string entry in entries)
        {
            bool found = false;
            foreach (OperationObject operation in operations)
            {
                if (byTag ? operation.Tags.Contains(entry) : Names(entry, operation))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                diagnostics.Add(
                    DiagnosticDescriptors.ScopeNameUnknown,
                    default(TextMark),
                    default(TextMark),
                    metadata,
                    entry,
                    byTag ? "tag" : "operationId (or method and path)");
            }
        }
    }
}
