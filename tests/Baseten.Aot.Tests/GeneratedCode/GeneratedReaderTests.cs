using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using CsCheck;

namespace Baseten.Aot.Tests;

/// <summary>
/// The generated reader (what the context uses for the models a response contains) against the
/// object metadata the context builds otherwise, and against System.Text.Json's own generator: the
/// same objects or the same failure, on hand-picked and on mutated JSON.
/// </summary>
public sealed class GeneratedReaderTests
{
    // A different encoder is an option the generated reader does not take: this context reads with object metadata.
    private static readonly BasetenJsonContext s_metadataPath = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.Default });

    // The seed response's members, without the braces around them.
    private static readonly string s_members = SeedData.ResponseExample.Trim()[1..^1];

    // Composed with a modifier that makes chain_id optional: the context must show the properties.
    private static readonly JsonSerializerOptions s_modified = new()
    {
        TypeInfoResolver = new BasetenJsonContext().AllTypes.WithAddedModifier(static info =>
        {
            if (info.Type == typeof(ChainEnvironmentV1))
            {
                foreach (JsonPropertyInfo property in info.Properties)
                {
                    property.IsRequired &= property.Name != "chain_id";
                }
            }
        }),
    };

    private static string Written(ChainEnvironmentV1 value) => JsonSerializer.Serialize(value, BasetenJsonContext.Default.ChainEnvironmentV1);

    // What each reader made of the JSON, as our writer shows it (assigned nulls included), or the failure.
    private static string Outcome(string json, JsonTypeInfo<ChainEnvironmentV1> info)
    {
        try
        {
            ChainEnvironmentV1? value = JsonSerializer.Deserialize(json, info);
            return value is null ? "null" : Written(value);
        }
        catch (JsonException)
        {
            return "JsonException";
        }
    }

    private static void SameAsMetadataPath(string json)
    {
        string direct = Outcome(json, BasetenJsonContext.Default.ChainEnvironmentV1);
        Assert.Equal(Outcome(json, s_metadataPath.ChainEnvironmentV1), direct);
    }

    [Fact]
    public void ResponseModels_UseTheGeneratedReader_ElsewhereObjectMetadataIsKept()
    {
        Assert.Equal(JsonTypeInfoKind.None, BasetenJsonContext.Default.ChainEnvironmentV1.Kind);
        Assert.Equal(JsonTypeInfoKind.Object, s_metadataPath.ChainEnvironmentV1.Kind);

        // Only sent, never read by the client: System.Text.Json's object converter, as before.
        Assert.Equal(JsonTypeInfoKind.Object, BasetenJsonContext.Default.CreateChainEnvironmentRequestV1.Kind);

        JsonObject response = JsonNode.Parse(SeedData.ResponseExample)!.AsObject();
        response.Remove("chain_id");
        string withoutChainId = response.ToJsonString();
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(withoutChainId, BasetenJsonContext.Default.ChainEnvironmentV1));
        Assert.Null(JsonSerializer.Deserialize<ChainEnvironmentV1>(withoutChainId, s_modified)!.ChainId);
    }

    [Fact]
    public void OptionsThatChangeHowObjectsAreRead_GetObjectMetadata_AndAreHonoured()
    {
        JsonObject json = JsonNode.Parse(SeedData.ResponseExample)!.AsObject();
        json["Chain_ID"] = json["chain_id"]!.DeepClone();
        json.Remove("chain_id");
        json["unknown"] = 1;
        string text = json.ToJsonString();

        var caseInsensitive = new BasetenJsonContext(new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
        Assert.Equal(JsonTypeInfoKind.Object, caseInsensitive.ChainEnvironmentV1.Kind);
        Assert.Equal("abc123", JsonSerializer.Deserialize(text, caseInsensitive.ChainEnvironmentV1)!.ChainId);

        var strict = new BasetenJsonContext(new JsonSerializerOptions { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow });
        Assert.Equal(JsonTypeInfoKind.Object, strict.ChainEnvironmentV1.Kind);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(text.Replace("\"Chain_ID\"", "\"chain_id\"", StringComparison.Ordinal), strict.ChainEnvironmentV1));

        // Indentation changes no contract: the generated reader and writer stay.
        Assert.Equal(JsonTypeInfoKind.None, new BasetenJsonContext(new JsonSerializerOptions { WriteIndented = true }).ChainEnvironmentV1.Kind);
    }

    [Fact]
    public void SeedResponse_ReadsAsTheMetadataPathAndSystemTextJsonRead()
    {
        string reference = Written(JsonSerializer.Deserialize(SeedData.ResponseExample, ReferenceJsonContext.Default.ChainEnvironmentV1)!);

        Assert.Equal(reference, Outcome(SeedData.ResponseExample, BasetenJsonContext.Default.ChainEnvironmentV1));
        Assert.Equal(reference, Outcome(SeedData.ResponseExample, s_metadataPath.ChainEnvironmentV1));
    }

    [Fact]
    public void EscapedPropertyNames_AreMatchedUnescaped()
    {
        // "n\u0061me", "ch\u0061in_id", ... : every name with its first 'a' written as an escape.
        string escaped = System.Text.RegularExpressions.Regex.Replace(SeedData.ResponseExample, "\"([a-z_]*?)a([a-z_]*)\":", "\"$1\\u0061$2\":");
        Assert.Contains("\\u0061", escaped, StringComparison.Ordinal);

        Assert.Equal(Outcome(SeedData.ResponseExample, BasetenJsonContext.Default.ChainEnvironmentV1), Outcome(escaped, BasetenJsonContext.Default.ChainEnvironmentV1));

        // An escape that spells a name that is not there, and an escaped name far longer than any: unknown, skipped.
        string unknown = "{\"n\\u0062me\":\"x\",\"" + string.Concat(Enumerable.Repeat("\\u0061", 200)) + "\":[1]," + s_members + "}";
        Assert.Equal(Outcome(SeedData.ResponseExample, BasetenJsonContext.Default.ChainEnvironmentV1), Outcome(unknown, BasetenJsonContext.Default.ChainEnvironmentV1));
    }

    [Fact]
    public void OutOfOrderAndUnknownMembers_WithNestedValues_ReadAsInOrder()
    {
        JsonObject original = JsonNode.Parse(SeedData.ResponseExample)!.AsObject();
        var reordered = new JsonObject();
        reordered["unknown_object"] = JsonNode.Parse("""{"name": "not mine", "a": [1, {"b": [[], {}]}], "created_at": 5}""");
        foreach (KeyValuePair<string, JsonNode?> member in original.Reverse().ToList())
        {
            reordered[member.Key] = member.Value?.DeepClone();
            reordered["unknown_after_" + member.Key] = JsonNode.Parse("""[{"chain_id": null}, "x", 1.5, true, null]""");
        }

        string json = reordered.ToJsonString();
        Assert.Equal(Outcome(SeedData.ResponseExample, BasetenJsonContext.Default.ChainEnvironmentV1), Outcome(json, BasetenJsonContext.Default.ChainEnvironmentV1));
        SameAsMetadataPath(json);
    }

    [Fact]
    public void RepeatedMember_TheLastWins_AsInSystemTextJson()
    {
        string json = "{\"name\":\"first\"," + s_members + ",\"name\":\"last\",\"promotion_settings\":{}}";

        ChainEnvironmentV1 ours = JsonSerializer.Deserialize(json, BasetenJsonContext.Default.ChainEnvironmentV1)!;
        Assert.Equal("last", ours.Name);
        Assert.Null(ours.PromotionSettings.RedeployOnPromotion);
        Assert.Equal(Written(JsonSerializer.Deserialize(json, ReferenceJsonContext.Default.ChainEnvironmentV1)!), Written(ours));
        SameAsMetadataPath(json);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("created_at")]
    [InlineData("chainlet_settings")]
    [InlineData("current_deployment")]
    public void MissingRequiredMember_IsAJsonExceptionThatNamesIt(string member)
    {
        JsonObject json = JsonNode.Parse(SeedData.ResponseExample)!.AsObject();
        json.Remove(member);

        JsonException exception = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json.ToJsonString(), BasetenJsonContext.Default.ChainEnvironmentV1));
        Assert.Contains("ChainEnvironmentV1 is missing required properties: '" + member + "'", exception.Message, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json.ToJsonString(), ReferenceJsonContext.Default.ChainEnvironmentV1));
    }

    [Fact]
    public void MissingRequiredMemberOfANestedModel_IsAJsonException()
    {
        JsonObject json = JsonNode.Parse(SeedData.ResponseExample)!.AsObject();
        json["chainlet_settings"]![0]!["instance_type"]!.AsObject().Remove("gpu_count");

        JsonException exception = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json.ToJsonString(), BasetenJsonContext.Default.ChainEnvironmentV1));
        Assert.Contains("InstanceTypeV1 is missing required properties: 'gpu_count'", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name", "'name' of ChainEnvironmentV1")]
    [InlineData("promotion_settings", "'promotion_settings' of ChainEnvironmentV1")]
    [InlineData("chainlet_settings", "'chainlet_settings' of ChainEnvironmentV1")]
    public void NullForARequiredMember_IsAJsonException(string member, string expected)
    {
        JsonObject json = JsonNode.Parse(SeedData.ResponseExample)!.AsObject();
        json[member] = null;

        JsonException exception = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json.ToJsonString(), BasetenJsonContext.Default.ChainEnvironmentV1));
        Assert.Contains(expected + " is required and cannot be null", exception.Message, StringComparison.Ordinal);
        Assert.NotNull(exception.Path);
    }

    [Fact]
    public void NullForARequiredNullableMember_IsRead()
    {
        JsonObject json = JsonNode.Parse(SeedData.ResponseExample)!.AsObject();
        json["current_deployment"] = null;

        Assert.Null(JsonSerializer.Deserialize(json.ToJsonString(), BasetenJsonContext.Default.ChainEnvironmentV1)!.CurrentDeployment);
    }

    public static TheoryData<string, string> WrongTokens => new()
    {
        { "name", "1" },
        { "name", "{}" },
        { "created_at", "\"yesterday\"" },
        { "created_at", "12" },
        { "promotion_settings", "[]" },
        { "promotion_settings", "\"x\"" },
        { "chainlet_settings", "{}" },
        { "chainlet_settings", "[1]" },
        { "current_deployment", "true" },
    };

    [Theory]
    [MemberData(nameof(WrongTokens))]
    public void WrongTokenForAMember_IsAJsonException_LikeSystemTextJson(string member, string value)
    {
        JsonObject json = JsonNode.Parse(SeedData.ResponseExample)!.AsObject();
        json[member] = JsonNode.Parse(value);
        string text = json.ToJsonString();

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(text, ReferenceJsonContext.Default.ChainEnvironmentV1));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(text, BasetenJsonContext.Default.ChainEnvironmentV1));
    }

    [Theory]
    [InlineData("max_replica", "\"3\"")]
    [InlineData("max_replica", "3.5")]
    [InlineData("max_replica", "9223372036854775808")]
    [InlineData("max_replica", "null")]
    [InlineData("autoscaling_window", "[]")]
    [InlineData("concurrency_target", "false")]
    public void WrongNumberInANestedModel_IsAJsonException(string member, string value)
    {
        JsonObject json = JsonNode.Parse(SeedData.ResponseExample)!.AsObject();
        json["chainlet_settings"]![0]!["autoscaling_settings"]![member] = JsonNode.Parse(value);
        string text = json.ToJsonString();

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(text, ReferenceJsonContext.Default.ChainEnvironmentV1));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(text, BasetenJsonContext.Default.ChainEnvironmentV1));
    }

    [Fact]
    public void DeepUnknownMember_IsSkippedWithinTheDepthLimit_AndPastItIsAJsonException()
    {
        static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":[", depth)) + "1" + string.Concat(Enumerable.Repeat("]}", depth));
        static string Within(int depth) => "{\"unknown\":" + Nested(depth) + "," + s_members + "}";

        // The root object is depth 1; each level adds an object and an array. 64 is System.Text.Json's default MaxDepth.
        Assert.Equal(Outcome(SeedData.ResponseExample, BasetenJsonContext.Default.ChainEnvironmentV1), Outcome(Within(31), BasetenJsonContext.Default.ChainEnvironmentV1));
        SameAsMetadataPath(Within(31));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(Within(40), BasetenJsonContext.Default.ChainEnvironmentV1));
        SameAsMetadataPath(Within(40));
    }

    [Fact]
    public void InputSplitAcrossBuffers_ReadsTheSame_AtEverySplit()
    {
        // A reader over a sequence gives names that straddle two segments as a ValueSequence.
        string escaped = SeedData.ResponseExample.Replace("\"chain_id\"", "\"ch\\u0061in_id\"", StringComparison.Ordinal);
        byte[] bytes = Encoding.UTF8.GetBytes(escaped);
        string expected = Outcome(SeedData.ResponseExample, BasetenJsonContext.Default.ChainEnvironmentV1);
        for (int split = 1; split < bytes.Length; split++)
        {
            var first = new Segment(bytes.AsMemory(0, split));
            Segment last = first.Append(bytes.AsMemory(split));
            var reader = new Utf8JsonReader(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));
            ChainEnvironmentV1 value = JsonSerializer.Deserialize(ref reader, BasetenJsonContext.Default.ChainEnvironmentV1)!;
            Assert.True(expected == Written(value), "split at " + split);
        }
    }

    [Fact]
    public void UnionsInsideAModelInsideTheResponse_AreReadWithAFreshContext()
    {
        const string Enclosure = """
            {"id":1,"animals":[{"species":"cat","name":"Tom"},{"species":"Dog","good":true},{"species":"fish"}],
             "price":"12.50","tags":["a",{"secret_name":"s"}],"admission":{"row":1,"seat":2},"feeding":{"hay":3}}
            """;
        string json = "{\"enclosures\":[" + Enclosure + "," + Enclosure + "]}";

        // Nothing has been read with this context: only what Zoo's reader registers is there.
        var context = new Shapes.ShapesJsonContext();
        Shapes.Zoo zoo = JsonSerializer.Deserialize(json, context.Zoo)!;

        Assert.IsType<Shapes.Cat>(zoo.Enclosures[1].Animals[0]);
        Assert.IsType<Shapes.Animal.Unknown>(zoo.Enclosures[1].Animals[2]);
        Assert.Equal("s", zoo.Enclosures[0].Tags![1].Secret!.SecretName);
        string direct = JsonSerializer.Serialize(JsonSerializer.Deserialize(Enclosure, Shapes.ShapesJsonContext.Default.Enclosure)!, Shapes.ShapesJsonContext.Default.Enclosure);
        Assert.Equal("{\"enclosures\":[" + direct + "," + direct + "]}", JsonSerializer.Serialize(zoo, context.Zoo));
    }

    // Mutations of the seed response (a value replaced, a member removed, renamed or added, members
    // reordered): the generated reader and the object metadata must read the same object or both fail.
    [Fact]
    public void MutatedResponses_ReadAsTheMetadataPathDoes()
    {
        JsonNode seed = JsonNode.Parse(SeedData.ResponseExample)!;
        Gen<string> values = Gen.OneOfConst(
            "null", "0", "-1", "3", "1.5", "1e400", "4294967296", "9223372036854775808", "true", "false",
            "\"\"", "\"KEEP\"", "\"x\\u0041\"", "\"2026-01-01T00:00:00Z\"", "\"2026-13-01\"", "{}", "[]", "[null]", "[{}]",
            "{\"name\":\"n\",\"id\":\"i\"}", "[{\"chainlet_name\":\"c\",\"instance_type\":{}}]");

        Gen<string> mutated = Gen.Int[1, 4].SelectMany(count => Gen.Select(Gen.Int[0, int.MaxValue].Array[count], values.Array[count],
            (picks, replacements) =>
            {
                JsonNode json = seed.DeepClone();
                for (int i = 0; i < picks.Length; i++)
                {
                    Mutate(json, picks[i], replacements[i]);
                }

                return json.ToJsonString();
            }));

        mutated.Sample(SameAsMetadataPath, iter: 2000);
    }

    // One member of one object of the document (as pick says) replaced, removed, added beside or reordered.
    internal static void Mutate(JsonNode root, int pick, string replacement)
    {
        var objects = new List<JsonObject>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    objects.Add(o);
                    foreach (KeyValuePair<string, JsonNode?> member in o)
                    {
                        Walk(member.Value);
                    }

                    break;
                case JsonArray a:
                    foreach (JsonNode? item in a)
                    {
                        Walk(item);
                    }

                    break;
            }
        }

        Walk(root);
        JsonObject target = objects[pick % objects.Count];
        List<string> keys = target.Select(m => m.Key).ToList();
        string key = keys.Count == 0 ? "name" : keys[(pick / objects.Count) % keys.Count];
        switch ((pick / 7) % 4)
        {
            case 0:
                target[key] = JsonNode.Parse(replacement);
                break;
            case 1:
                target.Remove(key);
                break;
            case 2:
                target["extra_" + key] = JsonNode.Parse(replacement);
                break;
            default:
                var members = target.Select(m => (m.Key, m.Value?.DeepClone())).Reverse().ToList();
                target.Clear();
                foreach ((string name, JsonNode? value) in members)
                {
                    target[name] = value;
                }

                break;
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
