using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using YamlDotNet.RepresentationModel;

namespace Baseten.Aot.Tests;

/// <summary>
/// Every <c>examples</c> entry of every property in spec/baseten.openapi.yaml, read with the
/// generated metadata of that property's C# type and written back: the same JSON comes out.
/// </summary>
public sealed class SpecExampleTests
{
    public static TheoryData<string, string, string> Examples()
    {
        var data = new TheoryData<string, string, string>();
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(PrismFixture.RepositoryRoot, "spec", "baseten.openapi.yaml"))));
        var schemas = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["components"])["schemas"];
        foreach ((YamlNode schemaName, YamlNode schema) in schemas.Children)
        {
            if (((YamlMappingNode)schema).Children.TryGetValue("properties", out YamlNode? properties))
            {
                foreach ((YamlNode propertyName, YamlNode property) in ((YamlMappingNode)properties).Children)
                {
                    if (((YamlMappingNode)property).Children.TryGetValue("examples", out YamlNode? examples))
                    {
                        foreach (YamlNode example in (YamlSequenceNode)examples)
                        {
                            data.Add(schemaName.ToString(), propertyName.ToString(), ToJson(example)?.ToJsonString() ?? "null");
                        }
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void PropertyExample_RoundTripsThroughTheGeneratedMetadata(string schema, string property, string example)
    {
        Type model = typeof(BasetenClient).Assembly.GetType("Baseten.Aot." + schema, throwOnError: true)!;
        PropertyInfo member = model.GetProperties().Single(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name == property);
        JsonTypeInfo typeInfo = BasetenJsonContext.Default.GetTypeInfo(member.PropertyType)
            ?? throw new InvalidOperationException("no metadata for " + member.PropertyType);

        object? value = JsonSerializer.Deserialize(example, typeInfo);
        string written = JsonSerializer.Serialize(value, typeInfo);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(example), JsonNode.Parse(written)), $"{schema}.{property}: {example} came back as {written}");
    }

    [Fact]
    public void TheSpecHasExamplesOfModelsEnumsAndLists()
        => Assert.True(Examples().Count >= 20);

    // YAML to JSON with YAML's core schema: plain null, booleans and numbers mean themselves.
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(c.Key.ToString(), ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "null" or "~" } => null,
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } scalar => JsonValue.Create(scalar.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar when long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number) => JsonValue.Create(number),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException("unexpected YAML node " + node.NodeType),
    };
}
