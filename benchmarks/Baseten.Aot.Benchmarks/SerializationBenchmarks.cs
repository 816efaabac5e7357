using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Baseten.Aot.Benchmarks;

/// <summary>System.Text.Json's own source generator over the same model types: the baseline.</summary>
// The open enums carry no [JsonConverter] attribute (a trimmed app keeps only the converters it
// uses), so this context, like any other resolver over the models, is given theirs; their nested
// Known enums need names of their own.
[JsonSourceGenerationOptions(Converters = [typeof(DeploymentStatusV1.Converter), typeof(PromotionCleanupStrategyV1.Converter), typeof(RollingDeployStrategyV1.Converter)])]
[JsonSerializable(typeof(DeploymentStatusV1.Known), TypeInfoPropertyName = "DeploymentStatusV1Known")]
[JsonSerializable(typeof(PromotionCleanupStrategyV1.Known), TypeInfoPropertyName = "PromotionCleanupStrategyV1Known")]
[JsonSerializable(typeof(RollingDeployStrategyV1.Known), TypeInfoPropertyName = "RollingDeployStrategyV1Known")]
[JsonSerializable(typeof(CreateChainEnvironmentRequestV1))]
[JsonSerializable(typeof(ChainEnvironmentV1))]
internal sealed partial class StjGeneratedContext : JsonSerializerContext;

/// <summary>
/// The generated JSON context against System.Text.Json's source generator (baseline) and its
/// reflection serializer, on the seed request and a full ChainEnvironmentV1 response.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SerializationBenchmarks
{
    private static readonly JsonSerializerOptions s_reflection = new();
    private CreateChainEnvironmentRequestV1 _request = null!;
    private byte[] _response = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The seed request without its explicit nulls: STJ's generator omits nulls (WhenWritingNull)
        // while ours sends assigned nulls, and a fair comparison writes the same bytes.
        JsonNode request = JsonNode.Parse(Baseten.Aot.Tests.SeedData.RequestExample)!;
        RemoveNulls(request);
        _request = request.Deserialize(BasetenJsonContext.Default.CreateChainEnvironmentRequestV1)!;
        _response = System.Text.Encoding.UTF8.GetBytes(Baseten.Aot.Tests.SeedData.ResponseExample);
        if (!SerializeRequest_StjGenerator().AsSpan().SequenceEqual(SerializeRequest_BasetenAot()))
        {
            throw new InvalidOperationException("The two serializers must write the same bytes for the comparison to mean anything.");
        }
    }

    private static void RemoveNulls(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (string key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                obj.Remove(key);
            }

            foreach (KeyValuePair<string, JsonNode?> property in obj)
            {
                RemoveNulls(property.Value);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (JsonNode? item in array)
            {
                RemoveNulls(item);
            }
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Serialize request")]
    public byte[] SerializeRequest_StjGenerator() => JsonSerializer.SerializeToUtf8Bytes(_request, StjGeneratedContext.Default.CreateChainEnvironmentRequestV1);

    [Benchmark, BenchmarkCategory("Serialize request")]
    public byte[] SerializeRequest_BasetenAot() => JsonSerializer.SerializeToUtf8Bytes(_request, BasetenJsonContext.Default.CreateChainEnvironmentRequestV1);

    [Benchmark, BenchmarkCategory("Serialize request")]
    public byte[] SerializeRequest_StjReflection() => JsonSerializer.SerializeToUtf8Bytes(_request, s_reflection);

    [Benchmark(Baseline = true), BenchmarkCategory("Deserialize response")]
    public ChainEnvironmentV1? DeserializeResponse_StjGenerator() => JsonSerializer.Deserialize(_response, StjGeneratedContext.Default.ChainEnvironmentV1);

    [Benchmark, BenchmarkCategory("Deserialize response")]
    public ChainEnvironmentV1? DeserializeResponse_BasetenAot() => JsonSerializer.Deserialize(_response, BasetenJsonContext.Default.ChainEnvironmentV1);

    [Benchmark, BenchmarkCategory("Deserialize response")]
    public ChainEnvironmentV1? DeserializeResponse_StjReflection() => JsonSerializer.Deserialize<ChainEnvironmentV1>(_response, s_reflection);
}
