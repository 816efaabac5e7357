using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// <c>additionalProperties: true</c> beside an object's properties: the model keeps the members the
/// document does not declare (a newer server's) in <c>AdditionalProperties</c>, read by the
/// generated reader and written back by the generated writer; without it, nothing changes.
/// </summary>
public sealed class KeptMembersTests
{
    // A document echoing the model Open, whose schema each test appends.
    private const string EchoOpen = """
        openapi: 3.1.0
        info: { title: Kept, version: '1' }
        servers: [{ url: 'https://kept.example.com' }]
        paths:
          /items:
            post:
              operationId: echoItem
              requestBody: { required: true, content: { application/json: { schema: { $ref: '#/components/schemas/Open' } } } }
              responses:
                '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Open' } } } }
        """;

    private const string Spec = EchoOpen + "\n" + """
          /closed:
            get:
              operationId: getClosed
              responses:
                '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Closed' } } } }
        components:
          schemas:
            Open:
              type: object
              additionalProperties: true
              required: [id]
              properties:
                id: { type: string }
                additional_properties: { type: integer }
            Closed:
              type: object
              properties:
                id: { type: string }
        """;

    [Fact]
    public void AModelWithAdditionalPropertiesTrue_KeepsUnknownMembers_AndCompilesWithoutWarnings()
    {
        (GeneratorDriverRunResult run, Compilation output) = Compile(Spec);

        INamedTypeSymbol open = output.GetTypeByMetadataName("Kept.Open")!;
        IPropertySymbol kept = open.GetMembers("AdditionalProperties").OfType<IPropertySymbol>().Single();
        Assert.Equal("System.Collections.Generic.IDictionary<string, System.Text.Json.JsonElement>?", kept.Type.ToDisplayString());
        Assert.Contains(kept.GetAttributes(), a => a.AttributeClass?.Name == "JsonExtensionDataAttribute");

        // The document's own additional_properties member steps aside for it.
        Assert.Single(open.GetMembers("AdditionalPropertiesValue"));

        string context = string.Concat(run.GeneratedTrees.Where(t => t.FilePath.Contains("KeptJsonContext", StringComparison.Ordinal)).Select(t => t.ToString()));
        Assert.Contains("(value.AdditionalProperties ??= new global::System.Collections.Generic.Dictionary<string, global::System.Text.Json.JsonElement>(global::System.StringComparer.Ordinal))[unknown!] = global::System.Text.Json.JsonElement.ParseValue(ref reader);", context, StringComparison.Ordinal);
        Assert.Contains("writer.WritePropertyName(kept.Key);", context, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelWithAdditionalPropertiesTrue_NamesTheWrittenMembers_SoThatAKeptOneThatRepeatsOneCanBeRefused()
    {
        const string WithReadOnly = EchoOpen + "\n" + """
            components:
              schemas:
                Open:
                  type: object
                  additionalProperties: true
                  properties:
                    id: { type: string, readOnly: true }
                    top_k: { type: integer }
                    declared_property_of: { type: string }
            """;
        (GeneratorDriverRunResult run, Compilation output) = Compile(WithReadOnly);

        INamedTypeSymbol open = output.GetTypeByMetadataName("Kept.Open")!;
        IMethodSymbol declared = open.GetMembers("DeclaredPropertyOf").OfType<IMethodSymbol>().Single();
        Assert.True(declared.IsStatic);
        Assert.Equal(Accessibility.Internal, declared.DeclaredAccessibility);

        // The document's own declared_property_of member steps aside for it, as additional_properties does.
        Assert.Single(open.GetMembers("DeclaredPropertyOfValue"));
        string model = string.Concat(run.GeneratedTrees.Where(t => t.FilePath.EndsWith("Kept.Open.g.cs", StringComparison.Ordinal)).Select(t => t.ToString()));
        Assert.Contains("\"top_k\" => \"TopK\",", model, StringComparison.Ordinal);
        Assert.Contains("\"declared_property_of\" => \"DeclaredPropertyOfValue\",", model, StringComparison.Ordinal);

        // A read-only member is never written: a kept member of its name repeats nothing.
        Assert.DoesNotContain("\"id\" =>", model, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelWithoutIt_IsAsBefore()
    {
        (GeneratorDriverRunResult run, Compilation output) = Compile(Spec);

        INamedTypeSymbol closed = output.GetTypeByMetadataName("Kept.Closed")!;
        Assert.Empty(closed.GetMembers("AdditionalProperties"));
        Assert.Empty(closed.GetMembers("DeclaredPropertyOf"));
        string reader = string.Concat(run.GeneratedTrees.Where(t => t.FilePath.EndsWith("KeptJsonContext.Closed.g.cs", StringComparison.Ordinal)).Select(t => t.ToString()));
        Assert.Contains("reader.Skip();", reader, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown", reader, StringComparison.Ordinal);
    }

    // Every document here generates cleanly: no diagnostic, and code that compiles without a warning.
    private static (GeneratorDriverRunResult Run, Compilation Output) Compile(string spec)
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(spec, "KeptClient", "Kept");
        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        return (run, output);
    }
}
