using System;
using System.IO;

namespace Baseten.Aot.Tests;

/// <summary>Where the repository is, found from the test assembly's folder (the one with Baseten.Aot.sln above it).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Baseten.Aot.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("The repository root (with Baseten.Aot.sln) is not above " + AppContext.BaseDirectory);
    }
}
