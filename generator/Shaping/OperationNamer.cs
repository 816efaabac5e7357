using System;
using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

/// <summary>
/// Names client methods: from <c>operationId</c>, else from the summary (imperative verb, no
/// articles), else from method and path. Operations that would share a name are told apart by what
/// differs between them — the team-scoped twin of <c>/v1/secrets/{name}</c> at
/// <c>/v1/teams/{team_id}/secrets/{name}</c> is <c>...InTeam</c> — and only as a last resort by a number.
/// </summary>
internal static class OperationNamer
{
    /// <summary>The base name of each operation (without <c>Async</c>), in document order, with the name it wanted (they differ when it fell back to a number).</summary>
    public static List<(string Name, string Candidate)> Name(IReadOnlyList<OperationObject> operations)
    {
        var bases = operations.Select(BaseName).ToList();
        var result = new List<(string Name, string Candidate)>(operations.Count);
        var taken = new NameTable(null, ReservedNames.ClientMembers.Select(m => m.EndsWith("Async", StringComparison.Ordinal) ? m.Substring(0, m.Length - 5) : m).ToArray());
        var groups = bases.Select((name, index) => (name, index)).GroupBy(x => x.name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.index).ToList(), StringComparer.Ordinal);
        var names = new string?[operations.Count];

        // Within a group of operations with one base name, the one with the shortest path keeps it.
        foreach (KeyValuePair<string, List<int>> group in groups)
        {
            if (group.Value.Count == 1)
            {
                continue;
            }

            int primary = group.Value.OrderBy(i => Segments(operations[i].Path).Length).ThenBy(i => i).First();
            foreach (int index in group.Value)
            {
                if (index != primary)
                {
                    names[index] = group.Key + Qualifier(operations[primary], operations[index]);
                }
            }
        }

        for (int i = 0; i < operations.Count; i++)
        {
            string candidate = names[i] ?? bases[i];
            string claimed = taken.Claim(candidate);
            result.Add((claimed, candidate));
        }

        return result;
    }

    private static string BaseName(OperationObject operation)
    {
        if (operation.OperationId is { } operationId)
        {
            return NameRules.ToPascalCase(operationId, "Operation");
        }

        if (operation.Summary is { } summary)
        {
            return NameRules.FromSentence(summary, "Operation");
        }

        return NameRules.ToPascalCase(operation.Method.ToLowerInvariant() + " " + operation.Path, "Operation");
    }

    // What the path of 'other' has that the path of 'primary' lacks: "teams/{team_id}" -> "InTeam",
    // a literal segment -> that segment, a parameter -> "By" + its name; or its HTTP method.
    private static string Qualifier(OperationObject primary, OperationObject other)
    {
        string[] mine = Segments(primary.Path);
        string[] theirs = Segments(other.Path);
        var extra = theirs.Where(s => Array.IndexOf(mine, s) < 0).ToList();
        var words = new List<string>();
        for (int i = 0; i < extra.Count; i++)
        {
            string segment = extra[i];
            if (IsParameter(segment))
            {
                // A parameter right after its collection ("teams/{team_id}") was named with it.
                if (i == 0 || IsParameter(extra[i - 1]))
                {
                    words.Add("By" + NameRules.ToPascalCase(segment.Trim('{', '}'), "Parameter"));
                }

                continue;
            }

            bool scoped = i + 1 < extra.Count && IsParameter(extra[i + 1]);
            string word = NameRules.ToPascalCase(segment, "Segment");
            words.Add(scoped ? "In" + NameRules.Singular(word) : word);
        }

        if (words.Count == 0 && primary.Method != other.Method)
        {
            words.Add(NameRules.ToPascalCase(other.Method.ToLowerInvariant(), "Method"));
        }

        return string.Concat(words);
    }

    private static string[] Segments(string path) => path.Split(['/'], StringSplitOptions.RemoveEmptyEntries);

    private static bool IsParameter(string segment) => segment.StartsWith("{", StringComparison.Ordinal) && segment.EndsWith("}", StringComparison.Ordinal);
}
