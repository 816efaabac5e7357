using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// OpenAPI 3.2: accepted; itemSchema types event and JSON-lines streams; QUERY and
/// additionalOperations are sent by their own method; what is not supported yet is a warning at its
/// line, never a refusal.
/// </summary>
public sealed class OpenApi32Tests
{
    private const string Header = "openapi: 3.2.0\ninfo: {title: T, version: '1'}\n";

    private static IMethodSymbol Method(Compilation output, string name)
        => output.GetTypeByMetadataName("Generated.TestClient")!.GetMembers(name).OfType<IMethodSymbol>().Single();

    private static int Line(Diagnostic diagnostic) => diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1;

    private static Compilation RunClean(string spec)
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(spec);
        Assert.Null(run.Results.Single().Exception);
        Assert.True(run.Diagnostics.IsEmpty, string.Join(" | ", run.Diagnostics));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        return output;
    }

    private static string EventsOf(string itemSchema) => Header + """
        paths:
          /events:
            get:
              operationId: watch
              responses:
                '200':
                  description: events
                  content:
                    text/event-stream:
                      itemSchema:

        """ + itemSchema + """

        components:
          schemas:
            Tick: {type: object, required: [n], properties: {n: {type: integer}}}
        """;

    [Theory]
    [InlineData("3.2.0")]
    [InlineData("3.2.1")]
    public void Version32_IsAccepted(string version)
        => RunClean("openapi: " + version + "\ninfo: {title: T, version: '1'}\npaths: {}\n");

    [Fact]
    public void EventItemSchema_DataAsAReference_YieldsThatType()
    {
        Compilation output = RunClean(EventsOf("""
                            type: object
                            required: [data]
                            properties:
                              event: {type: string}
                              data: {$ref: '#/components/schemas/Tick'}
            """));
        Assert.Equal("System.Collections.Generic.IAsyncEnumerable<Generated.Tick>", Method(output, "WatchAsync").ReturnType.ToDisplayString());
    }

    [Fact]
    public void EventItemSchema_DataAsJsonText_YieldsItsContentSchema()
    {
        Compilation output = RunClean(EventsOf("""
                            type: object
                            properties:
                              data:
                                type: string
                                contentMediaType: application/json
                                contentSchema: {$ref: '#/components/schemas/Tick'}
            """));
        Assert.Equal("System.Collections.Generic.IAsyncEnumerable<Generated.Tick>", Method(output, "WatchAsync").ReturnType.ToDisplayString());
    }

    [Fact]
    public void EventItemSchema_DataAsPlainText_YieldsRawEvents()
    {
        Compilation output = RunClean(EventsOf("""
                            type: object
                            properties:
                              data: {type: string}
            """));
        Assert.Equal("System.Collections.Generic.IAsyncEnumerable<Baseten.Aot.Http.ServerSentEvent>", Method(output, "WatchAsync").ReturnType.ToDisplayString());
    }

    [Fact]
    public void EventItemSchema_ThatIsAReferenceToTheEnvelope_YieldsItsData()
    {
        string spec = EventsOf("""
                            $ref: '#/components/schemas/TickEvent'
            """) + """

                TickEvent:
                  type: object
                  properties:
                    id: {type: string}
                    data: {$ref: '#/components/schemas/Tick'}
            """;
        Compilation output = RunClean(spec);
        Assert.Equal("System.Collections.Generic.IAsyncEnumerable<Generated.Tick>", Method(output, "WatchAsync").ReturnType.ToDisplayString());
    }

    [Theory]
    [InlineData("application/jsonl")]
    [InlineData("application/x-ndjson")]
    [InlineData("application/json-seq")]
    public void JsonLinesItemSchema_YieldsThatType(string mediaType)
    {
        Compilation output = RunClean(Header + """
            paths:
              /export:
                get:
                  operationId: export
                  responses:
                    '200':
                      description: lines
                      content:

            """ + "            " + mediaType + ":\n" + """
                          itemSchema: {$ref: '#/components/schemas/Tick'}
            components:
              schemas:
                Tick: {type: object, required: [n], properties: {n: {type: integer}}}
            """);
        Assert.Equal("System.Collections.Generic.IAsyncEnumerable<Generated.Tick>", Method(output, "ExportAsync").ReturnType.ToDisplayString());
    }

    [Fact]
    public void MediaTypeReference_IntoComponentsMediaTypes_IsFollowed()
    {
        Compilation output = RunClean(Header + """
            paths:
              /tick:
                get:
                  operationId: getTick
                  responses:
                    '200':
                      description: one tick
                      content:
                        application/json: {$ref: '#/components/mediaTypes/TickJson'}
            components:
              mediaTypes:
                TickJson:
                  schema: {$ref: '#/components/schemas/Tick'}
              schemas:
                Tick: {type: object, required: [n], properties: {n: {type: integer}}}
            """);
        Assert.Equal("System.Threading.Tasks.Task<Generated.Tick>", Method(output, "GetTickAsync").ReturnType.ToDisplayString());
    }

    [Fact]
    public void TagParentKindAndSummary_AreReadWithoutADiagnostic()
        => RunClean(Header + """
            tags:
              - {name: shop, summary: The shop, kind: nav}
              - {name: orders, summary: Orders, parent: shop, kind: nav}
            paths:
              /orders:
                get:
                  tags: [orders]
                  operationId: listOrders
                  responses:
                    '204': {description: none}
            """);

    [Fact]
    public void AdditionalOperations_ThatCannotBeSent_AreSkippedWithAWarningEach_AndTheOthersAreGenerated()
    {
        string spec = Header + """
            paths:
              /items/{id}:
                parameters:
                  - {name: id, in: path, required: true, schema: {type: string}}
                query:
                  operationId: queryItem
                  requestBody:
                    content:
                      application/json:
                        schema: {type: object, properties: {q: {type: string}}}
                  responses:
                    '204': {description: none}
                additionalOperations:
                  'NOT A METHOD':
                    operationId: broken
                    responses: {'204': {description: none}}
                  get:
                    operationId: duplicate
                    responses: {'204': {description: none}}
                  PURGE:
                    operationId: purgeItem
                    responses: {'204': {description: none}}
                  M-SEARCH:
                    operationId: searchItem
                    responses: {'204': {description: none}}
            """;
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(spec);
        Diagnostic[] skipped = run.Diagnostics.Where(d => d.Id == "BTN0008").OrderBy(Line).ToArray();
        Assert.True(skipped.Length == 2 && run.Diagnostics.Length == 2, string.Join(" | ", run.Diagnostics));
        Assert.All(skipped, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Equal([16, 19], skipped.Select(Line));
        Assert.Contains("cannot be sent", skipped[0].GetMessage(CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Contains(Method(output, "QueryItemAsync").Parameters, p => p.Name == "body");
        Assert.NotNull(Method(output, "PurgeItemAsync"));
        string client = run.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith(".TestClient.g.cs", System.StringComparison.Ordinal)).SourceText.ToString();
        // Each method HttpMethod has no property for is one static instance, not one per call; a
        // character an identifier cannot hold is spelled by its code.
        Assert.Contains("private static readonly global::System.Net.Http.HttpMethod s_methodQUERY = new(\"QUERY\");", client, System.StringComparison.Ordinal);
        Assert.Contains("private static readonly global::System.Net.Http.HttpMethod s_methodPURGE = new(\"PURGE\");", client, System.StringComparison.Ordinal);
        Assert.Contains("private static readonly global::System.Net.Http.HttpMethod s_methodM_2DSEARCH = new(\"M-SEARCH\");", client, System.StringComparison.Ordinal);
        Assert.Contains("ApiRequest(s_methodM_2DSEARCH, ", client, System.StringComparison.Ordinal);
        Assert.DoesNotContain("new global::System.Net.Http.HttpMethod(", client, System.StringComparison.Ordinal);
        Assert.NotNull(Method(output, "SearchItemAsync"));
    }

    [Fact]
    public void UnsupportedKeywords_AreWarningsAtTheirLines_AndTheDocumentIsGenerated()
    {
        string spec = Header + """
            $self: https://example.com/api/openapi.yaml
            paths:
              /export:
                get:
                  operationId: export
                  parameters:
                    - {name: filter, in: querystring, content: {application/json: {schema: {type: object}}}}
                  responses:
                    '200':
                      description: lines
                      content:
                        application/jsonl:
                          itemSchema: {$ref: '#/components/schemas/Pet'}
                          itemEncoding: {contentType: application/json}
                          prefixEncoding: []
            components:
              schemas:
                Pet:
                  oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
                  discriminator: {propertyName: kind, defaultMapping: '#/components/schemas/Cat'}
                Cat: {type: object, required: [kind], properties: {kind: {type: string}}}
                Dog: {type: object, required: [kind], properties: {kind: {type: string}}}
            """;
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(spec);
        Assert.DoesNotContain(run.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(
            [("BTN0014", 3), ("BTN0010", 9), ("BTN0014", 16), ("BTN0014", 17), ("BTN0014", 22)],
            run.Diagnostics.Select(d => (d.Id, Line(d))).OrderBy(d => d.Item2));
        Assert.Contains("querystring", run.Diagnostics.Single(d => d.Id == "BTN0010").GetMessage(CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        Assert.All(run.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Equal("System.Collections.Generic.IAsyncEnumerable<Generated.Pet>", Method(output, "ExportAsync").ReturnType.ToDisplayString());
    }
}
