using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// One malformed part of a document (a null schema, a response that is a list, a dangling $ref, ...)
/// is degraded with a warning at its line, and the rest of the document is still generated and compiles.
/// Only what leaves nothing to generate (not YAML, not OpenAPI 3, paths that are not a mapping) is an error.
/// </summary>
public sealed class DegradedPartTests
{
    private const string Header = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n";

    // Every spec below also has this healthy operation, which must survive whatever is wrong beside it.
    private const string Healthy = """
          /healthy:
            get:
              operationId: getHealthy
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {type: object, properties: {ok: {type: boolean}}}

        """;

    private static (Diagnostic Warning, Compilation Output) RunDegraded(string paths, string id, string components = "")
    {
        string spec = Header + "paths:\n" + Healthy + paths + components;
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(spec);
        Assert.Null(run.Results.Single().Exception);
        Assert.DoesNotContain(run.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Diagnostic[] matching = run.Diagnostics.Where(d => d.Id == id).ToArray();
        Assert.True(matching.Length == 1, $"expected one {id}, got: {string.Join(" | ", run.Diagnostics)}");
        Assert.Equal(DiagnosticSeverity.Warning, matching[0].Severity);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.NotNull(Method(output, "GetHealthyAsync"));
        return (matching[0], output);
    }

    private static IMethodSymbol? Method(Compilation output, string name)
        => output.GetTypeByMetadataName("Generated.TestClient")!.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault();

    private static int Line(Diagnostic diagnostic) => diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1;

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

    [Fact]
    public void NullRequestBodySchema_AsDirectusPublishesIt_IsAJsonElementBody()
    {
        (Diagnostic d, Compilation output) = RunDegraded("""
              /items:
                post:
                  operationId: createItem
                  requestBody:
                    content:
                      application/json:
                        schema: null
                  responses:
                    '204': {description: done}

            """, "BTN0009");
        Assert.Equal(19, Line(d));
        Assert.Contains("any JSON value", Message(d), System.StringComparison.Ordinal);
        IMethodSymbol create = Method(output, "CreateItemAsync")!;
        Assert.Contains(create.Parameters, p => p.Type.ToDisplayString().StartsWith("System.Text.Json.JsonElement", System.StringComparison.Ordinal));
    }

    [Fact]
    public void NullRequestBodySchema_InAJsonDocument_IsAJsonElementBody_AndTheOtherOperationIsGenerated()
    {
        const string Spec = """
            {
              "openapi": "3.0.1",
              "info": {"title": "T", "version": "1"},
              "paths": {
                "/items": {
                  "post": {
                    "operationId": "createItem",
                    "requestBody": {"content": {"application/json": {"schema": null}}},
                    "responses": {"204": {"description": "done"}}
                  }
                },
                "/items/{id}": {
                  "get": {
                    "operationId": "getItem",
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}
                  }
                }
              }
            }
            """;
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(Spec, path: "/specs/items.json");
        Diagnostic d = Assert.Single(run.Diagnostics);
        Assert.Equal("BTN0009", d.Id);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(8, Line(d));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Contains(Method(output, "CreateItemAsync")!.Parameters, p => p.Type.ToDisplayString().StartsWith("System.Text.Json.JsonElement", System.StringComparison.Ordinal));
        Assert.NotNull(Method(output, "GetItemAsync"));
    }

    [Fact]
    public void ResponseThatIsAList_IsLeftOut_AndTheOperationReturnsNoBody()
    {
        (Diagnostic d, Compilation output) = RunDegraded("""
              /items:
                get:
                  operationId: listItems
                  responses:
                    '200': [not, a, response]

            """, "BTN0009");
        Assert.Equal(17, Line(d));
        Assert.Contains("this response is left out", Message(d), System.StringComparison.Ordinal);
        Assert.Equal("System.Threading.Tasks.Task", Method(output, "ListItemsAsync")!.ReturnType.ToDisplayString());
    }

    [Fact]
    public void OperationThatIsAString_IsSkipped()
    {
        (Diagnostic d, Compilation output) = RunDegraded("""
              /items:
                get: just a string
                delete:
                  operationId: deleteItems
                  responses:
                    '204': {description: done}

            """, "BTN0009");
        Assert.Equal(14, Line(d));
        Assert.Contains("the operation is not generated", Message(d), System.StringComparison.Ordinal);
        Assert.NotNull(Method(output, "DeleteItemsAsync"));
    }

    [Fact]
    public void ParameterWithoutIn_IsLeftOut_AndTheOperationKeepsTheOthers()
    {
        (Diagnostic d, Compilation output) = RunDegraded("""
              /items:
                get:
                  operationId: listItems
                  parameters:
                    - {name: broken}
                    - {name: limit, in: query, schema: {type: integer}}
                  responses:
                    '204': {description: done}

            """, "BTN0009");
        Assert.Equal(17, Line(d));
        IMethodSymbol list = Method(output, "ListItemsAsync")!;
        Assert.Contains(list.Parameters, p => p.Name == "limit");
        Assert.DoesNotContain(list.Parameters, p => p.Name == "broken");
    }

    [Fact]
    public void RequestBodyThatIsAList_IsLeftOut()
    {
        (Diagnostic d, Compilation output) = RunDegraded("""
              /items:
                post:
                  operationId: createItem
                  requestBody: [wrong]
                  responses:
                    '204': {description: done}

            """, "BTN0009");
        Assert.Equal(16, Line(d));
        Assert.Contains("without a body", Message(d), System.StringComparison.Ordinal);
        Assert.Equal(["options", "cancellationToken"], Method(output, "CreateItemAsync")!.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void DanglingSchemaRef_IsAJsonElement()
    {
        (Diagnostic d, Compilation output) = RunDegraded("""
              /items:
                get:
                  operationId: getItem
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Missing'}

            """, "BTN0003");
        Assert.Equal(21, Line(d));
        Assert.Equal("System.Threading.Tasks.Task<System.Text.Json.JsonElement>", Method(output, "GetItemAsync")!.ReturnType.ToDisplayString());
    }

    [Fact]
    public void DanglingParameterRef_LeavesThatParameterOut()
    {
        (Diagnostic d, Compilation output) = RunDegraded("""
              /items:
                get:
                  operationId: listItems
                  parameters:
                    - $ref: '#/components/parameters/Missing'
                    - {name: limit, in: query, schema: {type: integer}}
                  responses:
                    '204': {description: done}

            """, "BTN0003");
        Assert.Equal(17, Line(d));
        Assert.Contains(Method(output, "ListItemsAsync")!.Parameters, p => p.Name == "limit");
    }

    [Fact]
    public void SchemaComponentThatIsAString_IsNotGenerated_AndTheOthersAre()
    {
        (Diagnostic d, Compilation output) = RunDegraded(string.Empty, "BTN0009", """
            components:
              schemas:
                Broken: not a schema
                Fine: {type: object, properties: {name: {type: string}}}

            """);
        Assert.Equal(15, Line(d));
        Assert.NotNull(output.GetTypeByMetadataName("Generated.Fine"));
        Assert.Null(output.GetTypeByMetadataName("Generated.Broken"));
    }

    [Fact]
    public void DuplicateKey_KeepsTheFirst()
    {
        (Diagnostic d, Compilation output) = RunDegraded(string.Empty, "BTN0009", """
            components:
              schemas:
                A: {type: object, properties: {first: {type: string}}}
                A: {type: object, properties: {second: {type: string}}}

            """);
        Assert.Equal(16, Line(d));
        Assert.Contains("the first one is read", Message(d), System.StringComparison.Ordinal);
        INamedTypeSymbol a = output.GetTypeByMetadataName("Generated.A")!;
        Assert.NotEmpty(a.GetMembers("First"));
        Assert.Empty(a.GetMembers("Second"));
    }

    [Fact]
    public void ServerVariableWithoutDefault_LeavesThatServerOut()
    {
        string spec = Header + "servers:\n  - url: 'https://{region}.example.com'\n    variables:\n      region: {enum: [eu, us]}\npaths:\n" + Healthy;
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(spec);
        Diagnostic d = Assert.Single(run.Diagnostics);
        Assert.Equal("BTN0009", d.Id);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(6, Line(d));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.NotNull(Method(output, "GetHealthyAsync"));
    }

    [Fact]
    public void PathsThatAreNotAMapping_StayAnError_AndNothingIsGenerated()
    {
        (GeneratorDriverRunResult run, _) = GeneratorHarness.Run(Header + "paths: [a, b]\n");
        Diagnostic d = Assert.Single(run.Diagnostics);
        Assert.Equal("BTN0002", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(3, Line(d));
        Assert.Empty(run.Results.Single().GeneratedSources);
    }
}
