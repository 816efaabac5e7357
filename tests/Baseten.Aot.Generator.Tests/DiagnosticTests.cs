using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Baseten.Aot.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>One test per descriptor: each names its id, its severity and the line it points at.</summary>
public sealed class DiagnosticTests
{
    private const string Header = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n";

    private static Diagnostic Single(string spec, string id, string clientName = "TestClient", string ns = "Generated")
    {
        (GeneratorDriverRunResult run, _) = GeneratorHarness.Run(spec, clientName, ns);
        Assert.Null(run.Results.Single().Exception);
        Diagnostic[] matching = run.Diagnostics.Where(d => d.Id == id).ToArray();
        Assert.True(matching.Length == 1, $"expected one {id}, got: {string.Join(" | ", run.Diagnostics)}");
        Assert.Equal(GeneratorHarness.DefaultPath, matching[0].Location.GetLineSpan().Path);
        return matching[0];
    }

    private static int Line(Diagnostic diagnostic) => diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1;

    [Fact]
    public void BTN0001_InvalidYaml_PointsAtTheBrokenLine()
    {
        Diagnostic d = Single(Header + "paths:\n  /a: {get: [unclosed\n", "BTN0001");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.InRange(Line(d), 4, 5);
    }

    [Fact]
    public void BTN0001_TabIndentation_PointsNearTheTab()
    {
        // YamlDotNet reports this one without a position of its own.
        Diagnostic d = Single(Header + "paths:\n  /a:\n    get:\n      responses:\n\t'200': {description: ok}\n", "BTN0001");
        Assert.Contains("tab", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        Assert.InRange(Line(d), 6, 7);
    }

    [Fact]
    public void BTN0001_UnclosedFlowMapping_SaysWhatToLookFor()
    {
        Diagnostic d = Single(Header + "paths:\n  /a:\n    get: {responses: {'200': {description: ok}}\ncomponents: {}\n", "BTN0001");
        Assert.InRange(Line(d), 4, 6);
        Assert.DoesNotContain("generator failed", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        Assert.Contains("unclosed '{'", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(":\n[a%%`%*~'@:?`0@'`&1\"'>\">\n'1@[\tbb*\t`\"\"\ta?a%~#|!,&'&#%|!#~1{,[!*}]:~>b2#*][")]
    [InlineData("%TAG ! %\n--- !a b\n")]
    public void BTN0001_InputThatTripsYamlDotNet_IsASyntaxError(string text)
    {
        // Found by RobustnessTests: YamlDotNet throws InvalidOperationException or ArgumentException on these.
        Diagnostic d = Single(text, "BTN0001");
        Assert.DoesNotContain("generator failed", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public void BTN0002_Swagger2_IsRefusedWithAConversionHint()
    {
        Diagnostic d = Single("swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n", "BTN0002");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("Swagger 2.0", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public void BTN0002_UnsupportedVersion_PointsAtTheVersion()
    {
        Diagnostic d = Single("info: {title: T}\nopenapi: 4.0.0\npaths: {}\n", "BTN0002");
        Assert.Equal(2, Line(d));
        Assert.Contains("4.0.0", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public void BTN0003_MissingRef_PointsAtTheRef()
    {
        string spec = Header + """
            paths: {}
            components:
              schemas:
                A:
                  type: object
                  properties:
                    b:
                      $ref: '#/components/schemas/Missing'
            """;
        Diagnostic d = Single(spec, "BTN0003");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(10, Line(d));
        Assert.Contains("#/components/schemas/Missing", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public void BTN0004_AllOfWithAUnionPart_WarnsAndKeepsTheOtherParts()
    {
        string spec = Header + """
            paths: {}
            components:
              schemas:
                B: {type: object, properties: {x: {type: string}}}
                A:
                  allOf:
                    - $ref: '#/components/schemas/B'
                    - anyOf: [{type: string}, {type: integer}]
            """;
        Diagnostic d = Single(spec, "BTN0004");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(8, Line(d));
        (_, Compilation output) = GeneratorHarness.Run(spec);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Equal("string?", output.GetTypeByMetadataName("Generated.A")!.GetMembers("X").OfType<IPropertySymbol>().Single().Type.ToDisplayString());
    }

    [Fact]
    public void BTN0011_DiscriminatorOverInlineAlternatives_IsReadByShapeInstead()
    {
        string spec = Header + """
            paths: {}
            components:
              schemas:
                A:
                  type: object
                  properties:
                    pet:
                      oneOf:
                        - {type: object, required: [meow], properties: {kind: {const: cat}, meow: {type: boolean}}}
                        - {type: object, required: [bark], properties: {kind: {const: dog}, bark: {type: boolean}}}
                      discriminator: {propertyName: kind}
            """;
        Diagnostic d = Single(spec, "BTN0011");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(10, Line(d));
        (_, Compilation output) = GeneratorHarness.Run(spec);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        INamedTypeSymbol union = output.GetTypeByMetadataName("Generated.APet")!;
        Assert.NotEmpty(union.GetMembers("IsCat"));
        Assert.NotEmpty(union.GetMembers("Dog"));
    }

    [Fact]
    public void BTN0005_TwoWireNamesForOnePropertyName_SecondGetsASuffix()
    {
        string spec = Header + """
            paths: {}
            components:
              schemas:
                A:
                  type: object
                  properties:
                    foo_bar: {type: string}
                    fooBar: {type: integer}
            """;
        Diagnostic d = Single(spec, "BTN0005");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(10, Line(d));
        (_, Compilation output) = GeneratorHarness.Run(spec);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.NotEmpty(output.GetTypeByMetadataName("Generated.A")!.GetMembers("FooBar2"));
    }

    [Theory]
    [InlineData("1Client", "Generated", "BasetenClientName")]
    [InlineData("Client", "Bad Namespace", "BasetenNamespace")]
    [InlineData("Client", "class.Foo", "BasetenNamespace")]
    public void BTN0006_InvalidOption_NamesTheMetadata(string clientName, string ns, string metadata)
    {
        Diagnostic d = Single(Header + "paths: {}\n", "BTN0006", clientName, ns);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains(metadata, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public void BTN0007_DeepNesting_IsRefusedWithoutOverflowingTheStack()
    {
        string deep = new string('[', 100_000) + new string(']', 100_000);
        Diagnostic d = Single(Header + "paths: {}\nx-deep: " + deep + "\n", "BTN0007");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(4, Line(d));
    }

    [Fact]
    public void BTN0007_BillionLaughs_IsRefusedQuickly()
    {
        var spec = new System.Text.StringBuilder(Header + "paths: {}\nx-bomb:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 12; i++)
        {
            spec.Append(System.Globalization.CultureInfo.InvariantCulture, $"  a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        Diagnostic d = Single(spec.ToString(), "BTN0007");
        Assert.Contains("aliases", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public void BTN0008_MultipartBodyWithoutMembers_SkipsTheOperationWithAWarning()
    {
        string spec = Header + """
            paths:
              /upload:
                post:
                  operationId: upload
                  requestBody:
                    required: true
                    content:
                      multipart/form-data:
                        schema: {type: object}
                  responses:
                    '204': {description: ok}
              /ping:
                get:
                  operationId: ping
                  responses:
                    '204': {description: ok}
            """;
        Diagnostic d = Single(spec, "BTN0008");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(5, Line(d));
        Assert.Contains("is not an object with properties", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        (_, Compilation output) = GeneratorHarness.Run(spec);
        INamedTypeSymbol client = output.GetTypeByMetadataName("Generated.TestClient")!;
        Assert.Empty(client.GetMembers("UploadAsync"));
        Assert.NotEmpty(client.GetMembers("PingAsync"));
    }

    [Fact]
    public void BTN0009_PropertiesAsAList_PointsAtTheList()
    {
        string spec = Header + """
            paths: {}
            components:
              schemas:
                A:
                  type: object
                  required: [a]
                  properties: [a, b]
            """;
        Diagnostic d = Single(spec, "BTN0009");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(9, Line(d));
        Assert.Contains("A.properties", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public void BTN0009_DuplicateKey_PointsAtTheSecondKey()
    {
        Diagnostic d = Single(Header + "paths: {}\ncomponents:\n  schemas:\n    A: {type: string}\n    A: {type: integer}\n", "BTN0009");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(7, Line(d));
    }

    [Fact]
    public void BTN0012_MetadataThatMsBuildDoesNotPass_IsNamed_AndTheClientIsStillGenerated()
    {
        // A project that declares only the two names visible (as the README once showed) and sets
        // BasetenCredentialVariable on the item: MSBuild never passes it, so say so at build time.
        var twoNames = new Dictionary<string, string>
        {
            ["build_metadata.AdditionalFiles.BasetenClientName"] = "TestClient",
            ["build_metadata.AdditionalFiles.BasetenNamespace"] = "Generated",
        };
        GeneratorDriver driver = GeneratorHarness.CreateDriver((new GeneratorHarness.InMemoryText(GeneratorHarness.DefaultPath, Header + "paths: {}\n"), twoNames));
        driver = driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.CreateCompilation(), out Compilation output, out _);

        Diagnostic[] hidden = driver.GetRunResult().Diagnostics.Where(d => d.Id == "BTN0012").ToArray();
        Assert.Equal(7, hidden.Length); // the two above and the five scope names (BasetenIncludeTags, ...)
        Assert.All(hidden, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        string[] messages = hidden.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Contains(messages, m => m.Contains("BasetenCredentialVariable is not passed", System.StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("BasetenOptionsConstructors is not passed", System.StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Baseten.Aot.Generator.props", System.StringComparison.Ordinal));
        Assert.NotNull(output.GetTypeByMetadataName("Generated.TestClient"));
    }

    [Fact]
    public void BTN0012_IsNotReported_WhenEveryNameIsPassed_EvenEmpty()
    {
        (GeneratorDriverRunResult run, _) = GeneratorHarness.Run(Header + "paths: {}\n");
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "BTN0012");
    }

    [Fact]
    public void NoOptIn_FileIsIgnored()
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver((new GeneratorHarness.InMemoryText("/x.yaml", "not: [valid"), GeneratorHarness.Options(null, null)));
        GeneratorDriverRunResult run = driver.RunGenerators(GeneratorHarness.CreateCompilation()).GetRunResult();
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.GeneratedTrees);
    }

    [Fact]
    public void EveryDescriptor_HelpLinkOpensItsOwnSectionOfTheDiagnosticsPage()
    {
        DiagnosticDescriptor[] descriptors = typeof(DiagnosticDescriptors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
            .ToArray();
        string page = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryRoot, "docs", "diagnostics.md"));
        string[] sections = Regex.Matches(page, @"^## (BTN\d{4})$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToArray();

        Assert.Equal(descriptors.Select(d => d.Id).Order(System.StringComparer.Ordinal), sections);
        Assert.All(descriptors, d => Assert.Equal(DiagnosticDescriptors.HelpLinkBase + d.Id.ToLowerInvariant(), d.HelpLinkUri));
    }
}
