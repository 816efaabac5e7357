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
}
