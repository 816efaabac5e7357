using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Tests;

/// <summary>The generated client over a real loopback HTTP server.</summary>
public sealed class ClientTests : IAsyncLifetime
{
    private const string Key = "test-key-1234567890";
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private BasetenClient CreateClient() => new(new BasetenClientOptions { ApiKey = Key, BaseAddress = _server.BaseAddress });

    /// <summary>The seed example, built the way a user writes it, explicit nulls assigned.</summary>
    internal static CreateChainEnvironmentRequestV1 SeedExampleRequest() => new()
    {
        Name = "staging",
        PromotionSettings = new UpdatePromotionSettingsV1
        {
            PromotionCleanupStrategy = null,
            RampUpDurationSeconds = 600,
            RampUpWhilePromoting = true,
            RedeployOnPromotion = true,
            RollingDeploy = null,
            RollingDeployConfig = null,
        },
        ChainletSettings =
        [
            new ChainletEnvironmentSettingsRequestV1
            {
                AutoscalingSettings = new UpdateAutoscalingSettingsV1
                {
                    AutoscalingWindow = 800, ConcurrencyTarget = 4, MaxReplica = 3, MinReplica = 2, ScaleDownDelay = 63,
                    TargetInFlightTokens = null, TargetUtilizationPercentage = null,
                },
                ChainletName = "HelloWorld",
                InstanceTypeId = "2x8",
            },
            new ChainletEnvironmentSettingsRequestV1
            {
                AutoscalingSettings = new UpdateAutoscalingSettingsV1
                {
                    AutoscalingWindow = null, ConcurrencyTarget = null, MaxReplica = 3, MinReplica = 3, ScaleDownDelay = null,
                    TargetInFlightTokens = null, TargetUtilizationPercentage = null,
                },
                ChainletName = "RandInt",
                InstanceTypeId = "A10Gx8x32",
            },
        ],
    };

    [Fact]
    public async Task CreateChainEnvironment_SendsTheSeedExampleRequest()
    {
        _server.RespondJson(200, SeedData.ResponseExample);
        using BasetenClient client = CreateClient();

        await client.CreateChainEnvironmentAsync("abc/def", SeedExampleRequest());

        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/chains/abc%2Fdef/environments", request.RawTarget);
        Assert.Equal("Api-Key " + Key, request.Headers["Authorization"]);
        Assert.Equal("Baseten.Aot/" + typeof(BasetenClient).Assembly.GetName().Version!.ToString(3), request.Headers["User-Agent"]);
        Assert.Equal("application/json", request.Headers["Accept"]);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.Equal(request.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["Content-Length"]);
        Assert.False(request.Headers.ContainsKey("Transfer-Encoding"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SeedData.RequestExample), JsonNode.Parse(request.Body)), Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task UnassignedOptionalProperties_AreNotSent()
    {
        _server.RespondJson(200, SeedData.ResponseExample);
        using BasetenClient client = CreateClient();

        await client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1
        {
            Name = "staging",
            PromotionSettings = new UpdatePromotionSettingsV1 { RampUpDurationSeconds = 600 },
        });

        Assert.Equal("""{"name":"staging","promotion_settings":{"ramp_up_duration_seconds":600}}""", Encoding.UTF8.GetString(_server.Requests.Single().Body));
    }

    [Fact]
    public async Task CreateChainEnvironment_ParsesTheResponse()
    {
        _server.RespondJson(200, SeedData.ResponseExample);
        using BasetenClient client = CreateClient();

        ChainEnvironmentV1 environment = await client.CreateChainEnvironmentAsync("abc123", new CreateChainEnvironmentRequestV1 { Name = "staging" });

        Assert.Equal("staging", environment.Name);
        Assert.Equal(new DateTimeOffset(2026, 8, 22, 10, 15, 30, 123, TimeSpan.Zero), environment.CreatedAt);
        Assert.Equal(PromotionCleanupStrategyV1.ScaleToZero, environment.PromotionSettings.PromotionCleanupStrategy);
        Assert.Equal(8192, environment.ChainletSettings[0].InstanceType.MemoryLimitMib);
        Assert.Null(environment.ChainletSettings[0].InstanceType.GpuType);
        Assert.Equal(DeploymentStatusV1.Known.Active, environment.CurrentDeployment!.Status.KnownValue);
        Assert.Null(environment.CurrentDeployment.Chainlets[0].AutoscalingSettings);
        Assert.Null(environment.CandidateDeployment);
    }

