using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Baseten.Aot.Tests;

/// <summary>
/// The repository's public address is declared once, as <c>BasetenRepositoryUrl</c> in Packaging.props
/// (the packages' project URL, <c>&lt;repository&gt;</c> and SourceLink). What cannot read MSBuild
/// repeats it: the generator's diagnostic help links, the packages' READMEs. Every copy must be that
/// address, and every link under it must name a file (and heading) this repository has, so that the
/// links work the day the repository is published there.
/// </summary>
public sealed class RepositoryUrlTests
{
    private static readonly string[] s_textExtensions = [".md", ".cs", ".props", ".targets", ".csproj", ".json", ".yaml", ".yml", ".sh", ".py"];
    private static readonly string[] s_skippedFolders = [".git", "bin", "obj", "node_modules", "artifacts"];

    // Any GitHub address of a repository named Baseten.Aot, with what follows it up to a space, quote, bracket or backtick.
    private static readonly Regex s_address = new(@"https://github\.com/[A-Za-z0-9_.-]+/Baseten\.Aot(?<rest>[^\s""'<>()\[\]`]*)");

    private static string DeclaredAddress()
    {
        string props = File.ReadAllText(Path.Combine(Repository.Root, "Packaging.props"));
        Match declared = Regex.Match(props, @"<BasetenRepositoryUrl [^>]*>([^<]+)</BasetenRepositoryUrl>");
        Assert.True(declared.Success, "Packaging.props declares no BasetenRepositoryUrl");
        return declared.Groups[1].Value;
    }

    private static IEnumerable<(string File, Match Address)> Occurrences()
    {
        var folders = new Stack<string>([Repository.Root]);
        while (folders.Count > 0)
        {
            string folder = folders.Pop();
            foreach (string child in Directory.GetDirectories(folder))
            {
                if (!s_skippedFolders.Contains(Path.GetFileName(child)))
                {
                    folders.Push(child);
                }
            }

            foreach (string file in Directory.GetFiles(folder).Where(f => s_textExtensions.Contains(Path.GetExtension(f))))
            {
                foreach (Match address in s_address.Matches(File.ReadAllText(file)))
                {
                    yield return (Path.GetRelativePath(Repository.Root, file).Replace('\\', '/'), address);
                }
            }
        }
    }

    [Fact]
    public void EveryCopyOfTheAddress_IsTheDeclaredOne_AndLinksToSomethingThisRepositoryHas()
    {
        string declared = DeclaredAddress();
        var occurrences = Occurrences().ToList();
        var wrong = new List<string>();
        foreach ((string file, Match address) in occurrences)
        {
            if (!address.Value.StartsWith(declared, StringComparison.Ordinal))
            {
                wrong.Add(file + ": " + address.Value + " is not " + declared);
                continue;
            }

            string? problem = Resolve(address.Groups["rest"].Value.TrimEnd('.', ',', ';', ':'));
            if (problem is not null)
            {
                wrong.Add(file + ": " + address.Value + ": " + problem);
            }
        }

        Assert.True(wrong.Count == 0, "repository links that would not work once published:\n" + string.Join("\n", wrong));

        // Not vacuous: the declaration, the generator's help links and the runtime package's README at least.
        string[] files = occurrences.Select(o => o.File).Distinct().ToArray();
        Assert.Contains("Packaging.props", files);
        Assert.Contains("generator/Diagnostics/DiagnosticDescriptors.cs", files);
        Assert.Contains("runtime/README.md", files);
    }

    // "", "#readme", "#anchor" (the README), "/blob/main/path#anchor", "/tree/main/folder": null when it resolves.
    private static string? Resolve(string rest)
    {
        if (rest.Length == 0 || rest == "#readme")
        {
            return null;
        }

        string path = "README.md";
        string anchor = string.Empty;
        int hash = rest.IndexOf('#', StringComparison.Ordinal);
        string location = hash < 0 ? rest : rest[..hash];
        if (hash >= 0)
        {
            anchor = rest[(hash + 1)..];
        }

        if (location.Length > 0)
        {
            Match inTree = Regex.Match(location, "^/(?:blob|tree)/main/(.+)$");
            if (!inTree.Success)
            {
                return "not an address of a file on the main branch (/blob/main/... or /tree/main/...)";
            }

            path = inTree.Groups[1].Value;
        }

        string full = Path.Combine(Repository.Root, path);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            return path + " is not in the repository";
        }

        // A link base ending in '#' (the help links: the id is appended) names the page only.
        return anchor.Length == 0 || !path.EndsWith(".md", StringComparison.Ordinal) || Documentation.Anchors(File.ReadAllText(full)).Contains(anchor)
            ? null
            : path + " has no heading with the anchor #" + anchor;
    }
}
