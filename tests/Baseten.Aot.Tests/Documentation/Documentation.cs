using System;
using System.IO;
using System.Linq;

namespace Baseten.Aot.Tests;

/// <summary>The repository's documentation: README.md and the pages under docs/.</summary>
internal static class Documentation
{
    /// <summary>Each documentation file, as a path relative to the repository root with '/' separators.</summary>
    public static string[] Files() =>
        Directory.GetFiles(Path.Combine(PrismFixture.RepositoryRoot, "docs"), "*.md")
            .Select(path => "docs/" + Path.GetFileName(path))
            .Order(StringComparer.Ordinal)
            .Prepend("README.md")
            .ToArray();

    public static string FullPath(string relative) => Path.Combine(PrismFixture.RepositoryRoot, relative.Replace('/', Path.DirectorySeparatorChar));
}
