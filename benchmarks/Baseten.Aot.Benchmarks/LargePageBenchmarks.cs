using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Baseten.Aot.Benchmarks.Live;
using BenchmarkDotNet.Attributes;

namespace Baseten.Aot.Benchmarks;

/// <summary>
/// One large page of Baseten's live management API: GET /v1/audit_logs, a ListAuditLogsResponseV1
/// of 250 entries, each with a discriminated union (event_data, one of 40-odd event types chosen
/// by event_type), open enums, dates and nullable members. The types are generated from
/// ../shared/baseten/management.openapi.json, read in place. The page is made in code from the
/// document's own schemas with a fixed seed (<see cref="PageFaker"/>): every required member, most
/// optional ones, nulls where the schema allows them.
/// Baseline: System.Text.Json's reflection serializer, given the generated unions' and enums'
/// converters (they carry no [JsonConverter] attribute). Not here: System.Text.Json's generator
/// (it cannot see types another generator writes: SYSLIB1030), and a hand-written floor or Json.NET
/// (each would need a reader or converter written for every variant of the union).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class LargePageBenchmarks
{
    public const int Entries = 250;
    public const int Seed = 20261130;

    private JsonSerializerOptions _reflection = null!;
    private byte[] _page = null!;

    [GlobalSetup]
    public void Setup()
    {
        string document = Path.Combine(GeneratorBenchmarks.FindRepositoryRoot(), "..", "shared", "baseten", "management.openapi.json");
        _page = PageFaker.AuditLogPage(document, Entries, Seed);

        _reflection = GeneratedConverters.Options(typeof(ListAuditLogsResponseV1));

        // Both read the same page: compared through the generated context's writer.
        byte[] expected = JsonSerializer.SerializeToUtf8Bytes(DeserializeLargePage_BasetenAot()!, LiveManagementJsonContext.Default.ListAuditLogsResponseV1);
        if (DeserializeLargePage_BasetenAot()!.Items.Count != Entries)
        {
            throw new InvalidOperationException("The page did not read whole.");
        }

        foreach ((string name, ListAuditLogsResponseV1? page) in new[] { ("StjReflection", DeserializeLargePage_StjReflection()) })
        {
            if (!JsonSerializer.SerializeToUtf8Bytes(page!, LiveManagementJsonContext.Default.ListAuditLogsResponseV1).AsSpan().SequenceEqual(expected))
            {
                throw new InvalidOperationException(name + " read the page differently.");
            }
        }
    }

    [Benchmark(Baseline = true)]
    public ListAuditLogsResponseV1? DeserializeLargePage_StjReflection() => JsonSerializer.Deserialize<ListAuditLogsResponseV1>(_page, _reflection);

    [Benchmark]
    public ListAuditLogsResponseV1? DeserializeLargePage_BasetenAot() => JsonSerializer.Deserialize(_page, LiveManagementJsonContext.Default.ListAuditLogsResponseV1);

}

/// <summary>
/// Makes JSON from a document's schemas with a seeded Random, so the page is the same on every run
/// and anyone can rerun it: objects get every required property and 80% of the optional ones,
/// anyOf [X, null] is null one time in four, a oneOf with a discriminator picks a mapped variant,
/// enums and consts take the document's values, date-times are ISO 8601, arrays hold 0 to 3 items.
/// </summary>
internal static class PageFaker
{
    private static readonly string[] s_words = ["staging", "production", "llama-3-70b", "whisper", "HelloWorld", "RandInt", "team-ml", "us-east-1", "a10g", "h100", "canary", "nightly"];

