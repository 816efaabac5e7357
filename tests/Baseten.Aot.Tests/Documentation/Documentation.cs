using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Baseten.Aot.Tests;

/// <summary>The repository's documentation: README.md and the pages under docs/.</summary>
internal static class Documentation
{
    private static readonly Regex s_fencedCode = new(@"^```.*?^```", RegexOptions.Singleline | RegexOptions.Multiline);
    private static readonly Regex s_heading = new(@"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", RegexOptions.Multiline);

    /// <summary>Each documentation file, as a path relative to the repository root with '/' separators.</summary>
    public static string[] Files() =>
        Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md")
            .Select(path => "docs/" + Path.GetFileName(path))
            .Order(StringComparer.Ordinal)
            .Prepend("README.md")
            .ToArray();

    public static string FullPath(string relative) => Path.Combine(Repository.Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The anchors of a Markdown page's headings, made as GitHub makes them.</summary>
    public static HashSet<string> Anchors(string markdown)
    {
        string prose = s_fencedCode.Replace(markdown.ReplaceLineEndings("\n"), "");
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in s_heading.Matches(prose))
        {
            string slug = new string(heading.Groups[1].Value.ToLowerInvariant()
                .Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')
                .ToArray()).Replace(' ', '-');

            // GitHub numbers a repeated heading's anchor: -1, -2, ...
            string unique = slug;
            for (int n = 1; !anchors.Add(unique); n++)
            {
                unique = slug + "-" + n;
            }
        }

        return anchors;
    }
}
