using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// A success response documented as JSON and, beside it, as an event stream of another model (as
/// OpenAI's chat completions are): the method returns the JSON body, and the event data model is
/// still read (a generated reader that keeps unknown members), for code written beside the client.
/// </summary>
public sealed class StreamedBesideJsonTests
{
    private const string Spec = """
        openapi: 3.1.0
        info: { title: Streamed, version: '1' }
        servers: [{ url: 'https://streamed.example.com' }]
        paths:
          /answers:
            post:
              operationId: createAnswer
              requestBody: { required: true, content: { application/json: { schema: { $ref: '#/components/schemas/Question' } } } }
              responses:
                '200':
                  description: ok
                  content:
                    application/json: { schema: { $ref: '#/components/schemas/Answer' } }
                    text/event-stream: { schema: { $ref: '#/components/schemas/AnswerChunk' } }
        components:
          schemas:
            Question:
              type: object
              properties:
                text: { type: string }
            Answer:
              type: object
              properties:
                text: { type: string }
            AnswerChunk:
              type: object
              additionalProperties: true
              properties:
                delta: { type: string }
        """;

    [Fact]
    public void TheEventData_GetsAGeneratedReader_AndTheMethodStillReturnsTheJsonBody()
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(Spec, "StreamedClient", "Streamed");

        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        string chunk = string.Concat(run.GeneratedTrees.Where(t => t.FilePath.EndsWith("StreamedJsonContext.AnswerChunk.g.cs", StringComparison.Ordinal)).Select(t => t.ToString()));
        Assert.Contains("Read_AnswerChunk(ref global::System.Text.Json.Utf8JsonReader reader", chunk, StringComparison.Ordinal);
        Assert.Contains("new global::Baseten.Aot.Http.GeneratedJsonConverter<global::Streamed.AnswerChunk>(Read_AnswerChunk, AnswerChunkSerializeHandler)", chunk, StringComparison.Ordinal);
        Assert.Contains("[unknown!] = global::System.Text.Json.JsonElement.ParseValue(ref reader);", chunk, StringComparison.Ordinal);

        // Only sent: no reader.
        string question = string.Concat(run.GeneratedTrees.Where(t => t.FilePath.EndsWith("StreamedJsonContext.Question.g.cs", StringComparison.Ordinal)).Select(t => t.ToString()));
        Assert.DoesNotContain("Read_Question", question, StringComparison.Ordinal);

        IMethodSymbol create = output.GetTypeByMetadataName("Streamed.StreamedClient")!.GetMembers("CreateAnswerAsync").OfType<IMethodSymbol>().First();
        Assert.Equal("System.Threading.Tasks.Task<Streamed.Answer>", create.ReturnType.ToDisplayString());
    }
}
