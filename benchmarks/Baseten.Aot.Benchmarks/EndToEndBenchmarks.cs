using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baseten.Aot.Benchmarks;

/// <summary>
/// One create-environment call over a real loopback socket: the generated client against the same
/// call written by hand with HttpClient, System.Net.Http.Json and System.Text.Json's generator
/// (the baseline), both on one shared HttpClient.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class EndToEndBenchmarks
{
    private static readonly byte[] s_response = System.Text.Encoding.UTF8.GetBytes(Baseten.Aot.Tests.SeedData.ResponseExample);
    private WebApplication _server = null!;
    private HttpClient _http = null!;
    private BasetenClient _client = null!;
    private Uri _endpoint = null!;
    private CreateChainEnvironmentRequestV1 _request = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.Run(async context =>
        {
            await context.Request.Body.CopyToAsync(System.IO.Stream.Null);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(s_response);
        });
        await _server.StartAsync();
        var address = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        _http = new HttpClient();
        _client = new BasetenClient(_http, new BasetenClientOptions { ApiKey = "benchmark-key", BaseAddress = address, Retry = RetryPolicy.None });
        _endpoint = new Uri(address, "/v1/chains/abc123/environments");
        _request = new CreateChainEnvironmentRequestV1
        {
            Name = "staging",
            PromotionSettings = new UpdatePromotionSettingsV1 { RampUpDurationSeconds = 600, RampUpWhilePromoting = true },
            ChainletSettings = [new ChainletEnvironmentSettingsRequestV1 { ChainletName = "HelloWorld", InstanceTypeId = "2x8", AutoscalingSettings = new UpdateAutoscalingSettingsV1 { MinReplica = 2, MaxReplica = 3 } }],
        };
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _client.Dispose();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public async Task<ChainEnvironmentV1?> LoopbackCall_HandWritten()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = JsonContent.Create(_request, StjGeneratedContext.Default.CreateChainEnvironmentRequestV1),
        };
        message.Headers.TryAddWithoutValidation("Authorization", "Api-Key benchmark-key");
        using HttpResponseMessage response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(StjGeneratedContext.Default.ChainEnvironmentV1);
    }

    [Benchmark]
    public Task<ChainEnvironmentV1> LoopbackCall_BasetenAot()
        => _client.CreateChainEnvironmentAsync("abc123", _request);
}
