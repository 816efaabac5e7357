using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Baseten.Aot.Generator.Tests;

/// <summary>Runs the generator in memory, the way the compiler does, and compiles what it emits.</summary>
internal static class GeneratorHarness
{
    public const string DefaultPath = "/specs/test.openapi.yaml";

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        // The running framework's assemblies, plus the runtime library the generated code calls into.
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Append(typeof(Baseten.Aot.Http.ApiTransport).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    });

    public static string RepositoryRoot { get; } = FindRoot();

    public static string SeedSpecPath => Path.Combine(RepositoryRoot, "spec", "baseten.openapi.yaml");

    public static string ReadSeedSpec() => File.ReadAllText(SeedSpecPath);

    public static CSharpCompilation CreateCompilation(params string[] sources)
        => CSharpCompilation.Create(
            "GeneratorTestAssembly",
            sources.Select(s => CSharpSyntaxTree.ParseText(s, s_parseOptions)),
            s_references.Value,
            // Warning level 10: what a net10.0 project compiles at, so generated code is held to what its users see (CS8981, ...).
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 10));

    public static GeneratorDriver CreateDriver(params AdditionalText[] files)
        => CreateDriver(files.Select(f => (f, (IReadOnlyDictionary<string, string>?)Options("TestClient", "Generated"))).ToArray());

    public static GeneratorDriver CreateDriver(params (AdditionalText File, IReadOnlyDictionary<string, string>? Options)[] files)
        => CSharpGeneratorDriver.Create(
            [new OpenApiClientGenerator().AsSourceGenerator()],
            files.Select(f => f.File),
            s_parseOptions,
            new TestOptionsProvider(files.ToDictionary(f => f.File.Path, f => f.Options ?? new Dictionary<string, string>())),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    // Read from the props file itself, so that a metadata name added there reaches every test
    // (a hand-kept copy here once lacked new names, and the generator reported them hidden).
    private static readonly Lazy<string[]> s_metadataNames = new(() =>
        System.Xml.Linq.XDocument.Load(Path.Combine(FindRoot(), "generator", "build", "Baseten.Aot.Generator.props"))
            .Descendants("CompilerVisibleItemMetadata")
            .Where(e => (string?)e.Attribute("Include") == "AdditionalFiles")
            .Select(e => (string)e.Attribute("MetadataName")!)
            .ToArray());

    /// <summary>
    /// What MSBuild passes for an item when build/Baseten.Aot.Generator.props is imported: every
    /// metadata name it declares, empty where the item does not set it.
    /// </summary>
    public static Dictionary<string, string> Options(string? clientName, string? ns)
    {
        var options = s_metadataNames.Value.ToDictionary(name => "build_metadata.AdditionalFiles." + name, _ => string.Empty);
        options["build_metadata.AdditionalFiles.BasetenClientName"] = clientName ?? string.Empty;
        options["build_metadata.AdditionalFiles.BasetenNamespace"] = ns ?? string.Empty;
        return options;
    }

    /// <summary>Runs the generator over one spec; returns the run, and the compilation with its output.</summary>
    public static (GeneratorDriverRunResult Run, Compilation Output) Run(string spec, string clientName = "TestClient", string ns = "Generated", string path = DefaultPath, IReadOnlyDictionary<string, string>? metadata = null)
    {
        Dictionary<string, string> options = Options(clientName, ns);
        foreach (KeyValuePair<string, string> item in metadata ?? new Dictionary<string, string>())
        {
            options["build_metadata.AdditionalFiles." + item.Key] = item.Value;
        }

        GeneratorDriver driver = CreateDriver((new InMemoryText(path, spec), options));
        driver = driver.RunGeneratorsAndUpdateCompilation(CreateCompilation(), out Compilation output, out _, CancellationToken.None);
        return (driver.GetRunResult(), output);
    }

    /// <summary>Errors and warnings of a compilation, formatted for an assertion message.</summary>
    public static List<string> WarningsAndErrors(Compilation compilation)
        => compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToList();

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

    internal sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class TestOptionsProvider(Dictionary<string, IReadOnlyDictionary<string, string>> byPath) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new DictionaryOptions(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
            => byPath.TryGetValue(textFile.Path, out IReadOnlyDictionary<string, string>? options) ? new DictionaryOptions(options) : GlobalOptions;
    }

    private sealed class DictionaryOptions(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            bool found = values.TryGetValue(key, out string? v);
            value = v ?? string.Empty;
            return found;
        }
    }
}
