using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// Documents in several files: relative <c>$ref</c>s into other AdditionalFiles (<c>./</c>, <c>../</c>,
/// a backslash, a whole file, a pointer, a path item, a chain from file to file, cycles) generate what
/// the same document in one file does; what cannot be followed is reported in the file and at the line
/// that holds it; an edit re-parses only the documents that reach the edited file.
/// </summary>
public sealed class MultiFileTests
{
    private const string DocumentPath = "/zoo/api/zoo.yaml";

    private const string OneFile = """
        openapi: 3.1.0
        info: {title: Zoo, version: '1'}
        servers: [{url: 'https://zoo.example'}]
        paths:
          /pets/{id}:
            get:
              operationId: getPet
              parameters:
                - name: id
                  in: path
                  required: true
                  schema: {type: string}
              responses:
                '200':
                  description: the pet
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Pet'}
                default:
                  description: an error
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Error'}
          /pets:
            post:
              operationId: createPet
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/Pet'}
              responses:
                '201':
                  description: created
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Pet'}
        components:
          schemas:
            Pet:
              type: object
              required: [name]
              properties:
                name: {type: string}
                owner: {$ref: '#/components/schemas/Owner'}
                tag: {$ref: '#/components/schemas/Tag'}
            Error:
              type: object
              properties:
                code: {type: integer}
                message: {type: string}
            Owner:
              type: object
              properties:
                name: {type: string}
                pets:
                  type: array
                  items: {$ref: '#/components/schemas/Pet'}
            Tag:
              type: object
              properties:
                label: {type: string}
                parent: {$ref: '#/components/schemas/Tag'}
        """;

    private const string SplitDocument = """
        openapi: 3.1.0
        info: {title: Zoo, version: '1'}
        servers: [{url: 'https://zoo.example'}]
        paths:
          /pets/{id}:
            $ref: './paths/pet-by-id.yaml'
          /pets:
            post:
              operationId: createPet
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: './schemas/pet.yaml'}
              responses:
                '201':
                  description: created
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Pet'}
        components:
          schemas:
            Pet: {$ref: './schemas/pet.yaml'}
            Error: {$ref: '../shared/common.yaml#/components/schemas/Error'}
        """;

    private const string PathItem = """
        get:
          operationId: getPet
          parameters:
            - name: id
              in: path
              required: true
              schema: {type: string}
          responses:
            '200':
              description: the pet
              content:
                application/json:
                  schema: {$ref: '../schemas/pet.yaml'}
            default:
              description: an error
              content:
                application/json:
                  schema: {$ref: '../../shared/common.yaml#/components/schemas/Error'}
        """;

    private const string Pet = """
        type: object
        required: [name]
        properties:
          name: {type: string}
          owner: {$ref: './Owner.yaml'}
          tag: {$ref: '..\..\shared\common.yaml#/components/schemas/Tag'}
        """;

    private const string Owner = """
        type: object
        properties:
          name: {type: string}
          pets:
            type: array
            items: {$ref: 'pet.yaml'}
        """;

    private const string Common = """
        components:
          schemas:
            Error:
              type: object
              properties:
                code: {type: integer}
                message: {type: string}
            Tag:
              type: object
              properties:
                label: {type: string}
                parent: {$ref: '#/components/schemas/Tag'}
        """;

    private static readonly IReadOnlyDictionary<string, string> s_shared = new Dictionary<string, string>
    {
        ["/zoo/api/paths/pet-by-id.yaml"] = PathItem,
        ["/zoo/api/schemas/pet.yaml"] = Pet,
        ["/zoo/api/schemas/Owner.yaml"] = Owner,
        ["/zoo/shared/common.yaml"] = Common,
    };

