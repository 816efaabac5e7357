using System;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Baseten.Aot.Tests.Shapes;
using CsCheck;

namespace Baseten.Aot.Tests;

/// <summary>
/// The unions inside a response model, read and written by the context's generated code (what
/// <c>Default</c> uses: each union's cases by their own generated readers and writers) against the
/// unions' converters over object metadata (what a context whose options could customize a contract
/// uses): the same objects or the same failure, and the same JSON written, on hand-picked and on
/// mutated JSON.
/// </summary>
public sealed class GeneratedUnionTests
{
    // A converter for a type no model holds: it changes nothing written or read, but with it the
    // context gives every model object metadata and reads and writes the unions through their converters.
    private static readonly ShapesJsonContext s_metadataPath = new(new JsonSerializerOptions { Converters = { new UnusedConverter() } });

    private const string Enclosure = """
        {"id":1,"kind":"enclosure","animals":[{"species":"cat","name":"Tom"},{"species":"Dog","good":true},{"species":"fish","fins":2},{"name":"no species"}],
         "price":"9.99","tags":["big",{"secret_name":"s"},{"secret_name":"t","extra":[1,{"a":null}]},7,null],
         "admission":{"row":1,"seat":2},"feeding":{"hay":3,"oats":4},"keeper":{"name":"Ana","badge":7},"visitors":3000000000}
        """;

    private sealed class UnusedConverter : JsonConverter<Version>
    {
        public override Version Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Version value, JsonSerializerOptions options) => throw new NotSupportedException();
    }

    // What a reader made of the JSON, as the metadata path writes it, or the failure.
    private static string Outcome(string json, JsonTypeInfo<Shapes.Enclosure> info)
    {
        Shapes.Enclosure? value;
        try
        {
            value = JsonSerializer.Deserialize(json, info);
        }
        catch (JsonException)
        {
            return "JsonException";
        }

        return value is null ? "null" : Written(value, s_metadataPath.Enclosure);
    }

    // A value that cannot be JSON (1e400 read as a number is infinity) fails the writer, on both paths.
    private static string Written(Shapes.Enclosure value, JsonTypeInfo<Shapes.Enclosure> info)
    {
        try
        {
            return JsonSerializer.Serialize(value, info);
        }
        catch (ArgumentException exception)
        {
            return "cannot write: " + exception.GetType().Name;
        }
    }

    private static void SameAsMetadataPath(string json)
    {
        string direct = Outcome(json, ShapesJsonContext.Default.Enclosure);
        Assert.Equal(Outcome(json, s_metadataPath.Enclosure), direct);
        if (direct != "JsonException" && direct != "null")
        {
            Shapes.Enclosure value = JsonSerializer.Deserialize(json, ShapesJsonContext.Default.Enclosure)!;
            Assert.Equal(Written(value, s_metadataPath.Enclosure), Written(value, ShapesJsonContext.Default.Enclosure));
        }
    }

    [Fact]
    public void TheTwoPaths_AreWhatTheyClaimToBe()
    {
        Assert.Equal(JsonTypeInfoKind.None, ShapesJsonContext.Default.Enclosure.Kind);
        Assert.Equal(JsonTypeInfoKind.Object, s_metadataPath.Enclosure.Kind);
    }

    [Theory]
    [InlineData(Enclosure)]
    // A case whose member has the wrong kind of token: the reader's own exception, which the metadata
    // path turns into a JsonException and so into the next case or the unmatched value.
    [InlineData("""{"id":1,"animals":[],"tags":[{"secret_name":5},{"secret_name":true},{"secret_name":{}}]}""")]
    [InlineData("""{"id":1,"animals":[],"admission":{"row":"1","seat":2}}""")]
    [InlineData("""{"id":1,"animals":[],"admission":{"row":1.5,"seat":2}}""")]
    [InlineData("""{"id":1,"animals":[],"admission":{"valid_until":"not a date"}}""")]
    [InlineData("""{"id":1,"animals":[],"admission":{"valid_until":"2026-01-01T00:00:00Z","row":1}}""")]
    [InlineData("""{"id":1,"animals":[],"admission":{"row":1,"seat":null}}""")]
    [InlineData("""{"id":1,"animals":[],"feeding":{"hay":"x"}}""")]
    [InlineData("""{"id":1,"animals":[],"feeding":{"hay":1e400}}""")]
    [InlineData("""{"id":1,"animals":[],"feeding":["hay",1]}""")]
    [InlineData("""{"id":1,"animals":[],"feeding":[null,"hay"]}""")]
    [InlineData("""{"id":1,"animals":[],"price":true,"tags":[[],{}]}""")]
    [InlineData("""{"id":1,"animals":[],"price":1e400}""")]
    // A variant that does not fit its own schema fails the read, on both paths.
    [InlineData("""{"id":1,"animals":[{"species":"cat"}]}""")]
    [InlineData("""{"id":1,"animals":[{"species":"cat","name":3}]}""")]
    [InlineData("""{"id":1,"animals":[null,{"species":"kitten","name":"k","indoor":"yes"}]}""")]
    public void HandPicked_ReadAndWriteAsTheMetadataPath(string json) => SameAsMetadataPath(json);

    // Mutations of the enclosure (a value replaced, a member removed, added or the members reordered,
    // in the model or inside a union's case): both paths read the same object, or both fail.
    [Fact]
    public void MutatedEnclosures_ReadAndWriteAsTheMetadataPath()
    {
        JsonNode seed = JsonNode.Parse(Enclosure)!;
        Gen<string> values = Gen.OneOfConst(
            "null", "0", "-1", "3", "1.5", "1e400", "4294967296", "true", "false", "\"\"", "\"s\"", "\"2026-01-01T00:00:00Z\"",
            "{}", "[]", "[null]", "[{}]", "[\"a\",1]", "{\"secret_name\":\"x\"}", "{\"secret_name\":1}", "{\"row\":1,\"seat\":2}",
            "{\"valid_until\":\"2026-01-01T00:00:00Z\"}", "{\"species\":\"cat\",\"name\":\"n\"}", "{\"species\":\"bird\"}", "{\"hay\":1}");

        Gen<string> mutated = Gen.Int[1, 4].SelectMany(count => Gen.Select(Gen.Int[0, int.MaxValue].Array[count], values.Array[count],
            (picks, replacements) =>
            {
                JsonNode json = seed.DeepClone();
                for (int i = 0; i < picks.Length; i++)
                {
                    GeneratedReaderTests.Mutate(json, picks[i], replacements[i]);
                }

                return json.ToJsonString();
            }));

        mutated.Sample(SameAsMetadataPath, iter: 2000);
    }
}
