using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// A model that keeps extra members (<c>additionalProperties: true</c>): its generated writer refuses
/// an extra member whose name a declared property writes, with an <see cref="ArgumentException"/>
/// that names the property to set instead, and writes every other extra member once, after the
/// declared ones. Both a model that is read and written and one that is only sent are checked.
/// </summary>
public sealed class RepeatedExtraMemberTests
{
    private const string Spec = """
        openapi: 3.1.0
        info: { title: Extra, version: '1' }
        servers: [{ url: 'https://extra.example.com' }]
        paths:
          /items:
            post:
              operationId: echoItem
              requestBody: { required: true, content: { application/json: { schema: { $ref: '#/components/schemas/Item' } } } }
              responses:
                '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Item' } } } }
          /orders:
            post:
              operationId: sendOrder
              requestBody: { required: true, content: { application/json: { schema: { $ref: '#/components/schemas/Order' } } } }
              responses: { '204': { description: done } }
        components:
          schemas:
            Item:
              type: object
              additionalProperties: true
              properties:
                name: { type: string }
                top_k: { type: integer }
                created: { type: string, readOnly: true }
            Order:
              type: object
              additionalProperties: true
              required: [id]
              properties:
                id: { type: string }
        """;

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static object WithExtra(GeneratedAssembly generated, string model, Dictionary<string, JsonElement> extra, params (string Property, object Value)[] values)
    {
        Type type = generated.Assembly.GetType("Extra." + model, throwOnError: true)!;
        object instance = Activator.CreateInstance(type)!;
        type.GetProperty("AdditionalProperties")!.SetValue(instance, extra);
        foreach ((string property, object value) in values)
        {
            type.GetProperty(property)!.SetValue(instance, value);
        }

        return instance;
    }

    [Theory]
    [InlineData("Item", "name", "Item.Name")]
    [InlineData("Item", "top_k", "Item.TopK")]
    [InlineData("Order", "id", "Order.Id")]
    public void AnExtraMemberThatRepeatsADeclaredOne_IsRefusedOnWrite(string model, string name, string property)
    {
        (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(Spec, "ExtraClient", "Extra");
        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        using GeneratedAssembly generated = GeneratedAssembly.Load(output);
        JsonTypeInfo info = generated.TypeInfo("Extra.ExtraJsonContext", model);
        object value = WithExtra(generated, model, new Dictionary<string, JsonElement> { ["harmless"] = Json("1"), [name] = Json("2") }, model == "Order" ? [("Id", "o1")] : []);

        ArgumentException refused = Assert.Throws<ArgumentException>(() => JsonSerializer.Serialize(value, info));

        Assert.Equal(
            model + ".AdditionalProperties has \"" + name + "\", which " + property + " sends: set that property instead (an extra member is never sent beside the declared one of the same name).",
            refused.Message);
    }

    [Fact]
    public void OtherExtraMembers_AreWrittenOnce_AfterTheDeclaredOnes()
    {
        (_, Compilation output) = GeneratorHarness.Run(Spec, "ExtraClient", "Extra");
        using GeneratedAssembly generated = GeneratedAssembly.Load(output);
        JsonTypeInfo item = generated.TypeInfo("Extra.ExtraJsonContext", "Item");
        JsonTypeInfo order = generated.TypeInfo("Extra.ExtraJsonContext", "Order");

        // A read-only member is never written, so an extra member of its name repeats nothing.
        object itemValue = WithExtra(generated, "Item", new Dictionary<string, JsonElement> { ["min_p"] = Json("0.1"), ["created"] = Json("\"then\""), ["Name"] = Json("3") }, ("Name", "n"));
        Assert.Equal("""{"name":"n","min_p":0.1,"created":"then","Name":3}""", JsonSerializer.Serialize(itemValue, item));

        object orderValue = WithExtra(generated, "Order", new Dictionary<string, JsonElement> { ["priority"] = Json("true") }, ("Id", "o1"));
        Assert.Equal("""{"id":"o1","priority":true}""", JsonSerializer.Serialize(orderValue, order));
    }

    [Fact]
    public void AModelReadFromAServer_IsWrittenBackAsItCame()
    {
        (_, Compilation output) = GeneratorHarness.Run(Spec, "ExtraClient", "Extra");
        using GeneratedAssembly generated = GeneratedAssembly.Load(output);
        JsonTypeInfo item = generated.TypeInfo("Extra.ExtraJsonContext", "Item");

        // The reader keeps only undeclared names, so nothing read is refused when it is sent back.
        Assert.Equal("""{"name":"n","top_k":4,"newer":{"a":[1]}}""", GeneratedAssembly.RoundTrip("""{"name":"n","top_k":4,"newer":{"a":[1]}}""", item));
    }

    [Fact]
    public void TheWriter_LooksEachExtraMemberUpOnce()
    {
        (GeneratorDriverRunResult run, _) = GeneratorHarness.Run(Spec, "ExtraClient", "Extra");
        string context = string.Concat(run.GeneratedTrees.Where(t => t.FilePath.EndsWith("ExtraJsonContext.Item.g.cs", StringComparison.Ordinal)).Select(t => t.ToString()));

        Assert.Equal(1, CountOf(context, "global::Extra.Item.DeclaredPropertyOf(kept.Key)"));
        Assert.Equal(1, CountOf(context, "global::Baseten.Aot.Http.GeneratedJson.RepeatedMember(\"Item\", kept.Key, declared)"));
    }

    private static int CountOf(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