    [Fact]
    public void SplitDocument_GeneratesWhatTheOneFileDocumentDoes()
    {
        (GeneratorDriverRunResult one, _) = GeneratorHarness.Run(OneFile, "ZooClient", "Zoo", DocumentPath);
        (GeneratorDriverRunResult split, Compilation output) = Run(SplitDocument, s_shared);

        Assert.Empty(one.Diagnostics);
        Assert.Empty(split.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Dictionary<string, string> expected = Sources(one);
        Dictionary<string, string> actual = Sources(split);

        // One client (the shared files have no metadata, so none of their own), and Pet, Error, Owner and Tag once each.
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("Zoo.Owner.g.cs", actual.Keys);
        Assert.Single(actual.Keys, k => k.EndsWith("Client.g.cs", StringComparison.Ordinal) && !k.Contains(".I", StringComparison.Ordinal));
        foreach ((string name, string text) in expected)
        {
            Assert.True(text == actual[name], name + " differs between the one-file and the split document");
        }
    }

    [Fact]
    public void SchemaInAnotherFile_WithoutAComponentsEntry_IsNamedAfterItsPointer_OrItsFile()
    {
        const string Document = """
            openapi: 3.1.0
            info: {title: Zoo, version: '1'}
            paths:
              /pets:
                get:
                  operationId: listPets
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: './schemas/pet.yaml'}
                    default:
                      description: error
                      content:
                        application/json:
                          schema: {$ref: '../shared/common.yaml#/components/schemas/Error'}
            components:
              schemas:
                Error: {type: string, description: this document's own Error}
            """;
        (GeneratorDriverRunResult run, Compilation output) = Run(Document, s_shared);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        string[] models = Sources(run).Keys.Where(k => !k.Contains("JsonContext", StringComparison.Ordinal) && !k.Contains("Client", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

        // pet.yaml is Pet (its stem); common.yaml's Error is Error2, beside the document's own Error (an alias of string, no type).
        Assert.Equal(["Zoo.Error2.g.cs", "Zoo.Owner.g.cs", "Zoo.Pet.g.cs", "Zoo.Tag.g.cs"], models);
    }

    [Fact]
    public void MissingFile_IsBTN0003_AtTheReference_NamingTheFileAndTheItemToAdd()
    {
        var files = new Dictionary<string, string>(s_shared);
        files.Remove("/zoo/api/schemas/Owner.yaml");
        (GeneratorDriverRunResult run, _) = Run(SplitDocument, files);

        Diagnostic d = Assert.Single(run.Diagnostics);
        Assert.Equal("BTN0003", d.Id);
        Assert.Equal("/zoo/api/schemas/pet.yaml", d.Location.GetLineSpan().Path);
        Assert.Equal(5, Line(d));
        string message = d.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("'/zoo/api/schemas/Owner.yaml' is not an AdditionalFile", message, StringComparison.Ordinal);
        Assert.Contains("<AdditionalFiles Include=\"schemas/*.yaml\" />", message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadPointer_IsBTN0003_InTheFileThatHoldsIt_AtItsLine()
    {
        var files = new Dictionary<string, string>(s_shared)
        {
            ["/zoo/api/schemas/pet.yaml"] = Pet.Replace("schemas/Tag'", "schemas/Label'", StringComparison.Ordinal),
        };
        (GeneratorDriverRunResult run, Compilation output) = Run(SplitDocument, files);

        Diagnostic d = Assert.Single(run.Diagnostics);
        Assert.Equal("BTN0003", d.Id);
        Assert.Equal("/zoo/api/schemas/pet.yaml", d.Location.GetLineSpan().Path);
        Assert.Equal(6, Line(d));
        string message = d.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("nothing is at '#/components/schemas/Label' in the file '/zoo/shared/common.yaml'", message, StringComparison.Ordinal);

        // Degraded, not refused: the member is any JSON value and the rest is generated.
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Contains("JsonElement? Tag", Sources(run)["Zoo.Pet.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidSchemaInAReferencedFile_IsReportedInThatFile_AtItsLine()
    {
        var files = new Dictionary<string, string>(s_shared)
        {
            ["/zoo/shared/common.yaml"] = Common.Replace("      properties:\n        label: {type: string}\n        parent: {$ref: '#/components/schemas/Tag'}", "      properties: [label]", StringComparison.Ordinal),
        };
        (GeneratorDriverRunResult run, _) = Run(SplitDocument, files);

        Diagnostic d = Assert.Single(run.Diagnostics);
        Assert.Equal("BTN0009", d.Id);
        Assert.Equal("/zoo/shared/common.yaml", d.Location.GetLineSpan().Path);
        Assert.Equal(10, Line(d));
    }

    [Fact]
    public void SyntaxErrorInAReferencedFile_IsBTN0001_InThatFile()
    {
        var files = new Dictionary<string, string>(s_shared)
        {
            ["/zoo/api/schemas/Owner.yaml"] = Owner + "\n  broken: {unclosed\n",
        };
        (GeneratorDriverRunResult run, _) = Run(SplitDocument, files);

        Diagnostic syntax = Assert.Single(run.Diagnostics, d => d.Id == "BTN0001");
        Assert.Equal("/zoo/api/schemas/Owner.yaml", syntax.Location.GetLineSpan().Path);
        Assert.InRange(Line(syntax), 7, 8);
        Diagnostic reference = Assert.Single(run.Diagnostics, d => d.Id == "BTN0003");
        Assert.Equal("/zoo/api/schemas/pet.yaml", reference.Location.GetLineSpan().Path);
    }

    [Fact]
    public void RemoteReference_IsBTN0003_SayingItIsNotFollowed()
    {
        string document = SplitDocument.Replace("'../shared/common.yaml#/components/schemas/Error'", "'https://example.com/common.yaml#/Error'", StringComparison.Ordinal);
        (GeneratorDriverRunResult run, _) = Run(document, s_shared);

        Diagnostic d = Assert.Single(run.Diagnostics);
        Assert.Equal("BTN0003", d.Id);
        Assert.Equal(DocumentPath, d.Location.GetLineSpan().Path);
        Assert.Equal(24, Line(d));
        Assert.Contains("remote references are not followed", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void CycleOfFilesAndPathItems_Terminates()
    {
        var files = new Dictionary<string, string>(s_shared)
        {
            ["/zoo/api/paths/pet-by-id.yaml"] = "$ref: './again.yaml'\n",
            ["/zoo/api/paths/again.yaml"] = "$ref: './pet-by-id.yaml'\n",
        };
        (GeneratorDriverRunResult run, _) = Run(SplitDocument, files);

        Diagnostic d = Assert.Single(run.Diagnostics);
        Assert.Equal("BTN0003", d.Id);
        Assert.Contains("leads back to itself", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void EditOfAReachedFile_ReParsesTheDocument_AndAnUnrelatedFileDoesNot()
    {
        var texts = s_shared.ToDictionary(p => p.Key, p => (AdditionalText)new GeneratorHarness.InMemoryText(p.Key, p.Value));
        var unrelated = new GeneratorHarness.InMemoryText("/zoo/api/schemas/unused.yaml", "type: string\n");
        var document = new GeneratorHarness.InMemoryText(DocumentPath, SplitDocument);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(
            texts.Values.Append(unrelated).Select(t => (t, (IReadOnlyDictionary<string, string>?)null))
                .Append((document, GeneratorHarness.Options("ZooClient", "Zoo"))).ToArray());
        Compilation compilation = GeneratorHarness.CreateCompilation();
        driver = driver.RunGenerators(compilation);

        // The unrelated YAML file changes: the document reaches the same files with the same text, so its parse is cached.
        GeneratorDriver afterUnrelated = driver.ReplaceAdditionalText(unrelated, new GeneratorHarness.InMemoryText(unrelated.Path, "type: integer\n")).RunGenerators(compilation);
        GeneratorRunResult result = afterUnrelated.GetRunResult().Results.Single();
        Assert.Equal([IncrementalStepRunReason.Unchanged], Reasons(result, TrackingNames.Inputs));
        Assert.Equal([IncrementalStepRunReason.Cached], Reasons(result, TrackingNames.Parse));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        // Owner.yaml is reached only through pet.yaml: editing it re-parses and re-emits Owner.
        var owner = texts["/zoo/api/schemas/Owner.yaml"];
        GeneratorDriver afterOwner = afterUnrelated.ReplaceAdditionalText(owner, new GeneratorHarness.InMemoryText(owner.Path, Owner.Replace("name: {type: string}", "name: {type: string, description: The keeper's name.}", StringComparison.Ordinal))).RunGenerators(compilation);
        result = afterOwner.GetRunResult().Results.Single();
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(result, TrackingNames.Inputs));
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(result, TrackingNames.Parse));
        Assert.Contains("The keeper's name.", result.GeneratedSources.Single(s => s.HintName == "Zoo.Owner.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TwoDocumentsSharingAFile_EachReadsIt_AndAnEditOfOneDoesNotReParseTheOther()
    {
        const string Second = """
            openapi: 3.1.0
            info: {title: Tags, version: '1'}
            paths:
              /tags:
                get:
                  operationId: listTags
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: '../../shared/common.yaml#/components/schemas/Tag'}
            """;
        var zoo = new GeneratorHarness.InMemoryText(DocumentPath, SplitDocument);
        var tags = new GeneratorHarness.InMemoryText("/zoo/api/tags/tags.yaml", Second);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(
            s_shared.Select(p => ((AdditionalText)new GeneratorHarness.InMemoryText(p.Key, p.Value), (IReadOnlyDictionary<string, string>?)null))
                .Append((zoo, GeneratorHarness.Options("ZooClient", "Zoo")))
                .Append((tags, GeneratorHarness.Options("TagsClient", "Tags"))).ToArray());
        Compilation compilation = GeneratorHarness.CreateCompilation();
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _, CancellationToken.None);

        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        Assert.Empty(first.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Contains(first.GeneratedSources, s => s.HintName == "Tags.Tag.g.cs");
        Assert.Contains(first.GeneratedSources, s => s.HintName == "Zoo.Tag.g.cs");

        GeneratorRunResult result = driver.ReplaceAdditionalText(tags, new GeneratorHarness.InMemoryText(tags.Path, "# moved\n" + Second)).RunGenerators(compilation).GetRunResult().Results.Single();
        Assert.Equal([IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached], Reasons(result, TrackingNames.Parse).Order());
    }

    [Fact]
    public void JsonFiles_WithEscapedSlashes_AndPlainYamlValues_Resolve()
    {
        // JSON may escape '/' as '\/'; YAML may leave a reference unquoted.
        const string Document = """
            {"openapi": "3.0.3", "info": {"title": "Zoo", "version": "1"},
             "paths": {"/pets": {"get": {"operationId": "listPets", "responses": {"200": {"description": "ok",
               "content": {"application/json": {"schema": {"$ref": "..\/shared\/pets.json#\/Pet"}}}}}}}}}
            """;
        var files = new Dictionary<string, string>
        {
            ["/zoo/shared/pets.json"] = """{"Pet": {"type": "object", "properties": {"toy": {"$ref": "toy.yaml"}}}}""",
            ["/zoo/shared/toy.yaml"] = "type: object\nproperties:\n  owner: {$ref: ../api/owner.yaml#/Owner}\n",
            ["/zoo/api/owner.yaml"] = "Owner:\n  $ref: ./owner.yaml#/Person\nPerson:\n  type: object\n  properties:\n    name: {type: string}\n",
        };
        (GeneratorDriverRunResult run, Compilation output) = Run(Document, files, "/zoo/api/zoo.json");

        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        string[] models = Sources(run).Keys.Where(k => !k.Contains("JsonContext", StringComparison.Ordinal) && !k.Contains("Client", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["Zoo.Person.g.cs", "Zoo.Pet.g.cs", "Zoo.Toy.g.cs"], models);
        Assert.Contains("global::Zoo.Person? Owner", Sources(run)["Zoo.Toy.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void DiscriminatorMapping_IntoOtherFiles_SelectsTheirTypes()
    {
        const string Document = """
            openapi: 3.1.0
            info: {title: Zoo, version: '1'}
            paths:
              /animals:
                get:
                  operationId: getAnimal
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            oneOf:
                              - $ref: './animals/cat.yaml'
                              - $ref: './animals/dog.yaml'
                            discriminator:
                              propertyName: kind
                              mapping:
                                cat: './animals/cat.yaml'
                                dog: './animals/dog.yaml'
            """;
        var files = new Dictionary<string, string>
        {
            ["/zoo/api/animals/cat.yaml"] = "type: object\nrequired: [kind]\nproperties:\n  kind: {type: string}\n  lives: {type: integer}\n",
            ["/zoo/api/animals/dog.yaml"] = "type: object\nrequired: [kind]\nproperties:\n  kind: {type: string}\n  goodBoy: {type: boolean}\n",
        };
        (GeneratorDriverRunResult run, Compilation output) = Run(Document, files);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Dictionary<string, string> sources = Sources(run);
        Assert.Contains("Zoo.Cat.g.cs", sources.Keys);
        Assert.Contains("Zoo.Dog.g.cs", sources.Keys);

        // The union reads "kind" and picks Cat or Dog by it (the mapping's file references became their names).
        Assert.Contains(sources, s => !s.Key.Contains("JsonContext", StringComparison.Ordinal)
            && s.Value.Contains("\"cat\"", StringComparison.Ordinal) && s.Value.Contains("global::Zoo.Cat", StringComparison.Ordinal) && s.Value.Contains("global::Zoo.Dog", StringComparison.Ordinal));
    }

    private static (GeneratorDriverRunResult Run, Compilation Output) Run(string document, IReadOnlyDictionary<string, string> others, string documentPath = DocumentPath)
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver(
            others.Select(p => ((AdditionalText)new GeneratorHarness.InMemoryText(p.Key, p.Value), (IReadOnlyDictionary<string, string>?)null))
                .Append((new GeneratorHarness.InMemoryText(documentPath, document), GeneratorHarness.Options("ZooClient", "Zoo"))).ToArray());
        driver = driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.CreateCompilation(), out Compilation output, out _, CancellationToken.None);
        return (driver.GetRunResult(), output);
    }

    private static Dictionary<string, string> Sources(GeneratorDriverRunResult run)
        => run.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string step)
        => result.TrackedSteps[step].SelectMany(run => run.Outputs).Select(output => output.Reason).ToArray();

    private static int Line(Diagnostic diagnostic) => diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1;
}
