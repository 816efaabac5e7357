using System.Linq;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// The harder shapes of a base schema with a discriminator (the common ones are in the Inheritance
/// baseline and tests/Baseten.Aot.Tests/Inheritance): a base that keeps unknown members, a variant
/// that re-declares a base member and has clearable members of its own, a discriminator declared only
/// as required, a base whose member refers to its variants before they are built, and a union of the
/// variants by another property. Each compiles without a warning and derives as documented.
/// </summary>
public sealed class InheritanceShapeTests
{
    private const string Spec = """
        openapi: 3.0.3
        info: { title: Zoo, version: '1' }
        servers: [{ url: 'https://zoo.example.com' }]
        paths:
          /animals:
            post:
              operationId: addAnimal
              requestBody: { required: true, content: { application/json: { schema: { $ref: '#/components/schemas/Animal' } } } }
              responses:
                '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Animal' } } } }
          /either:
            post:
              operationId: either
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      oneOf: [{ $ref: '#/components/schemas/Lion' }, { $ref: '#/components/schemas/Seal' }]
                      discriminator: { propertyName: habitat }
              responses:
                '204': { description: ok }
        components:
          schemas:
            Animal:
              type: object
              additionalProperties: true
              required: [kind, name]
              properties:
                name: { type: string }
                tag: { type: string, nullable: true }
                best_friend: { oneOf: [{ $ref: '#/components/schemas/Lion' }, { $ref: '#/components/schemas/Seal' }] }
              discriminator: { propertyName: kind }
            Lion:
              allOf:
                - $ref: '#/components/schemas/Animal'
                - type: object
                  required: [name]
                  properties:
                    name: { type: string, description: re-declared }
                    mane: { type: string, nullable: true }
                    habitat: { type: string }
            Seal:
              allOf:
                - $ref: '#/components/schemas/Animal'
                - type: object
                  properties:
                    habitat: { type: string }
        """;

    [Fact]
    public void HarderShapes_Derive_AndCompileWithoutWarnings()
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(Spec, "ZooClient", "Zoo");

        // The union by habitat cannot use its discriminator: its variants already derive from Animal.
        Assert.Equal(["BTN0011"], run.Diagnostics.Select(d => d.Id).ToArray());
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));

        INamedTypeSymbol animal = output.GetTypeByMetadataName("Zoo.Animal")!;
        INamedTypeSymbol lion = output.GetTypeByMetadataName("Zoo.Lion")!;
        Assert.False(animal.IsSealed);
        Assert.True(lion.IsSealed);
        Assert.Equal(animal, lion.BaseType, SymbolEqualityComparer.Default);
        Assert.Equal(animal, output.GetTypeByMetadataName("Zoo.Seal")!.BaseType, SymbolEqualityComparer.Default);

        // Declared once, on the base: the discriminator (only in `required` there), the re-declared name, the kept members.
        IPropertySymbol kind = animal.GetMembers("Kind").OfType<IPropertySymbol>().Single();
        Assert.True(kind.IsReadOnly);
        Assert.Single(animal.GetMembers("AdditionalProperties"));
        Assert.Empty(lion.GetMembers("Name"));
        Assert.Empty(lion.GetMembers("AdditionalProperties"));
        Assert.Single(lion.GetMembers("Mane"));

        // Each class names the members it writes, the inherited ones included, hiding the base's list.
        IMethodSymbol lionDeclared = lion.GetMembers("DeclaredPropertyOf").OfType<IMethodSymbol>().Single();
        Assert.True(lionDeclared.IsStatic);
        string lionSource = string.Concat(run.GeneratedTrees.Where(t => t.FilePath.EndsWith("Zoo.Lion.g.cs", System.StringComparison.Ordinal)).Select(t => t.ToString()));
        Assert.Contains("internal static new string? DeclaredPropertyOf", lionSource, System.StringComparison.Ordinal);
        Assert.Contains("\"name\" => \"Name\",", lionSource, System.StringComparison.Ordinal);
        Assert.Contains("\"mane\" => \"Mane\",", lionSource, System.StringComparison.Ordinal);
    }
}
