using System.Globalization;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Emitting;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing;
using Baseten.Aot.Generator.Parsing.Document;
using Baseten.Aot.Generator.Shaping;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Baseten.Aot.Generator.Tests;

// A failure of the generator itself is not a file that is not valid YAML (BTN0001): it has an id of
// its own that says whose fault it is, and it points at the file it was generating from. Each step
// (read, shape, write) gets a state the step before it never hands over, which makes it throw as a bug would.
public sealed class GeneratorFailureTests
{
    private const string BrokenPath = "/specs/broken.openapi.yaml";

    [Fact]
    public void AnExceptionInTheGenerator_IsBTN0013_ABugOfTheGenerator_AtTheFile()
    {
        // No text at all is a state MSBuild never passes: it makes the reader throw, as a bug would.
        var file = new OpenApiFile(BrokenPath, null!, "BrokenClient", "Broken");

        ParseResult result = OpenApiParser.Parse(file);

        DiagnosticInfo diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("BTN0013", diagnostic.Descriptor.Id);
        Assert.Contains("bug in the generator", diagnostic.ToDiagnostic().GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        Assert.Equal(BrokenPath, diagnostic.ToDiagnostic().Location.GetLineSpan().Path);
        Assert.Null(result.Document);
    }

    [Fact]
    public void AnExceptionWhileShaping_IsBTN0013_AtTheFile_AndNothingIsEmitted()
    {
        // A schema entry without its schema is a document the parser never produces.
        var document = new OpenApiDocument(
            BrokenPath, "BrokenClient", "Broken", "3.0.3", "Broken",
            EquatableArray<ServerObject>.Empty,
            new EquatableArray<NamedSchema>([new NamedSchema("Pet", default, null!)]),
            EquatableArray<OperationObject>.Empty,
            EquatableArray<SecuritySchemeObject>.Empty,
            EquatableArray<string>.Empty,
            CredentialVariable: null,
            OptionsConstructors: true);

        ShapeResult result = Shaper.Shape(new ParseResult(document, EquatableArray<DiagnosticInfo>.Empty));

        AssertBugAtTheFile(Assert.Single(result.Diagnostics), "failed to shape this file (NullReferenceException: ");
        Assert.Null(result.Spec);
    }

    [Fact]
    public void AnExceptionWhileEmitting_IsBTN0013_AtTheFile_NamingTheGeneratedFile()
    {
        // A model's file whose slice holds no model is a unit EmitPlan never makes.
        var slice = new ApiSpec(
            "Broken", "BrokenClient", "BrokenClientJsonContext", "Broken", null,
            EquatableArray<ModelSpec>.Empty,
            EquatableArray<EnumSpec>.Empty,
            EquatableArray<UnionSpec>.Empty,
            EquatableArray<OperationSpec>.Empty,
            EquatableArray<JsonTypeSpec>.Empty);
        var unit = new EmitUnit("Broken.Pet.g.cs", EmitKind.Model, slice, "Pet", BrokenPath);

        bool emitted = unit.TryEmit(out string source, out DiagnosticInfo? failure);

        Assert.False(emitted);
        Assert.Empty(source);
        Assert.NotNull(failure);
        AssertBugAtTheFile(failure, "failed to write Broken.Pet.g.cs from this file (IndexOutOfRangeException: ");
    }

    [Fact]
    public void AnExceptionWhileSplittingIntoFiles_IsBTN0013_AtTheFile_AndNothingIsWritten()
    {
        // Two models of one name is a model Shaping never hands over (it claims every name once).
        var pet = new ModelSpec("Pet", new DocSpec(null, null, null, EquatableArray<string>.Empty, false), EquatableArray<PropertySpec>.Empty);
        var spec = new ApiSpec(
            "Broken", "BrokenClient", "BrokenClientJsonContext", "Broken", null,
            new EquatableArray<ModelSpec>([pet, pet with { Doc = pet.Doc with { Summary = "again" } }]),
            EquatableArray<EnumSpec>.Empty,
            EquatableArray<UnionSpec>.Empty,
            EquatableArray<OperationSpec>.Empty,
            EquatableArray<JsonTypeSpec>.Empty);

        EmitUnit unit = Assert.Single(EmitPlan.Of(spec, BrokenPath));
        bool emitted = unit.TryEmit(out string source, out DiagnosticInfo? failure);

        Assert.False(emitted);
        Assert.Empty(source);
        Assert.NotNull(failure);
        AssertBugAtTheFile(failure, "failed to plan the generated files of this file (ArgumentException: ");
    }

    private static void AssertBugAtTheFile(DiagnosticInfo info, string expectedPart)
    {
        Diagnostic diagnostic = info.ToDiagnostic();
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.Equal("BTN0013", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.StartsWith("Baseten.Aot.Generator " + expectedPart, message, System.StringComparison.Ordinal);
        Assert.EndsWith("This is a bug in the generator, not in the file: please report it, with the file attached.", message, System.StringComparison.Ordinal);

        // At the file itself: its path, at its start.
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        Assert.Equal(BrokenPath, span.Path);
        Assert.Equal(default, span.StartLinePosition);
        Assert.Equal(0, diagnostic.Location.SourceSpan.Length);
    }
}
