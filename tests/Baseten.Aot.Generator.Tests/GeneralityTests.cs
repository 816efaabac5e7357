using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>Specs other than Baseten's: JSON input, 3.0 nullability, query parameters, inline types, maps.</summary>
public sealed class GeneralityTests
{
    // OpenAPI 3.0, written as JSON.
    private const string PetsJson = """
        {
          "openapi": "3.0.3",
          "info": { "title": "Pets", "version": "1" },
          "servers": [ { "url": "https://pets.example.com/api" } ],
          "paths": {
            "/pets": {
              "get": {
                "operationId": "listPets",
                "parameters": [
                  { "name": "limit", "in": "query", "schema": { "type": "integer", "format": "int64" } },
                  { "name": "tag", "in": "query", "required": true, "schema": { "type": "array", "items": { "type": "string" } } },
                  { "name": "sort", "in": "query", "schema": { "type": "string", "enum": ["asc", "desc"] } },
                  { "name": "X-Trace", "in": "header", "schema": { "type": "string" } }
                ],
                "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Pet" } } } } } }
              },
              "post": {
                "summary": "Add a pet to the store",
                "requestBody": { "$ref": "#/components/requestBodies/NewPet" },
                "responses": { "201": { "$ref": "#/components/responses/PetCreated" } }
              }
            },
            "/pets/{petId}": {
              "parameters": [ { "$ref": "#/components/parameters/PetId" } ],
              "get": { "operationId": "get-pet", "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Pet" } } } } } },
              "delete": { "operationId": "deletePet", "responses": { "204": { "description": "gone" } } },
              "patch": {
                "operationId": "updatePet",
                "requestBody": { "required": false, "content": { "application/merge-patch+json": { "schema": { "$ref": "#/components/schemas/PetPatch" } } } },
                "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Pet" } } } } }
              }
            }
          },
          "components": {
            "parameters": { "PetId": { "name": "petId", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } } },
            "requestBodies": { "NewPet": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewPet" } } } } },
            "responses": { "PetCreated": { "description": "created", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Pet" } } } } },
            "schemas": {
              "PetId": { "type": "integer", "format": "int64" },
              "Pet": {
                "type": "object",
                "required": ["id", "name", "kind"],
                "properties": {
                  "id": { "$ref": "#/components/schemas/PetId" },
                  "name": { "type": "string" },
                  "kind": { "type": "string", "enum": ["cat", "dog", "UNKNOWN"] },
                  "nickname": { "type": "string", "nullable": true },
                  "weight": { "type": "number" },
                  "vaccinated": { "type": "boolean" },
                  "born": { "type": "string", "format": "date-time" },
                  "labels": { "type": "object", "additionalProperties": { "type": "string" } },
                  "owner": { "type": "object", "properties": { "email": { "type": "string" } } },
                  "extra": { "type": "object" },
                  "scores": { "type": ["array", "null"], "items": { "type": ["integer", "null"] } },
                  "class": { "type": "string", "deprecated": true },
                  "parent": { "$ref": "#/components/schemas/Pet" }
                }
              },
              "NewPet": { "type": "object", "required": ["name"], "properties": { "name": { "type": "string" } } },
              "PetPatch": { "type": "object", "properties": { "name": { "type": "string" } } }
            }
          }
        }
        """;

    [Fact]
    public void PetsJson_CompilesWithoutWarnings()
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(PetsJson, "PetsClient", "Pets", "/specs/pets.json");