    public static byte[] AuditLogPage(string documentPath, int entries, int seed)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(documentPath));
        JsonElement schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var random = new Random(seed);
        var items = new JsonArray();
        for (int i = 0; i < entries; i++)
        {
            var entry = (JsonObject)Make(schemas, schemas.GetProperty("AuditLogEntryV1"), random, depth: 0)!;
            entry["id"] = "al_" + i.ToString("D6", CultureInfo.InvariantCulture);
            // The entry's event_type is the union's discriminator: the same value as its event_data's.
            entry["event_type"] = entry["event_data"]!["event_type"]!.DeepClone();
            items.Add(entry);
        }

        var page = new JsonObject { ["items"] = items, ["pagination"] = new JsonObject { ["has_more"] = true, ["cursor"] = "al_" + entries.ToString("D6", CultureInfo.InvariantCulture) } };
        return JsonSerializer.SerializeToUtf8Bytes(page);
    }

    private static JsonNode? Make(JsonElement schemas, JsonElement schema, Random random, int depth)
    {
        if (schema.TryGetProperty("$ref", out JsonElement reference))
        {
            return Make(schemas, schemas.GetProperty(reference.GetString()!.Split('/')[^1]), random, depth);
        }

        if (schema.TryGetProperty("const", out JsonElement constant))
        {
            return JsonNode.Parse(constant.GetRawText());
        }

        if (schema.TryGetProperty("enum", out JsonElement values))
        {
            return JsonNode.Parse(values[random.Next(values.GetArrayLength())].GetRawText());
        }

        if (schema.TryGetProperty("discriminator", out JsonElement discriminator) && discriminator.TryGetProperty("mapping", out JsonElement mapping))
        {
            JsonProperty[] variants = mapping.EnumerateObject().ToArray();
            return Make(schemas, schemas.GetProperty(variants[random.Next(variants.Length)].Value.GetString()!.Split('/')[^1]), random, depth);
        }

        if (schema.TryGetProperty("anyOf", out JsonElement anyOf) || schema.TryGetProperty("oneOf", out anyOf))
        {
            JsonElement[] options = anyOf.EnumerateArray().ToArray();
            JsonElement[] nonNull = options.Where(o => !(o.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")).ToArray();
            return nonNull.Length < options.Length && random.Next(4) == 0 ? null : Make(schemas, nonNull[random.Next(nonNull.Length)], random, depth);
        }

        if (schema.TryGetProperty("allOf", out JsonElement allOf) && allOf.GetArrayLength() == 1)
        {
            return Make(schemas, allOf[0], random, depth);
        }

        string type = schema.TryGetProperty("type", out JsonElement t2) && t2.ValueKind == JsonValueKind.String ? t2.GetString()! : schema.TryGetProperty("properties", out _) ? "object" : "string";
        switch (type)
        {
            case "object":
                var obj = new JsonObject();
                HashSet<string> required = schema.TryGetProperty("required", out JsonElement r) ? r.EnumerateArray().Select(e => e.GetString()!).ToHashSet() : [];
                if (schema.TryGetProperty("properties", out JsonElement properties))
                {
                    foreach (JsonProperty property in properties.EnumerateObject())
                    {
                        if (required.Contains(property.Name) || (depth < 4 && random.Next(5) != 0))
                        {
                            obj[property.Name] = Make(schemas, property.Value, random, depth + 1);
                        }
                    }
                }

                return obj;
            case "array":
                var array = new JsonArray();
                int count = depth < 4 ? random.Next(4) : 0;
                for (int i = 0; i < count; i++)
                {
                    array.Add(Make(schemas, schema.GetProperty("items"), random, depth + 1));
                }

                return array;
            case "integer":
                return random.Next(0, 100_000);
            case "number":
                return Math.Round(random.NextDouble() * 1000, 3);
            case "boolean":
                return random.Next(2) == 0;
            default:
                string format = schema.TryGetProperty("format", out JsonElement f) ? f.GetString() ?? "" : "";
                return format == "date-time"
                    ? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(random.Next(0, 300 * 86400)).AddMilliseconds(random.Next(1000)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)
                    : s_words[random.Next(s_words.Length)] + "-" + random.Next(100_000).ToString("x5", CultureInfo.InvariantCulture);
        }
    }
}
