using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Benchmarks.Kiota;
using Baseten.Aot.Http;
using BenchmarkDotNet.Attributes;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using KiotaModels = Baseten.Aot.Benchmarks.Kiota.Models;

namespace Baseten.Aot.Benchmarks;

/// <summary>
/// One create-environment call (the seed operation: POST /v1/chains/{chain_id}/environments, the
/// seed request, the full ChainEnvironmentV1 answer) with no socket, so that each client's own cost
/// shows: every HttpClient sits on one in-memory handler that writes the request body to
/// Stream.Null and answers a canned 200 from a pre-encoded array. Candidates: the generated client
/// (retries off, one attempt with its timeout); the floor written by hand (HttpClient, JsonContent
/// and ReadFromJsonAsync over System.Text.Json's generator); the same by reflection
/// (PostAsJsonAsync, ReadFromJsonAsync&lt;T&gt;); and the client Kiota generates from the same
/// document at build time, over Kiota's default HttpClient (KiotaClientFactory: its middleware of
/// retry, redirect, parameters, user agent, headers inspection) as a Kiota user gets it.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class CallBenchmarks
{
    private static readonly Uri s_baseAddress = new("https://api.baseten.co");
    private static readonly Uri s_endpoint = new("https://api.baseten.co/v1/chains/abc123/environments");
    private static readonly JsonSerializerOptions s_reflection = GeneratedConverters.Options(typeof(ChainEnvironmentV1), new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private readonly CannedHandler _handler = new(HttpMethod.Post, s_endpoint, "Api-Key benchmark-key", System.Text.Encoding.UTF8.GetBytes(Baseten.Aot.Tests.SeedData.ResponseExample), "application/json");
    private HttpClient _handWrittenHttp = null!;
    private HttpClient _basetenHttp = null!;
    private HttpClient _kiotaHttp = null!;
    private BasetenClient _baseten = null!;
    private KiotaSeedClient _kiota = null!;
    private CreateChainEnvironmentRequestV1 _request = null!;
    private KiotaModels.CreateChainEnvironmentRequestV1 _kiotaRequest = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _handWrittenHttp = new HttpClient(_handler, disposeHandler: false);
        _basetenHttp = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        _baseten = new BasetenClient(_basetenHttp, new BasetenClientOptions { ApiKey = "benchmark-key", BaseAddress = s_baseAddress, Retry = RetryPolicy.None });
        _kiotaHttp = KiotaClientFactory.Create(_handler);
        var adapter = new HttpClientRequestAdapter(
            new ApiKeyAuthenticationProvider("Api-Key benchmark-key", "Authorization", ApiKeyAuthenticationProvider.KeyLocation.Header),
            httpClient: _kiotaHttp)
        { BaseUrl = s_baseAddress.ToString().TrimEnd('/') };
        _kiota = new KiotaSeedClient(adapter);

        _request = new CreateChainEnvironmentRequestV1
        {
            Name = "staging",
            PromotionSettings = new UpdatePromotionSettingsV1 { RampUpDurationSeconds = 600, RampUpWhilePromoting = true },
            ChainletSettings = [new ChainletEnvironmentSettingsRequestV1 { ChainletName = "HelloWorld", InstanceTypeId = "2x8", AutoscalingSettings = new UpdateAutoscalingSettingsV1 { MinReplica = 2, MaxReplica = 3 } }],
        };
        _kiotaRequest = new KiotaModels.CreateChainEnvironmentRequestV1
        {
            Name = "staging",
            PromotionSettings = new KiotaModels.UpdatePromotionSettingsV1
            {
                RampUpDurationSeconds = new() { Integer = 600 },
                RampUpWhilePromoting = new() { Boolean = true },
            },
            ChainletSettings =
            [
                // Kiota 1.38 generates this schema (properties, no "type": "object") as an empty
                // class and never generates UpdateAutoscalingSettingsV1: a Kiota user has to send
                // its members as untyped additional data.
                new KiotaModels.ChainletEnvironmentSettingsRequestV1
                {
                    AdditionalData = new Dictionary<string, object>
                    {
                        ["chainlet_name"] = "HelloWorld",
                        ["autoscaling_settings"] = new UntypedObject(new Dictionary<string, UntypedNode>
                        {
                            ["min_replica"] = new UntypedInteger(2),
                            ["max_replica"] = new UntypedInteger(3),
                        }),
                        ["instance_type_id"] = "2x8",
                    },
                },
            ],
        };

        // Every call must send the same JSON (as a document: Kiota orders properties its own way)
        // with the key, and read the same answer, for the comparison to mean anything.
        JsonNode? sent = null;
        foreach ((string name, Func<Task<string>> call) in new (string, Func<Task<string>>)[]
        {
            ("BasetenAot", async () => Name(await Call_BasetenAot())),
            ("HandWritten", async () => Name(await Call_HandWritten())),
            ("StjReflection", async () => Name(await Call_StjReflection())),
            ("Kiota", async () => (await Call_Kiota())?.Name ?? "(null)"),
        })
        {
            _handler.Record = true;
            Task<string> task = call();
            string read = await task;
            JsonNode body = JsonNode.Parse(_handler.LastBody)!;
            if (read != "staging" || (sent is not null && !JsonNode.DeepEquals(sent, body)))
            {
                throw new InvalidOperationException($"{name} sent {body.ToJsonString()} and read {read}");
            }

            sent = body;
        }

        _handler.Record = false;
    }

    private static string Name(ChainEnvironmentV1? environment) => environment?.Name ?? "(null)";

    [GlobalCleanup]
    public void Cleanup()
    {
        _baseten.Dispose();
        _basetenHttp.Dispose();
        _handWrittenHttp.Dispose();
        _kiotaHttp.Dispose();
        _handler.Dispose();
    }

    /// <summary>The floor: what a careful person writes without a generated client.</summary>
    [Benchmark(Baseline = true)]
    public async Task<ChainEnvironmentV1?> Call_HandWritten()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, s_endpoint)
        {
            Content = JsonContent.Create(_request, StjGeneratedContext.Default.CreateChainEnvironmentRequestV1),
        };
        message.Headers.TryAddWithoutValidation("Authorization", "Api-Key benchmark-key");
        using HttpResponseMessage response = await _handWrittenHttp.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(StjGeneratedContext.Default.ChainEnvironmentV1);
    }

    [Benchmark]
    public Task<ChainEnvironmentV1> Call_BasetenAot() => _baseten.CreateChainEnvironmentAsync("abc123", _request);

    /// <summary>The same call by reflection (System.Net.Http.Json's PostAsJsonAsync): no generated code at all.</summary>
    [Benchmark]
    public async Task<ChainEnvironmentV1?> Call_StjReflection()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, s_endpoint)
        {
            Content = JsonContent.Create(_request, options: s_reflection),
        };
        message.Headers.TryAddWithoutValidation("Authorization", "Api-Key benchmark-key");
        using HttpResponseMessage response = await _handWrittenHttp.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<ChainEnvironmentV1>(s_reflection);
    }

    [Benchmark]
    public Task<KiotaModels.ChainEnvironmentV1?> Call_Kiota() => _kiota.V1.Chains["abc123"].Environments.PostAsync(_kiotaRequest);
}