        // The enum value UNKNOWN meets the open enum's Unknown sentinel, which is no collision in
        // the document (no warning); the optional X-Trace header is a parameter like any other.
        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.NotNull(output.GetTypeByMetadataName("Pets.PetsJsonContext"));
    }

    [Fact]
    public void AClientForAnotherDocument_DocumentsTheBaseException_AndNamesNothingAfterBaseten()
    {
        (GeneratorDriverRunResult run, _) = GeneratorHarness.Run(PetsJson, "PetsClient", "Pets", "/specs/pets.json");
        // The client and its interface, which holds the operations' documentation.
        string client = string.Concat(run.GeneratedTrees.Where(t => t.FilePath.EndsWith("PetsClient.g.cs", StringComparison.Ordinal)).Select(t => t.ToString()));

        Assert.Contains("<exception cref=\"global::Baseten.Aot.Http.ApiException\">", client, StringComparison.Ordinal);
        Assert.DoesNotContain("BasetenApiException", client, StringComparison.Ordinal);
        Assert.DoesNotContain("WithBasetenErrors", client, StringComparison.Ordinal);
    }

    [Fact]
    public void BasetensOwnClient_InTheRuntime_DocumentsAndThrowsBasetenApiException()
    {
        var metadata = new Dictionary<string, string> { ["BasetenOptionsConstructors"] = "false" };
        (GeneratorDriverRunResult run, _) = GeneratorHarness.Run(PetsJson, "BasetenClient", "Baseten.Aot", "/specs/pets.json", metadata);
        string client = string.Concat(run.GeneratedTrees.Where(t => t.FilePath.EndsWith("BasetenClient.g.cs", StringComparison.Ordinal)).Select(t => t.ToString()));

        Assert.Contains("<exception cref=\"global::Baseten.Aot.BasetenApiException\">", client, StringComparison.Ordinal);
        Assert.DoesNotContain("global::Baseten.Aot.Http.ApiException", client, StringComparison.Ordinal);
        Assert.Contains(".WithBasetenErrors()", client, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ListPetsAsync", "System.Threading.Tasks.Task<System.Collections.Generic.IReadOnlyList<Pets.Pet>> ListPetsAsync(System.Collections.Generic.IReadOnlyList<string> tag, long? limit = null, Pets.ListPetsSort? sort = null, string? xTrace = null, Baseten.Aot.Http.ApiCallOptions? options = null, System.Threading.CancellationToken cancellationToken = default)")]
    [InlineData("AddPetToStoreAsync", "System.Threading.Tasks.Task<Pets.Pet> AddPetToStoreAsync(Pets.NewPet body, Baseten.Aot.Http.ApiCallOptions? options = null, System.Threading.CancellationToken cancellationToken = default)")]
    [InlineData("GetPetAsync", "System.Threading.Tasks.Task<Pets.Pet> GetPetAsync(long petId, Baseten.Aot.Http.ApiCallOptions? options = null, System.Threading.CancellationToken cancellationToken = default)")]
    [InlineData("DeletePetAsync", "System.Threading.Tasks.Task DeletePetAsync(long petId, Baseten.Aot.Http.ApiCallOptions? options = null, System.Threading.CancellationToken cancellationToken = default)")]
    [InlineData("UpdatePetAsync", "System.Threading.Tasks.Task<Pets.Pet> UpdatePetAsync(long petId, Pets.PetPatch? body = null, Baseten.Aot.Http.ApiCallOptions? options = null, System.Threading.CancellationToken cancellationToken = default)")]
    public void PetsJson_OperationSignatures(string method, string signature)
    {
        (_, Compilation output) = GeneratorHarness.Run(PetsJson, "PetsClient", "Pets", "/specs/pets.json");
        IMethodSymbol symbol = output.GetTypeByMetadataName("Pets.PetsClient")!.GetMembers(method).OfType<IMethodSymbol>().Single();
        var format = SymbolDisplayFormat.FullyQualifiedFormat
            .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)
            .WithMemberOptions(SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType)
            .WithParameterOptions(SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName | SymbolDisplayParameterOptions.IncludeDefaultValue)
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);
        Assert.Equal(signature, symbol.ToDisplayString(format).Replace("default(System.Threading.CancellationToken)", "default", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Id", "long")]
    [InlineData("Kind", "Pets.PetKind")]
    [InlineData("Nickname", "string?")]
    [InlineData("Weight", "double?")]
    [InlineData("Born", "System.DateTimeOffset?")]
    [InlineData("Labels", "System.Collections.Generic.IReadOnlyDictionary<string, string>?")]
    [InlineData("Owner", "Pets.PetOwner?")]
    [InlineData("Extra", "System.Text.Json.JsonElement?")]
    [InlineData("Scores", "System.Collections.Generic.IReadOnlyList<long?>?")]
    [InlineData("Class", "string?")]
    [InlineData("Parent", "Pets.Pet?")]
    public void PetsJson_PropertyTypes(string property, string type)
    {
        (_, Compilation output) = GeneratorHarness.Run(PetsJson, "PetsClient", "Pets", "/specs/pets.json");
        IPropertySymbol symbol = output.GetTypeByMetadataName("Pets.Pet")!.GetMembers(property).OfType<IPropertySymbol>().Single();
        Assert.Equal(type, symbol.Type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat.WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier | SymbolDisplayMiscellaneousOptions.UseSpecialTypes)).Replace("global::", "", StringComparison.Ordinal)
            .Replace("IReadOnlyDictionary", "System.Collections.Generic.IReadOnlyDictionary", StringComparison.Ordinal).Replace("IReadOnlyList", "System.Collections.Generic.IReadOnlyList", StringComparison.Ordinal)
            .Replace("DateTimeOffset", "System.DateTimeOffset", StringComparison.Ordinal).Replace("JsonElement", "System.Text.Json.JsonElement", StringComparison.Ordinal)
            .Replace("PetKind", "Pets.PetKind", StringComparison.Ordinal).Replace("PetOwner", "Pets.PetOwner", StringComparison.Ordinal).Replace("Pet?", "Pets.Pet?", StringComparison.Ordinal));
    }

    [Fact]
    public void EnumValueNamedUnknown_DoesNotCollideWithTheSentinel()
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(PetsJson, "PetsClient", "Pets", "/specs/pets.json");
        INamedTypeSymbol kind = output.GetTypeByMetadataName("Pets.PetKind")!;
        Assert.NotEmpty(kind.GetMembers("UnknownValue"));
        Assert.NotEmpty(kind.GetTypeMembers("Known").Single().GetMembers("Unknown"));
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "BTN0005");
    }

    [Fact]
    public void NamesTheGeneratorOwns_AreToldApartBySuffix_EmptyEnumValueIsEmpty_AndOnlyDocumentCollisionsWarn()
    {
        const string Spec = """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths: {}
            components:
              schemas:
                Error:
                  type: object
                  properties:
                    error: {type: string}
                    equals: {type: string}
                Level:
                  type: string
                  enum: ['', value, converter, low, LOW]
            """;

        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(Spec);

        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.NotEmpty(output.GetTypeByMetadataName("Generated.Error")!.GetMembers("ErrorValue"));
        Assert.NotEmpty(output.GetTypeByMetadataName("Generated.Error")!.GetMembers("EqualsValue"));
        INamedTypeSymbol level = output.GetTypeByMetadataName("Generated.Level")!;
        Assert.All(["Empty", "ValueValue", "ConverterValue", "Low", "Low2"], member => Assert.NotEmpty(level.GetMembers(member)));

        // Only low/LOW, two document values for one C# name, is reported.
        Diagnostic collision = Assert.Single(run.Diagnostics);
        Assert.Equal("BTN0005", collision.Id);
        Assert.Contains("LOW", collision.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void HostileSpecText_CannotBreakOutOfCommentsOrLiterals()
    {
        const string Hostile = "*/ </summary> \" \\ \u2028 class X { } // \r\n#error boom";
        string spec = $$"""
            openapi: 3.1.0
            info: {title: "{{Escape(Hostile)}}", version: '1'}
            servers: [{url: "https://example.com/{{Escape(Hostile)}}"}]
            paths:
              "/a/{id}":
                get:
                  summary: "{{Escape(Hostile)}}"
                  description: "{{Escape(Hostile)}}"
                  parameters:
                    - name: id
                      in: path
                      required: true
                      description: "{{Escape(Hostile)}}"
                      schema: {type: string}
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/class'}
            components:
              schemas:
                class:
                  type: object
                  description: "{{Escape(Hostile)}}"
                  required: ["{{Escape(Hostile)}}"]
                  properties:
                    "{{Escape(Hostile)}}": {type: string, description: "{{Escape(Hostile)}}", default: "{{Escape(Hostile)}}", examples: ["{{Escape(Hostile)}}"]}
                    "class": {type: string, enum: ["{{Escape(Hostile)}}", "a", "A", "1x2", ""]}
                    "": {type: integer}
                    "to_string": {type: string}
                    "get_hash_code": {type: integer}
                    "known": {$ref: '#/components/schemas/Known'}
                    "converter": {$ref: '#/components/schemas/Converter'}
                Known: {type: string, enum: [a]}
                Converter: {type: string, enum: [b]}
                TryGetCustomConverter:
                  type: object
                  properties:
                    options: {type: string}
                Options:
                  type: object
                  properties:
                    default: {$ref: '#/components/schemas/TryGetCustomConverter'}
                    names: {$ref: '#/components/schemas/PropertyNames'}
                PropertyNames:
                  type: object
                  properties:
                    property_names: {type: string}
                    factories: {type: string}
            """;

        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(spec);

        Assert.DoesNotContain(run.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.True(GeneratorHarness.WarningsAndErrors(output).Count == 0, string.Join("\n", GeneratorHarness.WarningsAndErrors(output)));
    }

    [Fact]
    public void ManyNullableProperties_UseSeveralAssignmentMasks()
    {
        var properties = new System.Text.StringBuilder();
        for (int i = 0; i < 70; i++)
        {
            properties.Append(System.Globalization.CultureInfo.InvariantCulture, $"        p{i}: {{type: [integer, 'null']}}\n");
        }

        string spec = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Wide:\n      type: object\n      properties:\n" + properties;
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(spec);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        INamedTypeSymbol wide = output.GetTypeByMetadataName("Generated.Wide")!;
        Assert.NotEmpty(wide.GetMembers("_assigned1"));
        Assert.Empty(wide.GetMembers("_assigned2"));
    }

    // Shapes met in the live Baseten management API that the seed does not have.
    private const string LiveShapes = """
        openapi: 3.1.0
        info: {title: Live shapes, version: '1'}
        paths:
          /v1/audit_logs:
            get:
              summary: Lists a team's audit logs
              parameters:
                - {name: event_type_groups, in: query, schema: {type: array, items: {type: string, enum: [deploy, billing]}}}
                - {name: start_time, in: query, required: true, schema: {type: string, format: date-time}}
                - {name: weights, in: query, schema: {type: array, items: {type: number}}}
                - {name: flags, in: query, schema: {type: array, items: {type: boolean}}}
              responses:
                '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Legacy'}}}}
            put:
              operationId: putLabels
              requestBody:
                required: true
                content: {application/json: {schema: {type: object, additionalProperties: {type: [string, 'null']}}}}
              responses: {'204': {description: done}}
        components:
          schemas:
            Legacy:
              type: object
              required: [status]
              properties:
                status: {type: string, deprecated: true}
                labels: {type: object, additionalProperties: {anyOf: [{type: string}, {type: 'null'}]}}
        """;

    [Fact]
    public void LiveShapes_CompileWithoutWarnings()
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(LiveShapes);

        Assert.Empty(run.Diagnostics);
        Assert.True(GeneratorHarness.WarningsAndErrors(output).Count == 0, string.Join("\n", GeneratorHarness.WarningsAndErrors(output)));
    }

    [Fact]
    public void LiveShapes_ApostropheStaysInsideAWord_AndQueryArraysOfEnumsAndDatesAreParameters()
    {
        (_, Compilation output) = GeneratorHarness.Run(LiveShapes);

        IMethodSymbol list = output.GetTypeByMetadataName("Generated.TestClient")!.GetMembers("ListTeamsAuditLogsAsync").OfType<IMethodSymbol>().Single();
        Assert.Equal(["startTime", "eventTypeGroups", "weights", "flags", "options", "cancellationToken"], list.Parameters.Select(p => p.Name));
        Assert.Equal("System.DateTimeOffset", list.Parameters[0].Type.ToDisplayString());
    }

    private static string Escape(string text)
        => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\u2028", "\\L", StringComparison.Ordinal);

    [Theory]
    [InlineData("{type: http, scheme: bearer}", "ApiAuthorization.Bearer(credential)")]
    [InlineData("{type: oauth2, flows: {}}", "ApiAuthorization.Bearer(credential)")]
    [InlineData("{type: http, scheme: basic}", "ApiAuthorization.Basic(")]
    [InlineData("{type: http, scheme: Token}", "new global::Baseten.Aot.Http.ApiAuthorization(\"Token\", credential)")]
    [InlineData("{type: apiKey, in: header, name: X-API-Key}", "ApiAuthorization.ApiKeyHeader(\"X-API-Key\", credential)")]
    [InlineData("{type: apiKey, in: query, name: api_key}", "ApiAuthorization.ApiKeyQuery(\"api_key\", credential)")]
    [InlineData("{type: apiKey, in: cookie, name: sid}", "ApiAuthorization.ApiKeyCookie(\"sid\", credential)")]
    public void SecurityScheme_DecidesWhatTheOptionsConstructorsSend(string scheme, string expected)
    {
        string spec = $$$"""
            openapi: 3.0.3
            info: {title: T, version: '1'}
            servers: [{url: 'https://api.example.com'}]
            security: [{auth: []}]
            paths:
              /ping:
                get:
                  operationId: ping
                  parameters:
                    - {name: X-API-Key, in: header, required: true, schema: {type: string}}
                    - {name: api_key, in: query, required: true, schema: {type: string}}
                    - {name: sid, in: cookie, required: true, schema: {type: string}}
                  responses: {'204': {description: ok}}
            components:
              securitySchemes:
                auth: {{{scheme}}}
            """;

        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(spec);

        Assert.Empty(run.Diagnostics);
        Assert.True(GeneratorHarness.WarningsAndErrors(output).Count == 0, string.Join("\n", GeneratorHarness.WarningsAndErrors(output)));
        string client = run.GeneratedTrees.Single(t => t.FilePath.EndsWith(".TestClient.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains(expected, client, StringComparison.Ordinal);

        // The parameter that re-declares the credential is not an argument; the others still are.
        IMethodSymbol ping = output.GetTypeByMetadataName("Generated.TestClient")!.GetMembers("PingAsync").OfType<IMethodSymbol>().Single();
        Assert.Equal(scheme.Contains("apiKey", StringComparison.Ordinal) ? 4 : 5, ping.Parameters.Length);
    }
}
