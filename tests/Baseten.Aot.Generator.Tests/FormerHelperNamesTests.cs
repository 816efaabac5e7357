using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// The helpers a generated JSON context calls (NotA, MissingRequired, TryReadCase, UnescapedName, ...)
/// are the runtime's, called by full name: a document may use their names for its schemas and
/// members, which keep those names, and the code compiles without a warning and reads and writes.
/// </summary>
public sealed class FormerHelperNamesTests
{
    private const string Spec = """
        openapi: 3.1.0
        info: { title: Helpers, version: '1' }
        servers: [{ url: 'https://helpers.example.com' }]
        paths:
          /notes:
            post:
              operationId: echoNote
              requestBody: { required: true, content: { application/json: { schema: { $ref: '#/components/schemas/NotA' } } } }
              responses:
                '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/NotA' } } } }
        components:
          schemas:
            NotA:
              type: object
              required: [missing_required, null_for_required]
              properties:
                missing_required: { type: string }
                null_for_required: { type: string }
                unescaped_name: { type: integer }
                try_read_case: { $ref: '#/components/schemas/TryReadCase' }
                assigned_null_refused: { type: [string, 'null'] }
            TryReadCase:
              oneOf:
                - { type: array, items: { type: string } }
                - { $ref: '#/components/schemas/UnescapedName' }
            UnescapedName:
              type: object
              properties:
                missing_required: { type: integer }
            MissingRequired: { type: object, properties: { not_a: { type: string } } }
            NullForRequired: { type: object, properties: { not_a: { type: string } } }
            AssignedNullRefused: { type: object, properties: { not_a: { type: string } } }
            ReadsDirectly: { type: object, properties: { not_a: { type: string } } }
            TryGetCustomConverter: { type: object, properties: { not_a: { type: string } } }
            GeneratedConverter: { type: object, properties: { not_a: { type: string } } }
            ValueReader: { type: object, properties: { not_a: { type: string } } }
        """;

    private static readonly string[] s_formerHelpers =
        ["NotA", "TryReadCase", "UnescapedName", "MissingRequired", "NullForRequired", "AssignedNullRefused", "ReadsDirectly", "TryGetCustomConverter", "GeneratedConverter", "ValueReader"];

    [Fact]
    public void SchemasNamedLikeTheFormerHelpers_KeepTheirNames_AndCompileWithoutWarnings()
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(Spec, "HelpersClient", "Helpers");

        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        INamedTypeSymbol context = output.GetTypeByMetadataName("Helpers.HelpersJsonContext")!;
        foreach (string name in s_formerHelpers)
        {
            Assert.NotNull(output.GetTypeByMetadataName("Helpers." + name));
            IPropertySymbol info = Assert.Single(context.GetMembers(name).OfType<IPropertySymbol>());
            Assert.Contains("JsonTypeInfo", info.Type.Name, StringComparison.Ordinal);
            Assert.Empty(context.GetMembers(name + "2"));
        }
    }

    [Fact]
    public void AModelNamedNotA_ReadsAndWrites_WithTheGeneratedCode()
    {
        (_, Compilation output) = GeneratorHarness.Run(Spec, "HelpersClient", "Helpers");
        using GeneratedAssembly generated = GeneratedAssembly.Load(output);
        JsonTypeInfo notA = generated.TypeInfo("Helpers.HelpersJsonContext", "NotA");

        // An escaped name (read through the unescaping helper), both cases of the union, an assigned null.
        const string Array = """{"missing_required":"m","null_for_required":"n","unescaped\u005fname":5,"try_read_case":["a","b"],"assigned_null_refused":null}""";
        Assert.Equal("""{"missing_required":"m","null_for_required":"n","unescaped_name":5,"try_read_case":["a","b"],"assigned_null_refused":null}""", GeneratedAssembly.RoundTrip(Array, notA));
        const string Object = """{"missing_required":"m","null_for_required":"n","try_read_case":{"missing_required":7}}""";
        Assert.Equal(Object, GeneratedAssembly.RoundTrip(Object, notA));
    }

    [Theory]
    [InlineData("""{"null_for_required":"n"}""", "The JSON object for NotA is missing required properties: 'missing_required'.")]
    [InlineData("""{"missing_required":"m","null_for_required":null}""", "The JSON property 'null_for_required' of NotA is required and cannot be null.")]
    [InlineData("""[]""", "The JSON value could not be converted to NotA: expected an object, found StartArray.")]
    public void AModelNamedNotA_RefusesBadInput_WithTheHelpersMessages(string json, string message)
    {
        (_, Compilation output) = GeneratorHarness.Run(Spec, "HelpersClient", "Helpers");
        using GeneratedAssembly generated = GeneratedAssembly.Load(output);
        JsonTypeInfo notA = generated.TypeInfo("Helpers.HelpersJsonContext", "NotA");

        JsonException refused = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, notA));

        Assert.StartsWith(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheGeneratedContext_NestsNoHelperType()
    {
        (_, Compilation output) = GeneratorHarness.Run(Spec, "HelpersClient", "Helpers");
        INamedTypeSymbol context = output.GetTypeByMetadataName("Helpers.HelpersJsonContext")!;

        // The converter and the reader delegate are the runtime's; what stays nested is the context's own.
        Assert.Equal(["PropertyNames"], context.GetTypeMembers().Select(t => t.Name).Distinct().ToArray());
    }
}
