using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Tests;

/// <summary>
/// <c>/sync/{route}</c> on <see cref="BasetenInferenceClient"/> over a loopback server: the route of
/// every target, any method, JSON with the caller's types, raw bytes in and a stream out, escaping
/// that keeps a route inside <c>/sync</c>, and the address an OpenAI SDK takes as its base URL.
/// </summary>
public sealed class SyncRouteTests : IAsyncLifetime
{
    private const string Key = "sync-secret-key";
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private BasetenInferenceClient Client(string? environment = null)
        => new(new BasetenInferenceClientOptions { ApiKey = Key, ModelId = "abc123", Environment = environment, BaseAddress = _server.BaseAddress, Retry = RetryPolicy.None });

    public static TheoryData<string, string> Targets => new()
    {
        { "production", "/environments/production/sync/items/123" },
        { "development", "/development/sync/items/123" },
        { "environment", "/environments/staging/sync/items/123" },
        { "deployment", "/deployment/dep42/sync/items/123" },
    };

    private static PredictTarget? TargetOf(string kind) => kind switch
    {
        "production" => null,
        "development" => PredictTarget.Development,
        "environment" => PredictTarget.Environment("staging"),
        _ => PredictTarget.Deployment("dep42"),
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task SyncJson_GoesToTheTargetsSyncRoute_WithTheMethodTheBodyAndTheBearerKey(string kind, string path)
    {
        _server.RespondJson(200, """{"text":"done"}""");
        using BasetenInferenceClient client = Client();

        Completion output = await client.SyncAsync(HttpMethod.Put, "items/123", new PromptInput("hi", 3), CallerJsonContext.Default.PromptInput, CallerJsonContext.Default.Completion, TargetOf(kind));

        Assert.Equal("done", output.Text);
        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal(path, request.RawTarget);
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        Assert.Equal("""{"prompt":"hi","max_tokens":3}""", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task SyncGet_SendsNoBody_AndOnARegionalHostTheBareRoute()
    {
        _server.RespondJson(200, """{"text":"ok"}""");
        using BasetenInferenceClient client = Client(environment: "prod-us");

        Completion output = await client.SyncAsync(HttpMethod.Get, "/health", CallerJsonContext.Default.Completion);

        Assert.Equal("ok", output.Text);
        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/sync/health", request.RawTarget);
        Assert.Empty(request.Body);
        Assert.False(request.Headers.ContainsKey("Content-Type"));
    }

    [Fact]
    public async Task RegionalHost_RefusesATarget()
    {
        using BasetenInferenceClient client = Client(environment: "prod-us");

        await Assert.ThrowsAsync<ArgumentException>(() => client.SyncAsync(HttpMethod.Get, "health", CallerJsonContext.Default.Completion, PredictTarget.Development));
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("items/a b", "/environments/production/sync/items/a%20b")]
    [InlineData("v1/models/", "/environments/production/sync/v1/models/")]
    [InlineData("items/x?limit=2&after=a%2Fb", "/environments/production/sync/items/x?limit=2&after=a%2Fb")]
    [InlineData("a#b", "/environments/production/sync/a%23b")]
    [InlineData("", "/environments/production/sync/")]
    [InlineData("%2e%2e/predict", "/environments/production/sync/%252e%252e/predict")]
    public async Task Route_SegmentsAreEscapedAsText_AndAQueryIsKept(string route, string expected)
    {
        _server.Respond = context => Task.CompletedTask;
        using BasetenInferenceClient client = Client();

        using ApiResponse response = await client.SyncSendAsync(HttpMethod.Get, route);

        Assert.Equal(expected, Assert.Single(_server.Requests).RawTarget);
    }

    [Theory]
    [InlineData("../predict")]
    [InlineData("items/../../predict")]
    [InlineData("items/./x")]
    [InlineData("items//x")]
    [InlineData("items?q=a b")]
    [InlineData("items?q=a#frag")]
    [InlineData("items?q=\u00e9")]
    public async Task Route_ThatCouldLeaveSyncOrIsNotEscaped_IsRefusedBeforeAnythingIsSent(string route)
    {
        using BasetenInferenceClient client = Client();

        await Assert.ThrowsAsync<ArgumentException>(() => client.SyncSendAsync(HttpMethod.Get, route));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task SyncStream_SendsRawBytes_AndReadsTheAnswerAsItIs()
    {
        byte[] audio = [0, 1, 2, 250, 251, 252];
        _server.Respond = async context =>
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(new byte[] { 9, 8, 7 });
        };
        using BasetenInferenceClient client = Client();

        await using Stream answer = await client.SyncStreamAsync(HttpMethod.Post, "transcribe", () => ApiContent.Binary(new MemoryStream(audio), "audio/wav"), PredictTarget.Deployment("dep42"));
        using var read = new MemoryStream();
        await answer.CopyToAsync(read);

        Assert.Equal(new byte[] { 9, 8, 7 }, read.ToArray());
        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal("/deployment/dep42/sync/transcribe", request.RawTarget);
        Assert.Equal(audio, request.Body);
        Assert.Equal("audio/wav", request.Headers["Content-Type"]);
    }

    [Fact]
    public async Task SyncError_IsABasetenApiException_NamingTheTemplateNotTheIds()
    {
        _server.RespondJson(404, """{"error":"no such item"}""");
        using BasetenInferenceClient client = Client();

        BasetenApiException error = await Assert.ThrowsAsync<BasetenApiException>(() => client.SyncAsync(HttpMethod.Delete, "items/123", CallerJsonContext.Default.Completion, PredictTarget.Environment("staging")));

        Assert.Equal(404, (int)error.StatusCode);
        Assert.Equal("/environments/{env_name}/sync/{route}", error.PathTemplate);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc123", null, null, "https://model-abc123.api.baseten.co/environments/production/sync/")]
    [InlineData("abc123", null, "prod-us", "https://model-abc123-prod-us.api.baseten.co/sync/")]
    [InlineData(null, "xyz789", null, "https://chain-xyz789.api.baseten.co/environments/production/sync/")]
    public void SyncAddress_IsWhatAnOpenAiSdkTakesBeforeV1(string? model, string? chain, string? environment, string expected)
    {
        var options = new BasetenInferenceClientOptions { ModelId = model, ChainId = chain, Environment = environment };

        Assert.Equal(new Uri(expected), BasetenInferenceClient.SyncAddressOf(options));
    }

    [Fact]
    public void SyncAddress_OfADeployment_UnderAGatewaysBaseAddress()
    {
        var options = new BasetenInferenceClientOptions { ModelId = "abc123", BaseAddress = new Uri("https://gateway.example.com/baseten/") };

        Assert.Equal(new Uri("https://gateway.example.com/baseten/deployment/d%2F1/sync/"), BasetenInferenceClient.SyncAddressOf(options, PredictTarget.Deployment("d/1")));
    }
}
