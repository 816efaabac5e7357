using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// What each kind of edit re-runs: an unrelated C# edit nothing, a YAML comment the parse but not
/// the emit, a real spec change everything. Each step's outputs hold no Roslyn symbols or compilations.
/// </summary>
public sealed class IncrementalTests
{
    private static readonly string s_spec = GeneratorHarness.ReadSeedSpec();

    private static readonly string[] s_ourSteps = [TrackingNames.Inputs, TrackingNames.Parse, TrackingNames.Shape, TrackingNames.Model, TrackingNames.Diagnostics];

    private static (GeneratorDriver Driver, Compilation Compilation, AdditionalText Text) FirstRun(string spec)
    {
        var text = new GeneratorHarness.InMemoryText(GeneratorHarness.DefaultPath, spec);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(text);
        Compilation compilation = GeneratorHarness.CreateCompilation("class Unrelated { }");
        return (driver.RunGenerators(compilation), compilation, text);
    }

    private static Dictionary<string, IncrementalStepRunReason[]> Reasons(GeneratorRunResult result)
        => result.TrackedSteps.ToDictionary(
            step => step.Key,
            step => step.Value.SelectMany(run => run.Outputs).Select(output => output.Reason).ToArray());

    [Fact]
    public void UnrelatedCSharpEdit_EveryStepCached()
    {
        (GeneratorDriver driver, Compilation compilation, _) = FirstRun(s_spec);
        Compilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class AnotherUnrelated { }"));

        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in s_ourSteps)
        {
            Assert.All(Reasons(result)[step], reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void YamlComment_WithoutDiagnostics_ReParsesButShapesTheSame()
    {
        (GeneratorDriver driver, Compilation compilation, AdditionalText text) = FirstRun(s_spec);
        GeneratorDriver edited = driver.ReplaceAdditionalText(text, new GeneratorHarness.InMemoryText(GeneratorHarness.DefaultPath, "# a comment that moves every line\n" + s_spec));

        GeneratorRunResult result = edited.RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(result)[TrackingNames.Inputs]);

        // The document model keeps positions (for diagnostics); the shapes do not.
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(result)[TrackingNames.Parse]);
        Assert.Equal([IncrementalStepRunReason.Unchanged], Reasons(result)[TrackingNames.Shape]);
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(result)[TrackingNames.Model]);
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void YamlComment_MovesDiagnosticsButDoesNotReEmit()
    {
        // A name collision warning carries a position; the model does not.
        const string Spec = """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths: {}
            components:
              schemas:
                A:
                  type: object
                  properties:
                    foo_bar: {type: string}
                    fooBar: {type: string}
            """;
        (GeneratorDriver driver, Compilation compilation, AdditionalText text) = FirstRun(Spec);
        GeneratorDriver edited = driver.ReplaceAdditionalText(text, new GeneratorHarness.InMemoryText(GeneratorHarness.DefaultPath, "# moved\n" + Spec));

        GeneratorDriverRunResult run = edited.RunGenerators(compilation).GetRunResult();
        GeneratorRunResult result = run.Results.Single();
        Dictionary<string, IncrementalStepRunReason[]> reasons = Reasons(result);

        Assert.Equal([IncrementalStepRunReason.Modified], reasons[TrackingNames.Parse]);
        Assert.Equal([IncrementalStepRunReason.Modified], reasons[TrackingNames.Shape]);
        Assert.Equal([IncrementalStepRunReason.Unchanged], reasons[TrackingNames.Model]);
        Assert.Equal([IncrementalStepRunReason.Modified], reasons[TrackingNames.Diagnostics]);
        Assert.Equal(11, run.Diagnostics.Single().Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Fact]
    public void SpecChange_ReEmits()
    {
        (GeneratorDriver driver, Compilation compilation, AdditionalText text) = FirstRun(s_spec);
        string changed = s_spec.Replace("description: Name of the environment", "description: The environment's name", StringComparison.Ordinal);
        GeneratorDriver edited = driver.ReplaceAdditionalText(text, new GeneratorHarness.InMemoryText(GeneratorHarness.DefaultPath, changed));

        GeneratorRunResult result = edited.RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(result)[TrackingNames.Model]);
        Assert.Contains(result.GeneratedSources, s => s.SourceText.ToString().Contains("The environment's name", StringComparison.Ordinal));
    }

    [Fact]
    public void OneSchemaEdit_ReEmitsThatSchemasFiles_AndNoOther()
    {
        (GeneratorDriver driver, Compilation compilation, AdditionalText text) = FirstRun(s_spec);
        string changed = s_spec.Replace("description: An instance type.", "description: A kind of machine.", StringComparison.Ordinal);
        Assert.NotEqual(s_spec, changed);
        GeneratorDriver edited = driver.ReplaceAdditionalText(text, new GeneratorHarness.InMemoryText(GeneratorHarness.DefaultPath, changed));

        GeneratorRunResult result = edited.RunGenerators(compilation).GetRunResult().Results.Single();

        // Per file: the model's class shows the new text and its metadata holds the model; the other 42 files (the client and its interface among them) did not change.
        var files = result.TrackedSteps[TrackingNames.Files].SelectMany(run => run.Outputs)
            .Select(output => (Unit: (Baseten.Aot.Generator.Emitting.EmitUnit)output.Value, output.Reason))
            .ToList();
        var rerun = files.Where(f => f.Reason != IncrementalStepRunReason.Unchanged && f.Reason != IncrementalStepRunReason.Cached).Select(f => f.Unit.HintName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(44, files.Count);
        Assert.Equal(["Generated.InstanceTypeV1.g.cs", "Generated.TestJsonContext.InstanceTypeV1.g.cs"], rerun);
    }

    [Fact]
    public void PipelineValues_HoldNoSymbolsOrCompilations()
    {
        (GeneratorDriver driver, _, _) = FirstRun(s_spec);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);

        foreach (IncrementalGeneratorRunStep step in s_ourSteps.SelectMany(name => result.TrackedSteps[name]))
        {
            foreach ((object value, _) in step.Outputs)
            {
                AssertNoRoslynObjects(value, step.Name ?? "?", visited);
            }
        }

        Assert.NotEmpty(visited);
    }

    private static void AssertNoRoslynObjects(object? value, string step, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !visited.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or Compilation or SyntaxNode or Location or SemanticModel, $"step {step} holds a {value.GetType().Name}");
        Assert.False(value is Array, $"step {step} holds a plain array ({value.GetType().Name}): use EquatableArray");
        if (value is Microsoft.CodeAnalysis.DiagnosticDescriptor || value is Microsoft.CodeAnalysis.Text.TextSpan || value is Microsoft.CodeAnalysis.Text.LinePositionSpan)
        {
            return;
        }

        if (value is IEnumerable sequence && value.GetType().Namespace?.StartsWith("Baseten", StringComparison.Ordinal) == true)
        {
            foreach (object? item in sequence)
            {
                AssertNoRoslynObjects(item, step, visited);
            }

            return;
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.FieldType.IsArray && field.DeclaringType?.Name.StartsWith("EquatableArray", StringComparison.Ordinal) == true)
            {
                continue;
            }

            AssertNoRoslynObjects(field.GetValue(value), step, visited);
        }
    }
}
