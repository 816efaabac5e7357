using System;
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
/// The generated context against System.Text.Json's own generator over the same types: same bytes
/// out, same objects in, on the spec's examples and on random instances.
/// </summary>
public sealed class JsonContextTests
{
    // A different encoder makes STJ take the metadata path instead of the fast-path handlers.
    private static readonly BasetenJsonContext s_metadataPath = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.Default });

    // The generated context first, as the README says to compose it with another resolver.
    private static readonly JsonSerializerOptions s_composed = new() { TypeInfoResolver = JsonTypeInfoResolver.Combine(BasetenJsonContext.Default.AllTypes, ReferenceJsonContext.Default) };

    private static string Ours<T>(T value, JsonTypeInfo<T> info) => JsonSerializer.Serialize(value, info);

    [Fact]
    public void SeedResponseExample_SameObjectsAndBytes()
    {
        ChainEnvironmentV1 ours = JsonSerializer.Deserialize(SeedData.ResponseExample, BasetenJsonContext.Default.ChainEnvironmentV1)!;
        ChainEnvironmentV1 reference = JsonSerializer.Deserialize(SeedData.ResponseExample, ReferenceJsonContext.Default.ChainEnvironmentV1)!;

        string oursOut = Ours(ours, BasetenJsonContext.Default.ChainEnvironmentV1);
        Assert.Equal(oursOut, Ours(reference, BasetenJsonContext.Default.ChainEnvironmentV1));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SeedData.ResponseExample), JsonNode.Parse(oursOut)), oursOut);
    }

    [Fact]
    public void SeedRequestExample_RoundTrips_ExplicitNullsKept()
    {
        CreateChainEnvironmentRequestV1 request = JsonSerializer.Deserialize(SeedData.RequestExample, BasetenJsonContext.Default.CreateChainEnvironmentRequestV1)!;

        string fast = Ours(request, BasetenJsonContext.Default.CreateChainEnvironmentRequestV1);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SeedData.RequestExample), JsonNode.Parse(fast)), fast);
        Assert.Equal(fast, Ours(request, s_metadataPath.CreateChainEnvironmentRequestV1));
    }

    [Fact]
    public void RandomRequests_SameBytesAsSystemTextJson()
        => ModelGenerators.Request(assignNulls: false).Sample(request =>
            Assert.Equal(
                JsonSerializer.Serialize(request, ReferenceJsonContext.Default.CreateChainEnvironmentRequestV1),
                Ours(request, BasetenJsonContext.Default.CreateChainEnvironmentRequestV1)), iter: 500);

    [Fact]
    public void RandomResponses_SameBytesAsSystemTextJson()
        => ModelGenerators.Response(assignNulls: false).Sample(response =>
            Assert.Equal(
                JsonSerializer.Serialize(response, ReferenceJsonContext.Default.ChainEnvironmentV1),
                Ours(response, BasetenJsonContext.Default.ChainEnvironmentV1)), iter: 500);

    [Fact]
    public void RandomJson_SameObjectsAsSystemTextJson()
        => ModelGenerators.Response(assignNulls: true).Sample(response =>
        {
            string json = Ours(response, BasetenJsonContext.Default.ChainEnvironmentV1);
            ChainEnvironmentV1 ours = JsonSerializer.Deserialize(json, BasetenJsonContext.Default.ChainEnvironmentV1)!;
            ChainEnvironmentV1 reference = JsonSerializer.Deserialize(json, ReferenceJsonContext.Default.ChainEnvironmentV1)!;

            // Our serializer shows every difference, assigned nulls included.
            Assert.Equal(json, Ours(ours, BasetenJsonContext.Default.ChainEnvironmentV1));
            Assert.Equal(json, Ours(reference, BasetenJsonContext.Default.ChainEnvironmentV1));
        }, iter: 500);

    [Fact]
    public void RandomRequestsWithAssignedNulls_FastPathAndMetadataPathAgree()
        => ModelGenerators.Request(assignNulls: true).Sample(request =>
        {
            string fast = Ours(request, BasetenJsonContext.Default.CreateChainEnvironmentRequestV1);
            Assert.Equal(fast, Ours(request, s_metadataPath.CreateChainEnvironmentRequestV1));
            Assert.Equal(fast, Ours(JsonSerializer.Deserialize(fast, BasetenJsonContext.Default.CreateChainEnvironmentRequestV1)!, BasetenJsonContext.Default.CreateChainEnvironmentRequestV1));
        }, iter: 500);

    [Fact]
    public void AssignedNull_IsSent_UnassignedIsNot()
    {
        var settings = new UpdateAutoscalingSettingsV1 { MinReplica = 1, TargetInFlightTokens = null };

        Assert.Equal("""{"min_replica":1,"target_in_flight_tokens":null}""", Ours(settings, BasetenJsonContext.Default.UpdateAutoscalingSettingsV1));
        Assert.Equal("""{"min_replica":1,"target_in_flight_tokens":null}""", Ours(settings, s_metadataPath.UpdateAutoscalingSettingsV1));
    }

    [Fact]
    public void AssignedNull_WithAResolverThatReadsOnlyTheAttributes_IsRefusedNotDropped()
    {
        // System.Text.Json's own generator sees [JsonIgnore(WhenWritingNull)] and nothing of the assignment.
        var cleared = new UpdateAutoscalingSettingsV1 { MinReplica = 1, TargetInFlightTokens = null };
        var unassigned = new UpdateAutoscalingSettingsV1 { MinReplica = 1 };

        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => JsonSerializer.Serialize(cleared, ReferenceJsonContext.Default.UpdateAutoscalingSettingsV1));
        Assert.Contains("UpdateAutoscalingSettingsV1.TargetInFlightTokens was assigned null", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Ours(unassigned, BasetenJsonContext.Default.UpdateAutoscalingSettingsV1), JsonSerializer.Serialize(unassigned, ReferenceJsonContext.Default.UpdateAutoscalingSettingsV1));

        // Composed, the generated metadata serves the model, and the null is sent.
        Assert.Equal("""{"min_replica":1,"target_in_flight_tokens":null}""", JsonSerializer.Serialize(cleared, s_composed));
    }

    [Theory]
    [InlineData("""{"name": null}""", "'name' of CreateChainEnvironmentRequestV1")]
    [InlineData("""{"name": "x", "chainlet_settings": [{"chainlet_name": null}]}""", "'chainlet_name' of ChainletEnvironmentSettingsRequestV1")]
    public void NullForARequiredProperty_IsAJsonException(string json, string expected)
    {
        // System.Text.Json checks only that a required property is there (unless RespectNullableAnnotations is set).
        Assert.NotNull(JsonSerializer.Deserialize(json, ReferenceJsonContext.Default.CreateChainEnvironmentRequestV1));

        JsonException exception = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, BasetenJsonContext.Default.CreateChainEnvironmentRequestV1));

        Assert.Contains(expected + " is required and cannot be null", exception.Message, StringComparison.Ordinal);
        Assert.NotNull(exception.Path);
    }

    [Fact]
    public void OptionalPropertyThatCannotBeNull_IsNeverSentAsNull()
    {
        // instance_type_id is a plain string with a server default: null is not a legal value.
        var settings = new ChainletEnvironmentSettingsRequestV1 { ChainletName = "a", InstanceTypeId = null };

        Assert.Equal("""{"chainlet_name":"a"}""", Ours(settings, BasetenJsonContext.Default.ChainletEnvironmentSettingsRequestV1));
    }

    [Theory]
    [InlineData("""{"promotion_settings": null}""")]
    [InlineData("""{"name": "x", "chainlet_settings": [{"instance_type_id": "2x8"}]}""")]
    public void MissingRequiredProperty_FailsLikeSystemTextJson(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ReferenceJsonContext.Default.CreateChainEnvironmentRequestV1));
        JsonException ours = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, BasetenJsonContext.Default.CreateChainEnvironmentRequestV1));
        Assert.Contains("name", ours.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void OpenEnum_EqualityIsByWireText()
    {
        var fromText = new PromotionCleanupStrategyV1("KEEP");

        Assert.Equal(PromotionCleanupStrategyV1.Keep, fromText);
        Assert.True(fromText == PromotionCleanupStrategyV1.Keep);
        Assert.Equal(PromotionCleanupStrategyV1.Known.Keep, fromText.KnownValue);
        Assert.True(new PromotionCleanupStrategyV1("keep") != PromotionCleanupStrategyV1.Keep);
        Assert.False(new PromotionCleanupStrategyV1("keep").IsKnown);
        Assert.Throws<System.ArgumentNullException>(() => new PromotionCleanupStrategyV1(null!));
    }

    [Fact]
    public void WrongTokenForAnEnum_IsAJsonException()
        => Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"promotion_cleanup_strategy": 3}""", BasetenJsonContext.Default.UpdatePromotionSettingsV1));

    [Fact]
    public void KnownEnumValues_AreReadAsTheCachedInstances()
    {
        UpdatePromotionSettingsV1 a = JsonSerializer.Deserialize("""{"promotion_cleanup_strategy": "KEEP"}""", BasetenJsonContext.Default.UpdatePromotionSettingsV1)!;
        UpdatePromotionSettingsV1 b = JsonSerializer.Deserialize("""{"promotion_cleanup_strategy": "KEEP"}""", BasetenJsonContext.Default.UpdatePromotionSettingsV1)!;

        Assert.Same(a.PromotionCleanupStrategy, b.PromotionCleanupStrategy);
        Assert.Same(PromotionCleanupStrategyV1.Keep, a.PromotionCleanupStrategy);
    }

    [Fact]
    public void GetTypeInfo_ServesEveryModelAndEnum()
    {
        // Every schema of the seed document is named ...V1: the generated models and open enums.
        System.Type[] schemas = typeof(BasetenClient).Assembly.GetExportedTypes()
            .Where(type => type.Namespace == "Baseten.Aot" && !type.IsNested && type.Name.EndsWith("V1", System.StringComparison.Ordinal))
            .ToArray();

        Assert.True(schemas.Length >= 15, "found only " + schemas.Length + " schema types");
        foreach (System.Type type in schemas)
        {
            Assert.Equal(type, BasetenJsonContext.Default.GetTypeInfo(type)?.Type);
        }
    }

    [Fact]
    public void AsAResolver_AContextServesWhatItsTypedPropertiesReached_AndAllTypesServesEverything()
    {
        // Fresh contexts, so that no other test has registered anything in them.
        var reached = new BasetenJsonContext();
        var composed = new JsonSerializerOptions { TypeInfoResolver = reached };
        Assert.Throws<NotSupportedException>(() => composed.GetTypeInfo(typeof(InstanceTypeV1)));

        _ = reached.ChainletEnvironmentSettingsV1;
        Assert.Equal(typeof(InstanceTypeV1), composed.GetTypeInfo(typeof(InstanceTypeV1)).Type);

        var everything = new JsonSerializerOptions { TypeInfoResolver = new BasetenJsonContext().AllTypes };
        foreach (System.Type type in new[] { typeof(ChainEnvironmentV1), typeof(CreateChainEnvironmentRequestV1), typeof(DeploymentStatusV1), typeof(IReadOnlyList<ChainletV1>) })
        {
            Assert.Equal(type, everything.GetTypeInfo(type).Type);
        }
    }

    [Fact]
    public void IndentedOptions_StillUseTheGeneratedMetadata()
    {
        var indented = new BasetenJsonContext(new JsonSerializerOptions { WriteIndented = true });
        string json = JsonSerializer.Serialize(new UpdateAutoscalingSettingsV1 { MinReplica = 2 }, indented.UpdateAutoscalingSettingsV1);

        Assert.Equal("{\n  \"min_replica\": 2\n}", json.ReplaceLineEndings("\n"));
        Assert.Equal(Encoding.UTF8.GetByteCount(json), JsonSerializer.SerializeToUtf8Bytes(new UpdateAutoscalingSettingsV1 { MinReplica = 2 }, indented.UpdateAutoscalingSettingsV1).Length);
    }
}
