using System.Collections.Immutable;
using System.IO;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Emitting;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Baseten.Aot.Generator;

/// <summary>
/// Generates models, a JSON serializer context and a client from every OpenAPI file passed as
/// <c>&lt;AdditionalFiles Include="x.yaml" BasetenClientName="PetsClient" BasetenNamespace="Pets" /&gt;</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class OpenApiClientGenerator : IIncrementalGenerator
{
    private const string ClientNameMetadata = "build_metadata.AdditionalFiles.BasetenClientName";
    private const string NamespaceMetadata = "build_metadata.AdditionalFiles.BasetenNamespace";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<OpenApiFile> files = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) =>
            {
                AnalyzerConfigOptions options = pair.Right.GetOptions(pair.Left);
                options.TryGetValue(ClientNameMetadata, out string? clientName);
                options.TryGetValue(NamespaceMetadata, out string? ns);
                if (string.IsNullOrWhiteSpace(clientName) && string.IsNullOrWhiteSpace(ns))
                {
                    return null;
                }

                SourceText? text = pair.Left.GetText(cancellationToken);
                return new OpenApiFile(pair.Left.Path, text?.ToString() ?? string.Empty, clientName?.Trim(), ns?.Trim());
            })
            .Where(static file => file is not null)
            .Select(static (file, _) => file!)
            .WithTrackingName(TrackingNames.Files);

        IncrementalValuesProvider<ParseResult> parsed = files
            .Select(static (file, cancellationToken) => OpenApiParser.Parse(file, cancellationToken))
            .WithTrackingName(TrackingNames.Parse);

        IncrementalValuesProvider<ApiSpec> models = parsed
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!)
            .WithTrackingName(TrackingNames.Model);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(diagnostics, static (output, items) =>
        {
            foreach (DiagnosticInfo item in items)
            {
                output.ReportDiagnostic(item.ToDiagnostic());
            }
        });

        context.RegisterSourceOutput(models, static (output, spec) => Emit(output, spec));
    }

    private static void Emit(SourceProductionContext output, ApiSpec spec)
    {
        string prefix = spec.Namespace + ".";
        foreach (ModelSpec model in spec.Models)
        {
            output.AddSource(prefix + model.Name + ".g.cs", ModelEmitter.EmitModel(spec, model));
        }

        foreach (EnumSpec enumSpec in spec.Enums)
        {
            output.AddSource(prefix + enumSpec.Name + ".g.cs", ModelEmitter.EmitEnum(spec, enumSpec));
        }

        output.AddSource(prefix + spec.ContextName + ".g.cs", JsonContextEmitter.Emit(spec));
        output.AddSource(prefix + spec.ClientName + ".g.cs", ClientEmitter.Emit(spec));
    }
}
