using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// A scoped OpenAPI 3.2 document keeps the schemas its streams reach only through <c>itemSchema</c>
/// and an event's <c>contentSchema</c>: scoping must not leave a typed stream without its item type.
/// </summary>
public sealed class ScopeItemSchemaTests
{
    private const string Spec = """
        openapi: 3.2.0
        info: { title: Feed, version: '1' }
        servers: [{ url: 'https://feed.example.com' }]
        paths:
          /changes:
            get:
              operationId: watchChanges
              tags: [feed]
              responses:
                '200':
                  description: events
                  content:
                    text/event-stream:
                      itemSchema:
                        type: object
                        properties:
                          data: { type: string, contentMediaType: application/json, contentSchema: { $ref: '#/components/schemas/Change' } }
          /items:
            get:
              operationId: exportItems
              tags: [feed]
              responses:
                '200': { description: lines, content: { application/jsonl: { itemSchema: { $ref: '#/components/schemas/Item' } } } }
          /other:
            get:
              operationId: getOther
              tags: [other]
              responses:
                '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Other' } } } }
        components:
          schemas:
            Change: { type: object, properties: { id: { type: string }, item: { $ref: '#/components/schemas/Item' } } }
            Item: { type: object, properties: { name: { type: string } } }
            Other: { type: object, properties: { x: { type: integer } } }
        """;

    [Fact]
    public void SchemasReachedThroughItemSchemaAndContentSchema_AreKept_AndTheRestLeftOut()
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(Spec, "FeedClient", "Feed", metadata: new Dictionary<string, string> { ["BasetenIncludeTags"] = "feed" });

        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.NotNull(output.GetTypeByMetadataName("Feed.Change"));
        Assert.NotNull(output.GetTypeByMetadataName("Feed.Item"));
        Assert.Null(output.GetTypeByMetadataName("Feed.Other"));
    }
}
