using System.Linq;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// Every generated client implements a generated interface, <c>I</c> + its name, that declares each
/// operation and walker with the documentation (the client's members inherit it). The interface's
/// name is claimed before the schemas' names, as the client's and the context's are: a schema with
/// that name is renamed, never the interface.
/// </summary>
public sealed class ClientInterfaceTests
{
    private const string Spec = """
        openapi: 3.1.0
        info: { title: Shop, version: '1' }
        paths:
          /products:
            get:
              operationId: listProducts
              summary: Lists the products.
              parameters:
                - { name: cursor, in: query, schema: { type: string } }
              responses:
                '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Page' } } } }
          /legacy:
            get:
              operationId: getLegacy
              deprecated: true
              responses:
                '204': { description: gone }
        components:
          schemas:
            IShopClient:
              type: object
              properties:
                id: { type: string }
            Page:
              type: object
              properties:
                items: { type: array, items: { $ref: '#/components/schemas/IShopClient' } }
                next_cursor: { type: string }
        """;

    [Fact]
    public void TheClient_ImplementsItsInterface_WithEveryOperationAndWalker_AndASchemaOfThatNameIsRenamed()
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(Spec, "ShopClient", "Shop");

        // The one diagnostic says the schema was renamed (BTN0005, a warning).
        Diagnostic renaming = Assert.Single(run.Diagnostics);
        Assert.Equal("BTN0005", renaming.Id);
        Assert.Contains("'IShopClient2'", renaming.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        INamedTypeSymbol contract = output.GetTypeByMetadataName("Shop.IShopClient")!;
        INamedTypeSymbol client = output.GetTypeByMetadataName("Shop.ShopClient")!;
        Assert.Equal(TypeKind.Interface, contract.TypeKind);
        Assert.Contains(contract, client.AllInterfaces, SymbolEqualityComparer.Default);
        Assert.Equal(["GetLegacyAsync", "ListProductsAsync", "ListProductsAutoPagingAsync"], contract.GetMembers().Select(m => m.Name).Order());

        // The schema steps aside: the page's items are IShopClient2.
        INamedTypeSymbol renamed = output.GetTypeByMetadataName("Shop.IShopClient2")!;
        Assert.Equal(TypeKind.Class, renamed.TypeKind);

        foreach (IMethodSymbol member in contract.GetMembers().OfType<IMethodSymbol>())
        {
            // The documentation lives on the interface; the client's member inherits it.
            Assert.Contains("/// <summary>", Doc(member), System.StringComparison.Ordinal);
            ISymbol implementation = client.FindImplementationForInterfaceMember(member)!;
            Assert.Equal(member.Name, implementation.Name);
            Assert.Equal("/// <inheritdoc/>", Doc(implementation).Trim());
            Assert.Equal(member.Name == "GetLegacyAsync", member.GetAttributes().Any(a => a.AttributeClass?.Name == "ObsoleteAttribute"));
        }
    }

    private static string Doc(ISymbol symbol) => symbol.DeclaringSyntaxReferences.Single().GetSyntax().GetLeadingTrivia().ToFullString();
}
