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
                : Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Documentation.FullPath(document))!, Uri.UnescapeDataString(path))));
            string full = Path.Combine(Repository.Root, linked);

            if (linked.StartsWith("..", StringComparison.Ordinal) || (!File.Exists(full) && !Directory.Exists(full)))
            {
                broken.Add(target + ": no such file in the repository");
            }
            else if (anchor is not null && full.EndsWith(".md", StringComparison.Ordinal) && !Documentation.Anchors(File.ReadAllText(full)).Contains(anchor))
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
        Assert.Contains("with-microsoftextensionshttpresilience", Documentation.Anchors("### With Microsoft.Extensions.Http.Resilience\n"));
        Assert.Contains("calling-a-model-baseteninferenceclient", Documentation.Anchors("## Calling a model: `BasetenInferenceClient`\n"));
    }

    private static string[] LinkTargets(string markdown)
    {
        string prose = s_inlineCode.Replace(s_fencedCode.Replace(markdown.ReplaceLineEndings("\n"), ""), "");
        return s_link.Matches(prose).Select(match => match.Groups[1].Value).ToArray();
    }
}
