using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Baseten.Aot.Generator;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Baseten.Aot.Benchmarks;

/// <summary>
/// The generator itself, driven the way the compiler drives it (CSharpGeneratorDriver, no step
/// tracking): a new driver over the seed document (the baseline), over Baseten's live management
/// document (183 operations, 405 schemas, read in place from ../shared, never copied) and over a
/// synthetic document of 1,000 operations and 2,400 schemas (benchmarks/synthetic-openapi.py,
/// written to obj/ on first use); and a warm driver re-run after an unrelated C# edit, which should
/// do next to nothing, and after a one-schema edit of the document (a property added to one model).
/// Each cold run parses the document, shapes it, emits every file, and includes Roslyn parsing the
/// emitted sources into syntax trees, as in a build. The budget for the live document is 1 s.
/// Median and Min are shown because CI machines are shared: they resist other builds' noise.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions s_parseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    private AdditionalText _seed = null!;
    private AdditionalText _live = null!;
    private AdditionalText _synthetic = null!;
    private AdditionalText _liveEdited = null!;
    private AdditionalText _syntheticEdited = null!;
    private GeneratorDriver _warmSyntheticDriver = null!;
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _editedCompilation = null!;
    private GeneratorDriver _warmLiveDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        LoadDocuments();
        WarmAndCheck();
    }

    /// <summary>Reads the documents and makes the compilations, running nothing (GeneratorFirstRunBenchmarks stops here).</summary>
    internal void LoadDocuments()
    {
        string root = FindRepositoryRoot();
        _seed = new InMemoryText(Path.Combine(root, "spec", "baseten.openapi.yaml"));
        _live = new InMemoryText(Path.GetFullPath(Path.Combine(root, "..", "shared", "baseten", "management.openapi.json")));
        _synthetic = new InMemoryText(SyntheticDocument(root));
        _liveEdited = OneSchemaEdit(_live, "\"AuditLogActorV1\"");
        _syntheticEdited = OneSchemaEdit(_synthetic, "\"Resource100V1\"");

        // The generator reads only its AdditionalFiles and their options, never the compilation.
        _compilation = CSharpCompilation.Create(
            "GeneratorBenchmarks",
            [CSharpSyntaxTree.ParseText("internal sealed class Unrelated { }", s_parseOptions)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _editedCompilation = _compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("internal sealed class AnotherUnrelated { }", s_parseOptions));
    }

    private void WarmAndCheck()
    {
        _warmLiveDriver = CreateDriver(_live, trackSteps: false).RunGenerators(_compilation);
        _warmSyntheticDriver = CreateDriver(_synthetic, trackSteps: false).RunGenerators(_compilation);

        // What is measured must be what we mean: every document generates without a diagnostic,
        // the live one into hundreds of files, and the unrelated edit leaves every step cached.
        CheckRun(CreateDriver(_seed, trackSteps: false).RunGenerators(_compilation).GetRunResult(), "seed", minimumFiles: 10);
        CheckRun(_warmLiveDriver.GetRunResult(), "live", minimumFiles: 400);
        CheckRun(_warmSyntheticDriver.GetRunResult(), "synthetic", minimumFiles: 2000);
        CheckRun(Regenerate_LiveManagement_OneSchemaEdit().GetRunResult(), "edited live", minimumFiles: 400);
        CheckRun(Regenerate_Synthetic_OneSchemaEdit().GetRunResult(), "edited synthetic", minimumFiles: 2000);
        ReportOneSchemaEdit("live", _live, _liveEdited);
        ReportOneSchemaEdit("synthetic", _synthetic, _syntheticEdited);
        GeneratorRunResult rerun = CreateDriver(_live, trackSteps: true).RunGenerators(_compilation).RunGenerators(_editedCompilation).GetRunResult().Results.Single();
        IncrementalStepRunReason[] reasons = rerun.TrackedSteps.Concat(rerun.TrackedOutputSteps)
            .SelectMany(step => step.Value).SelectMany(run => run.Outputs).Select(output => output.Reason).Distinct().ToArray();
        if (reasons.Any(reason => reason != IncrementalStepRunReason.Cached))
        {
            throw new InvalidOperationException("An unrelated C# edit re-ran generator steps: " + string.Join(", ", reasons));
        }
    }

    [Benchmark(Baseline = true)]
    public GeneratorDriver Generate_Seed() => CreateDriver(_seed, trackSteps: false).RunGenerators(_compilation);

    [Benchmark]
    public GeneratorDriver Generate_LiveManagement() => CreateDriver(_live, trackSteps: false).RunGenerators(_compilation);

    [Benchmark]
    public GeneratorDriver Generate_Synthetic() => CreateDriver(_synthetic, trackSteps: false).RunGenerators(_compilation);

    [Benchmark]
    public GeneratorDriver Regenerate_LiveManagement_UnrelatedEdit() => _warmLiveDriver.RunGenerators(_editedCompilation);

    [Benchmark]
    public GeneratorDriver Regenerate_Synthetic_UnrelatedEdit() => _warmSyntheticDriver.RunGenerators(_editedCompilation);

    /// <summary>The warm driver after one property is added to one schema (AuditLogActorV1).</summary>
    [Benchmark]
    public GeneratorDriver Regenerate_LiveManagement_OneSchemaEdit() => _warmLiveDriver.ReplaceAdditionalText(_live, _liveEdited).RunGenerators(_compilation);

    /// <summary>The warm driver after one property is added to one schema (Resource100V1).</summary>
    [Benchmark]
    public GeneratorDriver Regenerate_Synthetic_OneSchemaEdit() => _warmSyntheticDriver.ReplaceAdditionalText(_synthetic, _syntheticEdited).RunGenerators(_compilation);

    /// <summary>The same document with one property added to the schema named <paramref name="schemaKey"/> (a JSON key).</summary>
    private static InMemoryText OneSchemaEdit(AdditionalText document, string schemaKey)
    {
        string text = document.GetText()!.ToString();
        int schema = text.IndexOf(schemaKey + ":", StringComparison.Ordinal);
        int properties = text.IndexOf("\"properties\":", schema, StringComparison.Ordinal);
        int open = text.IndexOf('{', properties);
        if (schema < 0 || properties < 0)
        {
            throw new InvalidOperationException("No schema " + schemaKey + " with properties to edit.");
        }

        return new InMemoryText(document.Path, text.Insert(open + 1, "\"benchmark_added\": {\"type\": \"string\"}, "));
    }

    /// <summary>benchmarks/synthetic-openapi.py's document (its defaults: 1,000 operations), written once under obj/.</summary>
    private static string SyntheticDocument(string root)
    {
        string path = Path.Combine(root, "benchmarks", "Baseten.Aot.Benchmarks", "obj", "synthetic.openapi.json");
        if (!File.Exists(path))
        {
            using var python = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3", [Path.Combine(root, "benchmarks", "synthetic-openapi.py"), path + ".tmp"]))!;
            python.WaitForExit();
            if (python.ExitCode != 0)
            {
                throw new InvalidOperationException("benchmarks/synthetic-openapi.py failed: exit code " + python.ExitCode);
            }

            File.Move(path + ".tmp", path, overwrite: true);
        }

        return path;
    }

    /// <summary>Prints how many generated files a one-schema edit changes, and how many source outputs the driver re-ran.</summary>
    private void ReportOneSchemaEdit(string name, AdditionalText document, AdditionalText edited)
    {
        GeneratorDriver before = CreateDriver(document, trackSteps: true).RunGenerators(_compilation);
        GeneratorRunResult after = before.ReplaceAdditionalText(document, edited).RunGenerators(_compilation).GetRunResult().Results.Single();
        Dictionary<string, string> old = before.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        int changed = after.GeneratedSources.Count(s => !old.TryGetValue(s.HintName, out string? text) || text != s.SourceText.ToString());
        int rerunOutputs = after.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(run => run.Outputs)
            .Count(output => output.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified);
        Console.WriteLine($"// One-schema edit of the {name} document: {changed} of {after.GeneratedSources.Length} generated files changed; {rerunOutputs} source outputs re-ran.");
    }

    private static CSharpGeneratorDriver CreateDriver(AdditionalText document, bool trackSteps)
        => CSharpGeneratorDriver.Create(
            [new OpenApiClientGenerator().AsSourceGenerator()],
            [document],
            s_parseOptions,
            new OptionsProvider(document.Path),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackSteps));

    private static void CheckRun(GeneratorDriverRunResult run, string name, int minimumFiles)
    {
        GeneratorRunResult result = run.Results.Single();
        if (result.Exception is not null || !result.Diagnostics.IsEmpty || result.GeneratedSources.Length < minimumFiles)
        {
            throw new InvalidOperationException(
                $"The {name} document generated {result.GeneratedSources.Length} files with: {result.Exception?.Message} {string.Join("; ", result.Diagnostics.Take(5))}");
        }
    }

    internal static string FindRepositoryRoot()
    {
        // BenchmarkDotNet runs each case from a folder under this project's bin: walk up to the repository.
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Baseten.Aot.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("The repository root (with Baseten.Aot.sln) is not above " + AppContext.BaseDirectory);
    }

    /// <summary>A document read once, in setup: the benchmark measures the generator, not the disk.</summary>
    private sealed class InMemoryText(string path, string? text = null) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text ?? File.ReadAllText(path));

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    /// <summary>The item metadata MSBuild passes for <c>&lt;AdditionalFiles BasetenClientName=... BasetenNamespace=... /&gt;</c>.</summary>
    private sealed class OptionsProvider(string documentPath) : AnalyzerConfigOptionsProvider
    {
        private static readonly Options s_none = new(new Dictionary<string, string>());

        // Every name the props file declares, empty where unset, as MSBuild passes them: read from the
        // file, so that a name added there cannot be missing here (BTN0012 would stop the run).
        private readonly Options _document = new(MetadataNames().ToDictionary(
            name => "build_metadata.AdditionalFiles." + name,
            name => name switch { "BasetenClientName" => "BenchClient", "BasetenNamespace" => "Bench.Generated", _ => string.Empty }));

        private static IEnumerable<string> MetadataNames()
            => System.Xml.Linq.XDocument.Load(Path.Combine(FindRepositoryRoot(), "generator", "build", "Baseten.Aot.Generator.props"))
                .Descendants("CompilerVisibleItemMetadata")
                .Where(e => (string?)e.Attribute("Include") == "AdditionalFiles")
                .Select(e => (string)e.Attribute("MetadataName")!);

        public override AnalyzerConfigOptions GlobalOptions => s_none;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => s_none;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => textFile.Path == documentPath ? _document : s_none;
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            bool found = values.TryGetValue(key, out string? text);
            value = text ?? string.Empty;
            return found;
        }
    }
}

/// <summary>
/// The generator's first run in a new process (what a command-line build pays: the generator,
/// YamlDotNet and Roslyn's driver are JIT-compiled as they run), one run per process over several
/// processes; GeneratorBenchmarks measures the same runs once the process is warm.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(BenchmarkDotNet.Engines.RunStrategy.ColdStart, launchCount: 5, warmupCount: 0, iterationCount: 1)]
public class GeneratorFirstRunBenchmarks
{
    private readonly GeneratorBenchmarks _runs = new();

    // Only the documents are read: nothing of the generator may run (and be JIT-compiled) before the measured run.
    [GlobalSetup]
    public void Setup() => _runs.LoadDocuments();

    [Benchmark(Baseline = true)]
    public GeneratorDriver FirstRun_Seed() => _runs.Generate_Seed();

    [Benchmark]
    public GeneratorDriver FirstRun_LiveManagement() => _runs.Generate_LiveManagement();

    [Benchmark]
    public GeneratorDriver FirstRun_Synthetic() => _runs.Generate_Synthetic();
}
