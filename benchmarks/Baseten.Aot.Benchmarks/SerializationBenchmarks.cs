using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
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
/// The generated JSON context against the floor (written by hand with Utf8JsonWriter and
/// Utf8JsonReader, the baseline), System.Text.Json's source generator, its reflection serializer
/// and Json.NET, on the seed request and a full ChainEnvironmentV1 response.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SerializationBenchmarks
{
    private static readonly JsonSerializerOptions s_reflection = GeneratedConverters.Options(typeof(ChainEnvironmentV1));
    private readonly HandWrittenJson _handWritten = new();
    private readonly ReusedJsonBuffer _basetenAot = new();
    private readonly ReusedJsonBuffer _stjGenerator = new();
    private readonly ReusedJsonBuffer _stjReflection = new();
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
        byte[] expected = _basetenAot.Write(_request, BasetenJsonContext.Default.CreateChainEnvironmentRequestV1).ToArray();
        foreach ((string name, byte[] written) in new[]
        {
            ("HandWritten", _handWritten.Write(_request).ToArray()),
            ("StjGenerator", _stjGenerator.Write(_request, StjGeneratedContext.Default.CreateChainEnvironmentRequestV1).ToArray()),
            ("StjReflection", _stjReflection.Write(_request, s_reflection).ToArray()),
            ("Newtonsoft", SerializeRequest_Newtonsoft()),
        })
        {
            if (!written.AsSpan().SequenceEqual(expected))
            {
                throw new InvalidOperationException($"Every serializer must write the same bytes for the comparison to mean anything; {name} wrote {System.Text.Encoding.UTF8.GetString(written)}");
            }
        }

        // And read the same response: compared through the generated context's own writer.
        byte[] read = JsonSerializer.SerializeToUtf8Bytes(DeserializeResponse_BasetenAot()!, BasetenJsonContext.Default.ChainEnvironmentV1);
        foreach ((string name, ChainEnvironmentV1? environment) in new[]
        {
            ("HandWritten", DeserializeResponse_HandWritten()),
            ("StjGenerator", DeserializeResponse_StjGenerator()),
            ("StjReflection", DeserializeResponse_StjReflection()),
            ("Newtonsoft", DeserializeResponse_Newtonsoft()),
        })
        {
            if (!JsonSerializer.SerializeToUtf8Bytes(environment!, BasetenJsonContext.Default.ChainEnvironmentV1).AsSpan().SequenceEqual(read))
            {
                throw new InvalidOperationException($"Every deserializer must read the same response; {name} read {JsonSerializer.Serialize(environment!, BasetenJsonContext.Default.ChainEnvironmentV1)}");
            }
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

    /// <summary>The floor: into a reused buffer, so it returns the length and allocates nothing.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Serialize request")]
    public int SerializeRequest_HandWritten() => _handWritten.Write(_request).Length;

    // The System.Text.Json candidates write as the client does (PooledJsonContent): through
    // JsonSerializer.Serialize into one reused Utf8JsonWriter over a reused buffer, like the floor.
    [Benchmark, BenchmarkCategory("Serialize request")]
    public int SerializeRequest_BasetenAot() => _basetenAot.Write(_request, BasetenJsonContext.Default.CreateChainEnvironmentRequestV1).Length;

    [Benchmark, BenchmarkCategory("Serialize request")]
    public int SerializeRequest_StjGenerator() => _stjGenerator.Write(_request, StjGeneratedContext.Default.CreateChainEnvironmentRequestV1).Length;

    [Benchmark, BenchmarkCategory("Serialize request")]
    public int SerializeRequest_StjReflection() => _stjReflection.Write(_request, s_reflection).Length;

    /// <summary>Json.NET writes UTF-16 text, so it returns a new UTF-8 byte[] as a user of it gets one.</summary>

    [Benchmark, BenchmarkCategory("Serialize request")]
    public byte[] SerializeRequest_Newtonsoft() => NewtonsoftSettings.Serialize(_request);

    [Benchmark(Baseline = true), BenchmarkCategory("Deserialize response")]
    public ChainEnvironmentV1? DeserializeResponse_HandWritten() => HandWrittenJson.ReadChainEnvironment(_response);

    [Benchmark, BenchmarkCategory("Deserialize response")]
    public ChainEnvironmentV1? DeserializeResponse_BasetenAot() => JsonSerializer.Deserialize(_response, BasetenJsonContext.Default.ChainEnvironmentV1);

    [Benchmark, BenchmarkCategory("Deserialize response")]
    public ChainEnvironmentV1? DeserializeResponse_StjGenerator() => JsonSerializer.Deserialize(_response, StjGeneratedContext.Default.ChainEnvironmentV1);

    [Benchmark, BenchmarkCategory("Deserialize response")]
    public ChainEnvironmentV1? DeserializeResponse_StjReflection() => JsonSerializer.Deserialize<ChainEnvironmentV1>(_response, s_reflection);

    [Benchmark, BenchmarkCategory("Deserialize response")]
    public ChainEnvironmentV1? DeserializeResponse_Newtonsoft() => NewtonsoftSettings.Deserialize<ChainEnvironmentV1>(_response);
}
