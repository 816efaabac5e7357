using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// The generator's output for spec/baseten.openapi.yaml, checked in under Baselines/Seed, and for
/// each feature's document under Baselines/&lt;Feature&gt;, reviewed as a diff. To regenerate after an intended change:
/// <c>BASETEN_UPDATE_BASELINES=1 dotnet test tests/Baseten.Aot.Generator.Tests</c>.
/// </summary>
public sealed class BaselineTests
{
    private static readonly string s_baselines = Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "Baseten.Aot.Generator.Tests", "Baselines");
    private static readonly string s_baselineDirectory = Path.Combine(s_baselines, "Seed");

    [Fact]
    public void SeedSpec_OutputMatchesCheckedInBaselines()
    {
        // As runtime/Baseten.Aot.csproj generates it: BasetenClient's options constructors are hand-written.
        (GeneratorDriverRunResult run, _) = GeneratorHarness.Run(GeneratorHarness.ReadSeedSpec(), "BasetenClient", "Baseten.Aot", metadata: new Dictionary<string, string> { ["BasetenOptionsConstructors"] = "false" });
        AssertMatchesBaselines(run, s_baselineDirectory);
    }

    /// <summary>
    /// One folder per feature, as System.Text.Json's generator keeps its baselines: the small document
    /// the runtime tests call (tests/Baseten.Aot.Tests/&lt;folder&gt;), so a reviewer sees what a change
    /// does to the generated code of that feature. Regenerate as for the seed.
    /// </summary>
    [Theory]
    [InlineData("Formats", "Formats/formats.openapi.yaml", "FormatsClient", "Baseten.Aot.Tests.Formats")]
    [InlineData("ReadOnlyWriteOnly", "ReadOnlyWriteOnly/accounts.openapi.yaml", "AccountsClient", "Baseten.Aot.Tests.ReadOnlyWriteOnly")]
    [InlineData("Inheritance", "Inheritance/pets.openapi.yaml", "PetsClient", "Baseten.Aot.Tests.Inheritance")]
    [InlineData("Mockable", "Mockable/shop.openapi.yaml", "ShopClient", "Baseten.Aot.Tests.Mockable")]
    [InlineData("OpenApi32", "OpenApi32/catalog.openapi.yaml", "CatalogClient", "Baseten.Aot.Tests.OpenApi32")]
    [InlineData("Paging", "Paging/paging.openapi.yaml", "PagingClient", "Baseten.Aot.Tests.Paging")]
    [InlineData("Webhooks", "GeneratedWebhooks/couriers.openapi.yaml", "CouriersClient", "Baseten.Aot.Tests.GeneratedWebhooks")]
    public void FeatureDocument_OutputMatchesCheckedInBaselines_AndCompilesWithoutWarnings(string scenario, string document, string clientName, string ns)
    {
        string path = Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "Baseten.Aot.Tests", document);
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(File.ReadAllText(path), clientName, ns);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        AssertMatchesBaselines(run, Path.Combine(s_baselines, scenario));
    }

    /// <summary>
    /// One folder per feature that the shapes document (tests/Baseten.Aot.Tests/Shapes) covers all at
    /// once: a small document of the feature's own sits beside its baselines, in
    /// Baselines/&lt;Scenario&gt;, and generates &lt;Scenario&gt;Client in the namespace Scenarios.&lt;Scenario&gt;.
    /// Regenerate as for the seed.
    /// </summary>
    [Theory]
    [InlineData("DiscriminatedUnion", "discriminated-union.openapi.yaml")]
    [InlineData("UnionByShape", "union-by-shape.openapi.yaml")]
    [InlineData("UnionTokenCases", "union-token-cases.openapi.yaml")]
    [InlineData("Enums", "enums.openapi.yaml")]
    [InlineData("AdditionalProperties", "additional-properties.openapi.yaml")]
    [InlineData("AllOf", "all-of.openapi.yaml")]
    [InlineData("NullableRequired", "nullable-required.openapi.yaml")]
    [InlineData("Pagination", "pagination.openapi.yaml")]
    [InlineData("Streaming", "streaming.openapi.yaml")]
    [InlineData("Parameters", "parameters.openapi.yaml")]
    [InlineData("RequestBodies", "request-bodies.openapi.yaml")]
    [InlineData("Responses", "responses.openapi.yaml")]
    [InlineData("ServersSecurity", "servers-security.openapi.yaml")]
    public void Scenario_OutputMatchesCheckedInBaselines_AndCompilesWithoutWarnings(string scenario, string document)
    {
        string directory = Path.Combine(s_baselines, scenario);
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(File.ReadAllText(Path.Combine(directory, document)), scenario + "Client", "Scenarios." + scenario);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        AssertMatchesBaselines(run, directory);
    }

    /// <summary>
    /// The document split into files (tests/Baseten.Aot.Tests/MultiFile): the document with the other
    /// YAML files of its folder as AdditionalFiles without metadata, as that project lists them.
    /// </summary>
    [Fact]
    public void MultiFileDocument_OutputMatchesCheckedInBaselines_AndCompilesWithoutWarnings()
    {
        string folder = Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "Baseten.Aot.Tests", "MultiFile");
        string document = Path.Combine(folder, "library.openapi.yaml");
        GeneratorDriver driver = GeneratorHarness.CreateDriver(
            Directory.GetFiles(folder, "*.yaml", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
                .Select(path => ((AdditionalText)new GeneratorHarness.InMemoryText(path, File.ReadAllText(path)), (IReadOnlyDictionary<string, string>?)(path == document ? GeneratorHarness.Options("LibraryClient", "Baseten.Aot.Tests.MultiFile") : null)))
                .ToArray());
        driver = driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.CreateCompilation(), out Compilation output, out _, System.Threading.CancellationToken.None);
        GeneratorDriverRunResult run = driver.GetRunResult();

        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        AssertMatchesBaselines(run, Path.Combine(s_baselines, "MultiFile"));
    }

    internal static void AssertMatchesBaselines(GeneratorDriverRunResult run, string directory)
    {
        Dictionary<string, string> generated = run.Results.Single().GeneratedSources
            .ToDictionary(s => s.HintName + ".txt", s => s.SourceText.ToString().ReplaceLineEndings("\n"));

        if (Environment.GetEnvironmentVariable("BASETEN_UPDATE_BASELINES") == "1")
        {
            Directory.CreateDirectory(directory);
            foreach (string stale in Directory.GetFiles(directory, "*.txt"))
            {
                File.Delete(stale);
            }

            foreach ((string name, string text) in generated)
            {
                File.WriteAllText(Path.Combine(directory, name), text);
            }
        }

        string[] expectedFiles = Directory.GetFiles(directory, "*.txt").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;
        Assert.Equal(expectedFiles, generated.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray());
        foreach (string name in expectedFiles)
        {
            string expected = File.ReadAllText(Path.Combine(directory, name)).ReplaceLineEndings("\n");
            Assert.True(expected == generated[name], $"{name} differs from its baseline; review the change and regenerate with BASETEN_UPDATE_BASELINES=1.\n{FirstDifference(expected, generated[name])}");
        }
    }

    [Fact]
    public void SeedSpec_OutputCompilesWithoutWarnings()
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(GeneratorHarness.ReadSeedSpec(), "SeedClient", "Generated.Seed");

        Assert.Empty(run.Diagnostics);
        Assert.Equal(44, run.GeneratedTrees.Length); // 13 models, 3 enums, the JSON context and the metadata of its 24 types, the client and its interface
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
    }

    private static string FirstDifference(string expected, string actual)
    {
        string[] left = expected.Split('\n');
        string[] right = actual.Split('\n');
        for (int i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            string l = i < left.Length ? left[i] : "<end>";
            string r = i < right.Length ? right[i] : "<end>";
            if (l != r)
            {
                return $"line {i + 1}:\n  baseline:  {l}\n  generated: {r}";
            }
        }

        return "(no difference)";
    }
}