    [Fact]
    public async Task UnknownEnumValueAndExtraProperties_AreAcceptedAndTheValueKept()
    {
        JsonObject response = JsonNode.Parse(SeedData.ResponseExample)!.AsObject();
        response["current_deployment"]!["status"] = "HIBERNATING";
        response["brand_new_field"] = new JsonObject { ["nested"] = 1 };
        response["promotion_settings"]!["another_new_field"] = "x";
        _server.RespondJson(200, response.ToJsonString());
        using BasetenClient client = CreateClient();

        ChainEnvironmentV1 environment = await client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "staging" });

        DeploymentStatusV1 status = environment.CurrentDeployment!.Status;
        Assert.Equal("HIBERNATING", status.Value);
        Assert.Equal(DeploymentStatusV1.Known.Unknown, status.KnownValue);
        Assert.False(status.IsKnown);
        string again = JsonSerializer.Serialize(environment, BasetenJsonContext.Default.ChainEnvironmentV1);
        Assert.Equal("HIBERNATING", JsonNode.Parse(again)!["current_deployment"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ErrorResponse_ThrowsWithStatusBodyAndServerMessage()
    {
        _server.RespondJson(404, """{"error": "Chain abc not found"}""");
        using BasetenClient client = CreateClient();

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "x" }));

        Assert.Equal(HttpStatusCode.NotFound, exception.StatusCode);
        Assert.Equal("""{"error": "Chain abc not found"}""", exception.ResponseBody);
        Assert.Equal("Chain abc not found", exception.ServerMessage);
        Assert.Equal("POST /v1/chains/abc/environments failed with 404 (Not Found): Chain abc not found", exception.Message);
    }

    [Theory]
    [InlineData("""{"message": "bad"}""", "bad")]
    [InlineData("""{"detail": [{"loc": ["body", "name"], "msg": "field required"}]}""", """[{"loc": ["body", "name"], "msg": "field required"}]""")]
    [InlineData("<html>proxy error</html>", null)]
    [InlineData("", null)]
    public async Task ErrorResponse_ServerMessageIsReadBestEffort(string body, string? serverMessage)
    {
        _server.Respond = async context =>
        {
            context.Response.StatusCode = 502;
            await context.Response.WriteAsync(body);
        };
        using BasetenClient client = CreateClient();

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "x" }));

        Assert.Equal(HttpStatusCode.BadGateway, exception.StatusCode);
        Assert.Equal(serverMessage, exception.ServerMessage);
        Assert.Equal(body.Length == 0 ? null : body, exception.ResponseBody);
    }

    [Fact]
    public async Task ErrorBodyEchoingTheKey_IsRedactedEverywhere()
    {
        _server.RespondJson(401, $$"""{"error": "Invalid API key {{Key}}"}""");
        using BasetenClient client = CreateClient();

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "x" }));

        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, exception.ResponseBody!, StringComparison.Ordinal);
        Assert.Contains("Invalid API key ***", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeErrorBody_IsKeptOnlyUpToTheLimit()
    {
        string huge = new('x', 1_000_000);
        _server.Respond = async context =>
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync(huge);
        };
        using BasetenClient client = CreateClient();

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "x" }));

        Assert.Equal(BasetenApiException.MaxResponseBodyBytes, exception.ResponseBody!.Length);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("null")]
    [InlineData("""{"name": "x"}""")]
    [InlineData("""{"name": 5, "created_at": "2026-01-01T00:00:00Z", "chain_id": "c", "promotion_settings": {}, "chainlet_settings": [], "current_deployment": null}""")]
    [InlineData("""{"name": null, "created_at": "2026-01-01T00:00:00Z", "chain_id": "c", "promotion_settings": {}, "chainlet_settings": [], "current_deployment": null}""")]
    public async Task SuccessWithABodyThatIsNotTheSchema_ThrowsBasetenApiException(string body)
    {
        _server.RespondJson(200, body);
        using BasetenClient client = CreateClient();

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "x" }));

        Assert.Equal(HttpStatusCode.OK, exception.StatusCode);
        Assert.Contains("ChainEnvironmentV1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndlessSuccessBody_IsRefusedAtTheLimit_NotReadIntoMemory()
    {
        byte[] chunk = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("""{"chainlet_name":"x","autoscaling_settings":null,"instance_type":{"id":"a","name":"b","memory_limit_mib":1,"millicpu_limit":1,"gpu_count":0,"gpu_type":null,"gpu_memory_limit_mib":null}},""", 1000)));
        _server.Respond = async context =>
        {
            context.Response.StatusCode = 200;
            await context.Response.WriteAsync("""{"name":"s","chain_id":"c","created_at":"2026-01-01T00:00:00Z","promotion_settings":{},"current_deployment":null,"chainlet_settings":[""");
            for (long sent = 0; sent <= Http.ApiTransport.MaxResponseBytes && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        };
        using BasetenClient client = CreateClient();

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "x" }));

        Assert.True(exception.Message.Contains("larger than 32 MiB", StringComparison.Ordinal), exception.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    public async Task DotSegmentOrEmptyPathParameter_IsRefusedBeforeAnythingIsSent(string chainId)
    {
        using BasetenClient client = CreateClient();

        ArgumentException exception = await Assert.ThrowsAsync<ArgumentException>(() => client.CreateChainEnvironmentAsync(chainId, new CreateChainEnvironmentRequestV1 { Name = "x" }));

        Assert.Equal("chainId", exception.ParamName);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task NullArguments_ThrowArgumentNullException()
    {
        using BasetenClient client = CreateClient();
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.CreateChainEnvironmentAsync(null!, new CreateChainEnvironmentRequestV1 { Name = "x" }));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.CreateChainEnvironmentAsync("abc", null!));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Cancellation_StopsAWaitingRequestPromptly()
    {
        var neverAnswered = new TaskCompletionSource();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Respond = _ =>
        {
            arrived.TrySetResult();
            return neverAnswered.Task;
        };
        using BasetenClient client = CreateClient();
        using var cancellation = new CancellationTokenSource();

        Task call = client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "x" }, cancellationToken: cancellation.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        neverAnswered.SetResult();
    }

    [Fact]
    public async Task CallerOwnedHttpClient_IsNotDisposedWithTheClient()
    {
        _server.RespondJson(200, SeedData.ResponseExample);
        using var httpClient = new HttpClient();
        using (var client = new BasetenClient(httpClient, new BasetenClientOptions { ApiKey = Key, BaseAddress = _server.BaseAddress }))
        {
            await client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "x" });
        }

        using HttpResponseMessage stillUsable = await httpClient.GetAsync(_server.BaseAddress);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task BaseAddressWithAPath_KeepsThePathAsAPrefix()
    {
        _server.RespondJson(200, SeedData.ResponseExample);
        using var client = new BasetenClient(new BasetenClientOptions { ApiKey = Key, BaseAddress = new Uri(_server.BaseAddress, "/proxy/baseten/") });

        await client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "x" });

        Assert.Equal("/proxy/baseten/v1/chains/abc/environments", _server.Requests.Single().RawTarget);
    }

    [Theory]
    [InlineData("http://api.baseten.co")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("https://api.baseten.co/?q=1")]
    public void UnsafeBaseAddress_IsRefused(string address)
    {
        ArgumentException exception = Assert.Throws<ArgumentException>(() => new BasetenClient(new BasetenClientOptions { ApiKey = Key, BaseAddress = new Uri(address) }));
        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("key with space")]
    [InlineData("key\r\nX-Injected: 1")]
    public void MalformedKey_IsRefusedWithoutEchoingIt(string key)
    {
        ArgumentException exception = Assert.Throws<ArgumentException>(() => new BasetenClient(new BasetenClientOptions { ApiKey = key, BaseAddress = _server.BaseAddress }));
        Assert.DoesNotContain(key.Trim(), exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultBaseAddress_IsTheSpecServer()
        => Assert.Equal(new Uri("https://api.baseten.co"), BasetenClient.DefaultBaseAddress);
}

/// <summary>The public contract as the issue that defined it writes it: it must keep compiling and working.</summary>
public sealed class PublicContractTests
{
    [Fact]
    public async Task IssueExample_CompilesAndRoundTrips()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync();
        server.RespondJson(200, SeedData.ResponseExample);
        using var cancellation = new System.Threading.CancellationTokenSource();
        System.Threading.CancellationToken cancellationToken = cancellation.Token;

        using var client = new BasetenClient(new BasetenClientOptions { ApiKey = "...", BaseAddress = server.BaseAddress });
        ChainEnvironmentV1 env = await client.CreateChainEnvironmentAsync("chain_id", new CreateChainEnvironmentRequestV1
        {
            Name = "staging",
            PromotionSettings = new UpdatePromotionSettingsV1 { RampUpDurationSeconds = 600 },
            ChainletSettings = [ new ChainletEnvironmentSettingsRequestV1 { ChainletName = "HelloWorld", InstanceTypeId = "2x8",
                AutoscalingSettings = new UpdateAutoscalingSettingsV1 { MinReplica = 2, MaxReplica = 3 } } ],
        }, cancellationToken: cancellationToken);
        string json = JsonSerializer.Serialize(env, BasetenJsonContext.Default.ChainEnvironmentV1);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SeedData.ResponseExample), JsonNode.Parse(json)));
        Assert.Equal(
            """{"name":"staging","promotion_settings":{"ramp_up_duration_seconds":600},"chainlet_settings":[{"chainlet_name":"HelloWorld","autoscaling_settings":{"min_replica":2,"max_replica":3},"instance_type_id":"2x8"}]}""",
            Encoding.UTF8.GetString(server.Requests.Single().Body));
        // The property types the contract promises, checked by the compiler: an unbounded JSON Schema integer is a long.
        long memory = env.ChainletSettings[0].InstanceType.MemoryLimitMib;
        long? utilization = env.ChainletSettings[0].AutoscalingSettings!.TargetUtilizationPercentage;
        DateTimeOffset created = env.CreatedAt;
        System.Collections.Generic.IReadOnlyList<ChainletEnvironmentSettingsV1> settings = env.ChainletSettings;
        Assert.Equal((8192L, (long?)null, 2026, 1), (memory, utilization, created.Year, settings.Count));
    }
}
