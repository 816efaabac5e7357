using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Emitting;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing;
using Baseten.Aot.Generator.Shaping;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Baseten.Aot.Generator;

/// <summary>
/// Generates models, a JSON serializer context and a client from every OpenAPI file passed as
/// <c>&lt;AdditionalFiles Include="x.yaml" BasetenClientName="PetsClient" BasetenNamespace="Pets" /&gt;</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class OpenApiClientGenerator : IIncrementalGenerator
{
    private const string MetadataPrefix = "build_metadata.AdditionalFiles.";
    private const string ClientNameMetadata = MetadataPrefix + "BasetenClientName";
    private const string NamespaceMetadata = MetadataPrefix + "BasetenNamespace";
    private const string CredentialVariableMetadata = MetadataPrefix + "BasetenCredentialVariable";
    private const string OptionsConstructorsMetadata = MetadataPrefix + "BasetenOptionsConstructors";
    private const string IncludeTagsMetadata = MetadataPrefix + OperationScope.IncludeTagsName;
    private const string ExcludeTagsMetadata = MetadataPrefix + OperationScope.ExcludeTagsName;
    private const string IncludeOperationsMetadata = MetadataPrefix + OperationScope.IncludeOperationsName;
    private const string ExcludeOperationsMetadata = MetadataPrefix + OperationScope.ExcludeOperationsName;
    private const string ClientPerTagMetadata = MetadataPrefix + OperationScope.ClientPerTagName;

    // Every name build/Baseten.Aot.Generator.props makes visible.
    private static readonly string[] s_metadata =
    [
        ClientNameMetadata, NamespaceMetadata, CredentialVariableMetadata, OptionsConstructorsMetadata,
        IncludeTagsMetadata, ExcludeTagsMetadata, IncludeOperationsMetadata, ExcludeOperationsMetadata, ClientPerTagMetadata,
    ];

    // The file with its scope: the scope is an input of its own, so that editing the metadata
    // re-generates, and compares by value, so that an unchanged scope leaves the pipeline cached.
    // References: the other AdditionalFiles the document's $refs reach, with their text.
    private sealed record Input(OpenApiFile File, OperationScope Scope)
    {
        public EquatableArray<ReferencedFile> References { get; init; } = EquatableArray<ReferencedFile>.Empty;
    }

    private sealed record Parsed(ParseResult Result, OperationScope Scope);

    // Every AdditionalFile a document may refer to: its normalized path, text and the files its own
    // $refs name; Document is set for a file that opted in (it generates a client).
    private sealed record Source(string Key, string Path, string Text, EquatableArray<string> Refers, Input? Document);

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<Source> sources = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) =>
            {
                AnalyzerConfigOptions options = pair.Right.GetOptions(pair.Left);
                options.TryGetValue(ClientNameMetadata, out string? clientName);
                options.TryGetValue(NamespaceMetadata, out string? ns);
                bool document = !string.IsNullOrWhiteSpace(clientName) || !string.IsNullOrWhiteSpace(ns);
                if (!document && !IsReferable(pair.Left.Path))
                {
                    return null;
                }

                string text = pair.Left.GetText(cancellationToken)?.ToString() ?? string.Empty;
                EquatableArray<string> refers = ReferenceScanner.Files(pair.Left.Path, text);
                if (!document)
                {
                    return new Source(FilePaths.Normalize(pair.Left.Path), pair.Left.Path, text, refers, null);
                }

                options.TryGetValue(CredentialVariableMetadata, out string? credentialVariable);
                options.TryGetValue(OptionsConstructorsMetadata, out string? optionsConstructors);
                var file = new OpenApiFile(
                    pair.Left.Path,
                    text,
                    clientName?.Trim(),
                    ns?.Trim(),
                    string.IsNullOrWhiteSpace(credentialVariable) ? null : credentialVariable!.Trim(),
                    !string.Equals(optionsConstructors?.Trim(), "false", StringComparison.OrdinalIgnoreCase),
                    HiddenMetadata(options));
                return new Source(FilePaths.Normalize(pair.Left.Path), pair.Left.Path, text, refers, new Input(file, Scope(options)));
            })
            .Where(static source => source is not null)
            .Select(static (source, _) => source!)
            .WithTrackingName(TrackingNames.Sources);

        // A document with the files it reaches: this step re-runs on any AdditionalFile's edit, and
        // compares equal unless a file the document reaches changed, so that only then is it re-parsed.
        IncrementalValuesProvider<Input> inputs = sources
            .Where(static source => source.Document is not null)
            .Combine(sources.Collect())
            .Select(static (pair, _) => pair.Left.Refers.Count == 0 ? pair.Left.Document! : pair.Left.Document! with { References = Reached(pair.Left, pair.Right) })
            .WithTrackingName(TrackingNames.Inputs);

        IncrementalValuesProvider<Parsed> parsed = inputs
            .Select(static (input, cancellationToken) => new Parsed(OpenApiParser.Parse(input.File, input.References, cancellationToken), input.Scope))
            .WithTrackingName(TrackingNames.Parse);

        IncrementalValuesProvider<ShapeResult> shaped = parsed
            .Select(static (document, cancellationToken) => Shaper.Shape(document.Result, document.Scope, cancellationToken))
            .WithTrackingName(TrackingNames.Shape);

        IncrementalValuesProvider<(ApiSpec Spec, string SourcePath)> models = shaped
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => (Spec: result.Spec!, result.SourcePath))
            .WithTrackingName(TrackingNames.Model);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = shaped
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(diagnostics, static (output, items) =>
        {
            foreach (DiagnosticInfo item in items)
            {
                output.ReportDiagnostic(item.ToDiagnostic());
            }
        });

        IncrementalValuesProvider<EmitUnit> files = models
            .SelectMany(static (model, _) => EmitPlan.Of(model.Spec, model.SourcePath))
            .WithTrackingName(TrackingNames.Files);

        // A file whose emitter fails is reported (BTN0013) and left out; the document's other files are still written.
        context.RegisterSourceOutput(files, static (output, unit) =>
        {
            if (unit.TryEmit(out string source, out DiagnosticInfo? failure))
            {
                output.AddSource(unit.HintName, source);
            }
            else
            {
                output.ReportDiagnostic(failure!.ToDiagnostic());
            }
        });
    }

    // A file that is not a document is read only when a reference could name it: OpenAPI's own formats.
    private static bool IsReferable(string path)
        => path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
           || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
           || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    // The files a document's references reach, directly or through each other, in the order first reached.
    private static EquatableArray<ReferencedFile> Reached(Source document, ImmutableArray<Source> all)
    {
        var byKey = new Dictionary<string, Source>(FilePaths.Comparer);
        foreach (Source source in all)
        {
            byKey[source.Key] = source;
        }

        var seen = new HashSet<string>(FilePaths.Comparer) { document.Key };
        var reached = new List<ReferencedFile>();
        var pending = new Queue<Source>();
        pending.Enqueue(document);
        while (pending.Count > 0)
        {
            foreach (string key in pending.Dequeue().Refers)
            {
                if (seen.Add(key) && byKey.TryGetValue(key, out Source? next))
                {
                    reached.Add(new ReferencedFile(next.Path, next.Text));
                    pending.Enqueue(next);
                }
            }
        }

        return reached.ToEquatableArray();
    }

    private static OperationScope Scope(AnalyzerConfigOptions options)
    {
        options.TryGetValue(IncludeTagsMetadata, out string? includeTags);
        options.TryGetValue(ExcludeTagsMetadata, out string? excludeTags);
        options.TryGetValue(IncludeOperationsMetadata, out string? includeOperations);
        options.TryGetValue(ExcludeOperationsMetadata, out string? excludeOperations);
        options.TryGetValue(ClientPerTagMetadata, out string? clientPerTag);
        return new OperationScope(
            OperationScope.List(includeTags),
            OperationScope.List(excludeTags),
            OperationScope.List(includeOperations),
            OperationScope.List(excludeOperations),
            string.IsNullOrWhiteSpace(clientPerTag) ? null : clientPerTag!.Trim());
    }

    // MSBuild passes an item's metadata to generators only for the names a CompilerVisibleItemMetadata
    // declares, and then for every item, empty where unset: a name missing from the options was not
    // declared, and a value set for it on the item never arrives (BTN0012 says so).
    private static string? HiddenMetadata(AnalyzerConfigOptions options)
    {
        string? hidden = null;
        foreach (string key in s_metadata)
        {
            if (!options.TryGetValue(key, out _))
            {
                string name = key.Substring(MetadataPrefix.Length);
                hidden = hidden is null ? name : hidden + "," + name;
            }
        }

        return hidden;
    }
}
