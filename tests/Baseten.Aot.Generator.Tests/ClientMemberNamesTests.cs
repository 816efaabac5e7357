using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Baseten.Aot.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// Every local, lambda parameter and local function a generated client's methods declare is one of
/// <see cref="ClientMemberNames.Locals"/>, which Shaping reserves against the operations' parameter
/// names; and each listed name is declared by some generated client. So a new local in the client
/// template cannot collide with a parameter of the same name unnoticed.
/// </summary>
public sealed class ClientMemberNamesTests
{
    private static readonly string s_baselines = Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "Baseten.Aot.Generator.Tests", "Baselines");

    // Documents whose clients use every part of the template: parameters of every style, bodies of
    // every kind, streams, each paging shape, and sub-clients.
    // Lists of enums and of uuids in the query: the template's element lambdas.
    private const string ListsInTheQuery = """
        openapi: 3.0.3
        info: { title: Lists, version: '1' }
        paths:
          /things:
            get:
              operationId: findThings
              parameters:
                - { name: colors, in: query, schema: { type: array, items: { type: string, enum: [red, blue] } } }
                - { name: ids, in: query, explode: false, schema: { type: array, items: { type: string, format: uuid } } }
              responses: { '204': { description: none } }
        """;

    public static TheoryData<string, string?> Documents() => new()
    {
        { nameof(ListsInTheQuery), null },
        { Path.Combine(s_baselines, "Parameters", "parameters.openapi.yaml"), null },
        { Path.Combine(s_baselines, "RequestBodies", "request-bodies.openapi.yaml"), null },
        { Path.Combine(s_baselines, "Responses", "responses.openapi.yaml"), null },
        { Path.Combine(s_baselines, "Streaming", "streaming.openapi.yaml"), null },
        { Path.Combine(s_baselines, "Pagination", "pagination.openapi.yaml"), null },
        { Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "Baseten.Aot.Tests", "Paging", "paging.openapi.yaml"), null },
        { Path.Combine(s_baselines, "Scoped", "zoo.openapi.yaml"), "true" },
        { Path.Combine(s_baselines, "Enums", "enums.openapi.yaml"), null },
        { Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "Baseten.Aot.Tests", "Shapes", "shapes.openapi.yaml"), null },
        { Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "Baseten.Aot.Tests", "Formats", "formats.openapi.yaml"), null },
        { Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "Baseten.Aot.Tests", "OpenApi32", "catalog.openapi.yaml"), null },
        { GeneratorHarness.SeedSpecPath, null },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryLocalOfAGeneratedClient_IsANameShapingReserves(string document, string? clientPerTag)
    {
        string[] declared = ClientLocals(document, clientPerTag).ToArray();

        Assert.NotEmpty(declared);
        Assert.Empty(declared.Except(ClientMemberNames.Locals, StringComparer.Ordinal));
    }

    [Fact]
    public void EveryReservedLocal_IsDeclaredBySomeGeneratedClient()
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (object[] row in Documents())
        {
            declared.UnionWith(ClientLocals((string)row[0], (string?)row[1]));
        }

        Assert.Empty(ClientMemberNames.Locals.Except(declared, StringComparer.Ordinal));
    }

    // The names declared inside the methods of the generated clients (the root and its sub-clients),
    // with the parameters every operation shares.
    private static IEnumerable<string> ClientLocals(string document, string? clientPerTag)
    {
        var metadata = clientPerTag is null ? null : new Dictionary<string, string> { ["BasetenClientPerTag"] = clientPerTag };
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(document == nameof(ListsInTheQuery) ? ListsInTheQuery : File.ReadAllText(document), "NamesClient", "Names", metadata: metadata);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));

        foreach (SyntaxTree tree in run.GeneratedTrees.Where(t => Path.GetFileName(t.FilePath).EndsWith("Client.g.cs", StringComparison.Ordinal)))
        {
            foreach (ClassDeclarationSyntax type in tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
            {
                foreach (MethodDeclarationSyntax method in type.Members.OfType<MethodDeclarationSyntax>())
                {
                    // A local named after a parameter and '_' (a value unwrapped from it) cannot meet
                    // a name from the document, which never holds '_'.
                    string[] derivedPrefixes = method.ParameterList.Parameters.Select(p => p.Identifier.Text + "_").ToArray();
                    foreach (string name in Declared(method).Where(n => !derivedPrefixes.Any(prefix => n.StartsWith(prefix, StringComparison.Ordinal))))
                    {
                        yield return name;
                    }
                }

                foreach (ParameterSyntax parameter in type.Members.OfType<MethodDeclarationSyntax>().SelectMany(m => m.ParameterList.Parameters))
                {
                    if (parameter.Identifier.Text is "options" or "cancellationToken")
                    {
                        yield return parameter.Identifier.Text;
                    }
                }
            }
        }
    }

    private static IEnumerable<string> Declared(MethodDeclarationSyntax method)
    {
        foreach (SyntaxNode node in method.DescendantNodes())
        {
            string? name = node switch
            {
                VariableDeclaratorSyntax variable => variable.Identifier.Text,
                ForEachStatementSyntax loop => loop.Identifier.Text,
                ParameterSyntax parameter when parameter.Parent?.Parent is LambdaExpressionSyntax or LocalFunctionStatementSyntax => parameter.Identifier.Text,
                ParameterSyntax parameter when parameter.Parent is SimpleLambdaExpressionSyntax => parameter.Identifier.Text,
                LocalFunctionStatementSyntax function => function.Identifier.Text,
                SingleVariableDesignationSyntax designation => designation.Identifier.Text,
                _ => null,
            };
            if (name is not null)
            {
                yield return name;
            }
        }
    }
}
