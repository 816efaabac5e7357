using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// Scoping a document with the item's metadata (BasetenIncludeTags, BasetenExcludeTags,
/// BasetenIncludeOperations, BasetenExcludeOperations): which operations are generated, which
/// schemas come with them, what a name that selects nothing says; and BasetenClientPerTag's
/// sub-clients, compiled and called. The document is Baselines/Scoped/zoo.openapi.yaml.
/// </summary>
public sealed class ScopeTests
{
    private const string ClientName = "ZooClient";
    private const string Namespace = "Zoo";

    private static readonly string s_baselines = Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "Baseten.Aot.Generator.Tests", "Baselines");
    private static readonly string s_zooPath = Path.Combine(s_baselines, "Scoped", "zoo.openapi.yaml");
    private static readonly string s_zoo = File.ReadAllText(s_zooPath);

    // Every model, enum and union of the whole document.
    private static readonly string[] s_allTypes = ["Pet", "Cat", "Dog", "Owner", "Address", "Toy", "Ball", "Rope", "PetPage", "NewPet", "Label", "Keeper", "Shift", "Weekday", "Unused", "AlsoUnused"];

    private static (GeneratorDriverRunResult Run, Compilation Output) Run(params (string Name, string Value)[] metadata)
        => GeneratorHarness.Run(s_zoo, ClientName, Namespace, metadata: metadata.ToDictionary(m => m.Name, m => m.Value));

    private static string[] ClientMethods(Compilation output, string type = ClientName)
        => output.GetTypeByMetadataName(Namespace + "." + type)!.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && m.DeclaredAccessibility == Accessibility.Public && m.Name.EndsWith("Async", StringComparison.Ordinal))
            .Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();

    private static string[] DeclaredTypes(Compilation output, params string[] candidates)
        => candidates.Where(name => output.GetTypeByMetadataName(Namespace + "." + name) is not null).ToArray();

    private static void AssertCleanOutput(GeneratorDriverRunResult run, Compilation output)
    {
        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
    }

    [Fact]
    public void NoScope_GeneratesEveryOperationAndSchema()
    {
        (GeneratorDriverRunResult run, Compilation output) = Run();

        AssertCleanOutput(run, output);
        Assert.Equal(["AdminDeletePetAsync", "GetHealthAsync", "KeepersListAsync", "PetsCreateAsync", "PetsGetAsync", "PetsListAsync", "PetsListAutoPagingAsync"], ClientMethods(output));
        Assert.Equal(s_allTypes, DeclaredTypes(output, s_allTypes));
    }

    [Fact]
    public void IncludeTags_KeepsTheTagsOperations_AndOnlyTheSchemasTheyReach()
    {
        (GeneratorDriverRunResult run, Compilation output) = Run(("BasetenIncludeTags", "keepers"));

        AssertCleanOutput(run, output);
        Assert.Equal(["KeepersListAsync"], ClientMethods(output));
        Assert.Equal(["Keeper", "Shift", "Weekday"], DeclaredTypes(output, s_allTypes));
    }

    [Fact]
    public void IncludeOperations_ByOperationId_AndByMethodAndPath_TheMethodInAnyCase()
    {
        (GeneratorDriverRunResult run, Compilation output) = Run(("BasetenIncludeOperations", "keepers/list; get /health ;DELETE /pets/{id}"));

        AssertCleanOutput(run, output);
        Assert.Equal(["AdminDeletePetAsync", "GetHealthAsync", "KeepersListAsync"], ClientMethods(output));
    }

    [Fact]
    public void IncludeTagsAndOperations_TakeTheUnion()
    {
        (GeneratorDriverRunResult run, Compilation output) = Run(("BasetenIncludeTags", "admin"), ("BasetenIncludeOperations", "keepers/list"));

        AssertCleanOutput(run, output);
        Assert.Equal(["AdminDeletePetAsync", "KeepersListAsync", "PetsGetAsync"], ClientMethods(output));
    }

    [Fact]
    public void ExcludeTags_LeaveOutEveryOperationWithTheTag_EvenWhenItsFirstTagIsAnother()
    {
        (GeneratorDriverRunResult run, Compilation output) = Run(("BasetenExcludeTags", "admin;keepers"));

        AssertCleanOutput(run, output);
        Assert.Equal(["GetHealthAsync", "PetsCreateAsync", "PetsListAsync", "PetsListAutoPagingAsync"], ClientMethods(output));
        Assert.DoesNotContain("Keeper", DeclaredTypes(output, s_allTypes));
    }

    [Fact]
    public void ExcludeWinsOverInclude_ByOperation_AndByTag()
    {
        (GeneratorDriverRunResult run, Compilation output) = Run(("BasetenIncludeTags", "pets"), ("BasetenExcludeOperations", "pets/create"), ("BasetenExcludeTags", "admin"));

        AssertCleanOutput(run, output);
        Assert.Equal(["PetsListAsync", "PetsListAutoPagingAsync"], ClientMethods(output));

        // pets/create alone reached NewPet and, through its map, Label.
        Assert.Equal(["Pet", "Cat", "Dog", "Owner", "Address", "Toy", "Ball", "Rope", "PetPage"], DeclaredTypes(output, s_allTypes));
    }

    [Fact]
    public void ReachableSchemas_AreFollowedDeep_ThroughVariantsOfABaseSchema_UnionMappings_AndMaps()
    {
        // pets/get answers a Pet: its variants Cat and Dog come along (a Dog is read as a Dog), Dog's
        // owner and that owner's address, Cat's toy union and both its mapped cases.
        (GeneratorDriverRunResult run, Compilation output) = Run(("BasetenIncludeOperations", "pets/get"));

        AssertCleanOutput(run, output);
        Assert.Equal(["Pet", "Cat", "Dog", "Owner", "Address", "Toy", "Ball", "Rope"], DeclaredTypes(output, s_allTypes));
        Assert.Equal("Pet", output.GetTypeByMetadataName("Zoo.Dog")!.BaseType!.Name);

        // A request body's map of references: NewPet and Label, nothing else.
        (run, output) = Run(("BasetenIncludeOperations", "pets/create"));
        Assert.Empty(run.Diagnostics);
        Assert.Contains("NewPet", DeclaredTypes(output, s_allTypes));
        Assert.Contains("Label", DeclaredTypes(output, s_allTypes));
    }

    [Fact]
    public void UnreachableSchemas_GetNoModel_AndNoJsonContextEntry()
    {
        (GeneratorDriverRunResult run, Compilation output) = Run(("BasetenIncludeOperations", "keepers/list"));

        Assert.Empty(run.Diagnostics);
        string[] hints = run.Results.Single().GeneratedSources.Select(s => s.HintName).ToArray();
        Assert.DoesNotContain(hints, h => h.Contains("Unused", StringComparison.Ordinal) || h.Contains("Pet", StringComparison.Ordinal) || h.Contains("Label", StringComparison.Ordinal));
        string context = run.Results.Single().GeneratedSources.Single(s => s.HintName == "Zoo.ZooJsonContext.g.cs").SourceText.ToString();
        Assert.DoesNotContain("Unused", context, StringComparison.Ordinal);
        Assert.DoesNotContain("global::Zoo.Pet", context, StringComparison.Ordinal);
        Assert.Contains("global::Zoo.Keeper", context, StringComparison.Ordinal);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
    }

    [Fact]
    public void UnknownNames_WarnAtTheDocument_OnePerName_AndTheRestIsGenerated()
    {
        (GeneratorDriverRunResult run, Compilation output) = Run(
            ("BasetenIncludeTags", "pets;Pets"),
            ("BasetenIncludeOperations", "pets/gett"),
            ("BasetenExcludeTags", "admni"),
            ("BasetenExcludeOperations", "POST /pet"));

        Diagnostic[] unknown = run.Diagnostics.Where(d => d.Id == "BTN0020").ToArray();
        Assert.Equal(4, unknown.Length);
        Assert.Equal(run.Diagnostics.Length, unknown.Length);
        Assert.All(unknown, d =>
        {
            Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
            Assert.Equal(GeneratorHarness.DefaultPath, d.Location.GetLineSpan().Path);
        });
        string[] messages = unknown.Select(d => d.GetMessage(CultureInfo.InvariantCulture)).ToArray();
        Assert.Contains("BasetenIncludeTags names 'Pets', but no operation of the document has that tag (names are matched exactly, case included): the entry selects nothing", messages);
        Assert.Contains(messages, m => m.StartsWith("BasetenIncludeOperations names 'pets/gett', but no operation of the document has that operationId", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("BasetenExcludeTags names 'admni'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("BasetenExcludeOperations names 'POST /pet'", StringComparison.Ordinal));

        // The names that do match still scope the client.
        Assert.Equal(["PetsCreateAsync", "PetsGetAsync", "PetsListAsync", "PetsListAutoPagingAsync"], ClientMethods(output));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
    }

    [Fact]
    public void AScopeThatKeepsNothing_Warns_AndStillCompiles()
    {
        (GeneratorDriverRunResult run, Compilation output) = Run(("BasetenIncludeTags", "keepers"), ("BasetenExcludeOperations", "keepers/list"));

        Diagnostic empty = Assert.Single(run.Diagnostics);
        Assert.Equal("BTN0021", empty.Id);
        Assert.Equal(DiagnosticSeverity.Warning, empty.Severity);
        Assert.Contains("none of the document's 6 operations", empty.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(ClientMethods(output));
        Assert.Empty(DeclaredTypes(output, s_allTypes));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
    }

    [Fact]
    public void MethodNames_DoNotDependOnWhatElseTheScopeKeeps()
    {
        // Two operations that name themselves alike are told apart over the whole document: the
        // second is GetItemInTeamAsync whether or not the first is generated.
        const string Twins = """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /items/{id}:
                get:
                  summary: Get item
                  parameters: [{name: id, in: path, required: true, schema: {type: string}}]
                  responses: {'204': {description: ok}}
              /teams/{team_id}/items/{id}:
                get:
                  summary: Get item
                  parameters:
                    - {name: team_id, in: path, required: true, schema: {type: string}}
                    - {name: id, in: path, required: true, schema: {type: string}}
                  responses: {'204': {description: ok}}
            """;
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(Twins, ClientName, Namespace, metadata: new Dictionary<string, string> { ["BasetenIncludeOperations"] = "GET /teams/{team_id}/items/{id}" });

        Assert.Empty(run.Diagnostics);
        Assert.Equal(["GetItemInTeamAsync"], ClientMethods(output));
    }

    [Fact]
    public void ClientPerTag_NotTrueOrFalse_IsAnError_NamingTheValue()
    {
        (GeneratorDriverRunResult run, _) = Run(("BasetenClientPerTag", "yes"));

        Diagnostic error = Assert.Single(run.Diagnostics);
        Assert.Equal("BTN0006", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("The AdditionalFiles metadata BasetenClientPerTag=\"yes\" is not valid: it must be true or false", error.GetMessage(CultureInfo.InvariantCulture));
        Assert.Empty(run.Results.Single().GeneratedSources);
    }

    [Fact]
    public void ClientPerTag_False_IsTheDefault_ByteForByte()
    {
        (GeneratorDriverRunResult plain, _) = Run();
        (GeneratorDriverRunResult off, _) = Run(("BasetenClientPerTag", "False"));

        Assert.Equal(
            plain.Results.Single().GeneratedSources.Select(s => s.HintName + "\n" + s.SourceText),
            off.Results.Single().GeneratedSources.Select(s => s.HintName + "\n" + s.SourceText));
    }

    [Fact]
    public void ClientPerTag_GroupsByFirstTag_UntaggedStayOnTheClient_AndTheInterfaceExposesEach()
    {
        (GeneratorDriverRunResult run, Compilation output) = Run(("BasetenClientPerTag", "true"));

        AssertCleanOutput(run, output);
        Assert.Equal(["GetHealthAsync"], ClientMethods(output));
        Assert.Equal(["CreateAsync", "GetAsync", "ListAsync", "ListAutoPagingAsync"], ClientMethods(output, "PetsClient"));
        Assert.Equal(["DeletePetAsync"], ClientMethods(output, "AdminClient"));
        Assert.Equal(["ListAsync"], ClientMethods(output, "KeepersClient"));

        INamedTypeSymbol root = output.GetTypeByMetadataName("Zoo.IZooClient")!;
        Assert.Equal(
            ["Admin: Zoo.IAdminClient", "Keepers: Zoo.IKeepersClient", "Pets: Zoo.IPetsClient"],
            root.GetMembers().OfType<IPropertySymbol>().Select(p => p.Name + ": " + p.Type.ToDisplayString()).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(
            ["CreateAsync", "GetAsync", "ListAsync", "ListAutoPagingAsync"],
            output.GetTypeByMetadataName("Zoo.IPetsClient")!.GetMembers().OfType<IMethodSymbol>().Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal));

        // Only the client makes a sub-client: its constructor is not public.
        INamedTypeSymbol pets = output.GetTypeByMetadataName("Zoo.PetsClient")!;
        Assert.All(pets.InstanceConstructors, c => Assert.Equal(Accessibility.Internal, c.DeclaredAccessibility));
        Assert.True(pets.IsSealed);
    }

    [Fact]
    public async Task ClientPerTag_SubClientsSendThroughTheClientsTransport_ToTheRightPaths()
    {
        const string Probe = """
            #pragma warning disable CS1591 // the probe is not the code under test
            using System.Net;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            namespace Probe
            {
                public sealed class Recorder : HttpMessageHandler
                {
                    public System.Collections.Generic.List<string> Requests { get; } = new();

                    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                    {
                        Requests.Add(request.Method + " " + request.RequestUri!.PathAndQuery);
                        if (request.Method == HttpMethod.Delete)
                        {
                            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
                        }

                        string body = request.RequestUri.AbsolutePath switch
                        {
                            "/pets" => "{\"items\":[{\"petType\":\"Cat\",\"name\":\"Tom\"}]}",
                            "/keepers" => "[{\"name\":\"Ann\",\"shifts\":[{\"day\":\"monday\"}]}]",
                            "/health" => "{\"status\":\"up\"}",
                            _ => "{\"petType\":\"Dog\",\"name\":\"Rex\",\"owner\":{\"address\":{\"city\":\"Oslo\"}}}",
                        };
                        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") });
                    }
                }

                public static class Calls
                {
                    public static async Task<string> RunAsync()
                    {
                        var recorder = new Recorder();
                        using var client = new Zoo.ZooClient(new Baseten.Aot.Http.ApiTransport(new HttpClient(recorder), new System.Uri("https://zoo.example.com"), null));
                        Zoo.IZooClient api = client;
                        Zoo.Pet pet = await api.Pets.GetAsync("7");
                        Zoo.PetPage page = await client.Pets.ListAsync(cursor: "c1");
                        await client.Admin.DeletePetAsync("8");
                        var keepers = await client.Keepers.ListAsync();
                        var health = await client.GetHealthAsync();
                        string city = pet is Zoo.Dog dog ? dog.Owner!.Address!.City! : "not a dog";
                        return string.Join("\n", recorder.Requests)
                            + "\n" + city + " " + (page.Items[0] is Zoo.Cat) + " " + keepers[0].Shifts![0].Day + " " + health.Status
                            + "\n" + ReferenceEquals(client.Pets, api.Pets) + " " + ReferenceEquals(client.Pets, client.Pets);
                    }
                }
            }
            """;
        var options = GeneratorHarness.Options(ClientName, Namespace);
        options["build_metadata.AdditionalFiles.BasetenClientPerTag"] = "true";
        GeneratorDriver driver = GeneratorHarness.CreateDriver((new GeneratorHarness.InMemoryText(GeneratorHarness.DefaultPath, s_zoo), options));
        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.CreateCompilation(Probe), out Compilation output, out _, CancellationToken.None);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));

        using GeneratedAssembly generated = GeneratedAssembly.Load(output);
        MethodInfo run = generated.Assembly.GetType("Probe.Calls", throwOnError: true)!.GetMethod("RunAsync")!;
        Task<string> calls = (Task<string>)run.Invoke(null, null)!;
        string result = await calls.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(
            """
            GET /pets/7
            GET /pets?cursor=c1
            DELETE /pets/8
            GET /keepers
            GET /health
            Oslo True monday up
            True True
            """.ReplaceLineEndings("\n"),
            result);
    }

    [Fact]
    public void ClientPerTag_AMethodKeepsItsFullName_WhenDroppingTheTagWouldCollide()
    {
        const string Document = """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /a:
                get: {operationId: items/get, tags: [items], responses: {'204': {description: ok}}}
              /b:
                get: {operationId: get, tags: [items], responses: {'204': {description: ok}}}
              /c:
                get: {operationId: items, tags: [items], responses: {'204': {description: ok}}}
            """;
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(Document, ClientName, Namespace, metadata: new Dictionary<string, string> { ["BasetenClientPerTag"] = "true" });

        AssertCleanOutput(run, output);

        // "get" is GetAsync, so items/get keeps ItemsGetAsync; "items" has nothing left to drop.
        Assert.Equal(["GetAsync", "ItemsAsync", "ItemsGetAsync"], ClientMethods(output, "ItemsClient"));
        Assert.Equal("Items", output.GetTypeByMetadataName("Zoo.ZooClient")!.GetMembers().OfType<IPropertySymbol>().Single(p => !p.IsStatic && p.DeclaredAccessibility == Accessibility.Public).Name);
    }

    [Fact]
    public void ChangingTheScope_ReGenerates_AndAnUnchangedScopeStaysCached()
    {
        var text = new GeneratorHarness.InMemoryText(GeneratorHarness.DefaultPath, s_zoo);
        Dictionary<string, string> options = GeneratorHarness.Options(ClientName, Namespace);
        options["build_metadata.AdditionalFiles.BasetenIncludeTags"] = "keepers";
        GeneratorDriver driver = GeneratorHarness.CreateDriver((text, options)).RunGenerators(GeneratorHarness.CreateCompilation());
        Compilation compilation = GeneratorHarness.CreateCompilation("class Unrelated { }");

        // The same scope, as a new options object: nothing re-runs past the inputs.
        GeneratorDriver same = driver.WithUpdatedAnalyzerConfigOptions(new OptionsProvider(text.Path, new Dictionary<string, string>(options))).RunGenerators(compilation);
        GeneratorRunResult cached = same.GetRunResult().Results.Single();
        Assert.All(Reasons(cached, TrackingNames.Parse), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(cached.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        options["build_metadata.AdditionalFiles.BasetenIncludeTags"] = "keepers;admin";
        GeneratorDriver widened = same.WithUpdatedAnalyzerConfigOptions(new OptionsProvider(text.Path, options)).RunGenerators(compilation);
        GeneratorRunResult result = widened.GetRunResult().Results.Single();

        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(result, TrackingNames.Inputs));
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(result, TrackingNames.Shape));
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(result, TrackingNames.Model));
        string client = result.GeneratedSources.Single(s => s.HintName == "Zoo.ZooClient.g.cs").SourceText.ToString();
        Assert.Contains("AdminDeletePetAsync", client, StringComparison.Ordinal);
        Assert.Contains(result.GeneratedSources, s => s.HintName == "Zoo.Pet.g.cs");

        // The scope's models compare by value: each step's output holds no Roslyn object.
        foreach (IncrementalGeneratorRunStep step in result.TrackedSteps.SelectMany(s => s.Value))
        {
            foreach ((object value, _) in step.Outputs)
            {
                Assert.IsNotAssignableFrom<ISymbol>(value);
                Assert.IsNotAssignableFrom<Compilation>(value);
            }
        }
    }

    [Fact]
    public void Scoped_OutputMatchesCheckedInBaselines_AndCompilesWithoutWarnings()
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(s_zoo, "ScopedClient", "Scenarios.Scoped", metadata: new Dictionary<string, string>
        {
            ["BasetenIncludeTags"] = "pets",
            ["BasetenExcludeOperations"] = "pets/create",
        });

        AssertCleanOutput(run, output);
        BaselineTests.AssertMatchesBaselines(run, Path.Combine(s_baselines, "Scoped"));
    }

    [Fact]
    public void SubClients_OutputMatchesCheckedInBaselines_AndCompilesWithoutWarnings()
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(s_zoo, "SubClientsClient", "Scenarios.SubClients", metadata: new Dictionary<string, string>
        {
            ["BasetenClientPerTag"] = "true",
        });

        AssertCleanOutput(run, output);
        BaselineTests.AssertMatchesBaselines(run, Path.Combine(s_baselines, "SubClients"));
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string step)
        => result.TrackedSteps[step].SelectMany(run => run.Outputs).Select(output => output.Reason).ToArray();

    private sealed class OptionsProvider(string path, IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(ImmutableDictionary<string, string>.Empty);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => textFile.Path == path ? new Options(values) : GlobalOptions;
    }

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            bool found = values.TryGetValue(key, out string? v);
            value = v ?? string.Empty;
            return found;
        }
    }
}
