using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Baseten.Aot.Tests;

/// <summary>
/// Every relative link in README.md and docs/*.md points at a file or folder of the repository, and
/// a link to a heading (<c>page.md#anchor</c>, <c>#anchor</c>) at a heading that page has, so moving
/// or renaming a page or a section cannot leave a dead link behind.
/// </summary>
public sealed class DocumentationLinkTests
{
    // [text](target) and [text](target "title"); images too. Code is stripped before matching.
    private static readonly Regex s_link = new(@"\]\(\s*<?([^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)");
    private static readonly Regex s_fencedCode = new(@"^```.*?^```", RegexOptions.Singleline | RegexOptions.Multiline);
    private static readonly Regex s_inlineCode = new(@"`[^`\n]*`");
    private static readonly Regex s_heading = new(@"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", RegexOptions.Multiline);

    public static TheoryData<string> Documents() => new(Documentation.Files());

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryRelativeLinkResolves(string document)
    {
        string text = File.ReadAllText(Documentation.FullPath(document)).ReplaceLineEndings("\n");
        var broken = new List<string>();
        foreach (string target in LinkTargets(text))
        {
            if (Uri.TryCreate(target, UriKind.Absolute, out _))
            {
                continue; // https:, mailto:: not this repository's to check
            }

            int hash = target.IndexOf('#', StringComparison.Ordinal);
            string path = hash < 0 ? target : target[..hash];
            string? anchor = hash < 0 ? null : Uri.UnescapeDataString(target[(hash + 1)..]);
            string linked = path.Length == 0
                ? document
                : Path.GetRelativePath(PrismFixture.RepositoryRoot, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Documentation.FullPath(document))!, Uri.UnescapeDataString(path))));
            string full = Path.Combine(PrismFixture.RepositoryRoot, linked);

            if (linked.StartsWith("..", StringComparison.Ordinal) || (!File.Exists(full) && !Directory.Exists(full)))
            {
                broken.Add(target + ": no such file in the repository");
            }
            else if (anchor is not null && full.EndsWith(".md", StringComparison.Ordinal) && !Anchors(File.ReadAllText(full)).Contains(anchor))
            {
                broken.Add(target + ": no heading with that anchor in " + linked.Replace('\\', '/'));
            }
        }

        Assert.True(broken.Count == 0, document + " has broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void TheCheckSeesLinksAndAnchors()
    {
        // The checker itself: a link is found outside code and ignored inside it, and anchors are
        // made as GitHub makes them (lower case, punctuation dropped, spaces as hyphens).
        string sample = "See [a](docs/a.md#x-y) and `[b](nowhere.md)`.\n```\n[c](nowhere.md)\n```\n";
        Assert.Equal(["docs/a.md#x-y"], LinkTargets(sample));
        Assert.Contains("with-microsoftextensionshttpresilience", Anchors("### With Microsoft.Extensions.Http.Resilience\n"));
        Assert.Contains("calling-a-model-baseteninferenceclient", Anchors("## Calling a model: `BasetenInferenceClient`\n"));
    }

    private static string[] LinkTargets(string markdown)
    {
        string prose = s_inlineCode.Replace(s_fencedCode.Replace(markdown.ReplaceLineEndings("\n"), ""), "");
        return s_link.Matches(prose).Select(match => match.Groups[1].Value).ToArray();
    }

    private static HashSet<string> Anchors(string markdown)
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
