using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// Baseten's live management document (../shared/baseten, read in place, never copied into the
/// repository) through the generator: every operation, every union typed, no warning, and output
/// that compiles with warnings as errors.
/// </summary>
public sealed class LiveDocumentTests
{
    public static string ManagementDocumentPath => Path.GetFullPath(Path.Combine(GeneratorHarness.RepositoryRoot, "..", "shared", "baseten", "management.openapi.json"));

    private static readonly Lazy<(GeneratorDriverRunResult Run, Compilation Output)> s_management = new(() =>
        GeneratorHarness.Run(File.ReadAllText(ManagementDocumentPath), "BasetenManagementClient", "Baseten.Management", ManagementDocumentPath));

    [Fact]
    public void ManagementDocument_NoDiagnostics_AndTheOutputCompiles()
    {
        (GeneratorDriverRunResult run, Compilation output) = s_management.Value;

        Assert.True(run.Diagnostics.IsEmpty, string.Join("\n", run.Diagnostics.Take(40)));
        Assert.True(GeneratorHarness.WarningsAndErrors(output).Count == 0, string.Join("\n", GeneratorHarness.WarningsAndErrors(output).Take(40)));
    }

    [Theory]
    [InlineData("AuditLogEntryV1", "EventData", "Baseten.Management.AuditLogEntryV1EventData")]
    [InlineData("CreateModelRequestV1", "Source", "Baseten.Management.CreateModelRequestV1Source")]
    [InlineData("CreateDeploymentPatchRequestV1", "PatchOps", "System.Collections.Generic.IReadOnlyList<Baseten.Management.CreateDeploymentPatchRequestV1PatchOpsItem>")]
    [InlineData("LoadCheckpointConfig", "Checkpoints", "System.Collections.Generic.IReadOnlyList<Baseten.Management.LoadCheckpointConfigCheckpointsItem>?")]
    [InlineData("DailyDedicatedUsageV1", "Subtotal", "Baseten.Management.NumberOrString")]
    [InlineData("ModelAPIV1", "CostPerMillionInputTokens", "Baseten.Management.NumberOrString?")]
    [InlineData("EnvironmentAutoscalingSchedulesV1", "Schedules", "System.Collections.Generic.IReadOnlyList<Baseten.Management.AutoscalingScheduleV1OrOneTimeAutoscalingScheduleV1>")]
    public void ManagementDocument_EveryUnionIsTyped(string model, string property, string expected)
    {
        (_, Compilation output) = s_management.Value;

        INamedTypeSymbol type = output.GetTypeByMetadataName("Baseten.Management." + model)!;
        IPropertySymbol member = type.GetMembers(property).OfType<IPropertySymbol>().Single();
        Assert.Equal(expected, member.Type.ToDisplayString());
    }

    [Fact]
    public void ManagementDocument_NoPropertyIsJsonElementUnlessItsSchemaIsFreeForm()
    {
        (_, Compilation output) = s_management.Value;

        // Every JsonElement property of the live document is one whose schema says nothing of its
        // shape (an object with no properties, or no type at all): none is a union left untyped.
        var untyped = output.SyntaxTrees
            .SelectMany(tree =>
            {
                SemanticModel model = output.GetSemanticModel(tree);
                return tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax>()
                    .Select(declaration => (IPropertySymbol)model.GetDeclaredSymbol(declaration)!);
            })
            .Where(p => p.ContainingNamespace.ToDisplayString() == "Baseten.Management" && p.Type.ToDisplayString().StartsWith("System.Text.Json.JsonElement", StringComparison.Ordinal))
            .Select(p => p.ContainingType.Name + "." + p.Name)
            .ToList();
        string document = File.ReadAllText(ManagementDocumentPath);

        Assert.NotEmpty(untyped);
        Assert.DoesNotContain(untyped, name => IsUnion(document, name));
    }

    // Whether the live document's schema for Model.Property (by its wire name's PascalCase) is a union of several non-null types.
    private static bool IsUnion(string document, string name)
    {
        using var json = System.Text.Json.JsonDocument.Parse(document);
        string[] parts = name.Split('.');
        if (!json.RootElement.GetProperty("components").GetProperty("schemas").TryGetProperty(parts[0], out var schema)
            || !schema.TryGetProperty("properties", out var properties))
        {
            return false;
        }

        foreach (var property in properties.EnumerateObject())
        {
            if (string.Concat(property.Name.Split('_').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w.Substring(1))) != parts[1])
            {
                continue;
            }

            foreach (string keyword in new[] { "anyOf", "oneOf" })
            {
                if (property.Value.TryGetProperty(keyword, out var alternatives)
                    && alternatives.EnumerateArray().Count(a => !(a.TryGetProperty("type", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String && t.GetString() == "null")) > 1)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
