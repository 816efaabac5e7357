using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Extensions.Tests.Pets;
using Baseten.Aot.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Baseten.Aot.Extensions.Tests;

public sealed class RegistrationTests
{
    private static readonly JsonElement s_input = JsonDocument.Parse("""{"prompt":"hi"}""").RootElement;

    [Fact]
    public async Task BasetenClient_FromConfiguration_SendsTheConfiguredKeyToTheConfiguredAddress()
    {
        var handler = new RecordingHandler(TestHost.ChainEnvironmentJson);
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?>
            {
                ["Baseten:ApiKey"] = "configured-key",
                ["Baseten:BaseAddress"] = "https://gateway.example.com/baseten",
            },
            services => services.AddBasetenClient().ConfigurePrimaryHttpMessageHandler(() => handler));

        ChainEnvironmentV1 environment = await TestHost.CreateEnvironmentAsync(provider.GetRequiredService<BasetenClient>());

        Assert.Equal("staging", environment.Name);
        SentRequest sent = Assert.Single(handler.Sent);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal("https://gateway.example.com/baseten/v1/chains/abc/environments", sent.Uri.AbsoluteUri);
        Assert.Equal("Api-Key configured-key", sent.Authorization);
        Assert.Equal("""{"name":"staging"}""", sent.Body);
    }

    [Fact]
    public async Task BasetenClient_CodeConfiguration_WinsOverTheSection()
    {
        var handler = new RecordingHandler(TestHost.ChainEnvironmentJson);
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "configured-key" },
            services => services.AddBasetenClient(configure: options => options.ApiKey = "code-key").ConfigurePrimaryHttpMessageHandler(() => handler));

        await TestHost.CreateEnvironmentAsync(provider.GetRequiredService<BasetenClient>());

        SentRequest sent = Assert.Single(handler.Sent);
        Assert.Equal("Api-Key code-key", sent.Authorization);
        Assert.Equal("https://api.baseten.co/v1/chains/abc/environments", sent.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task RetrySection_SetsTheAttemptsTheClientMakes()
    {
        var handler = new RecordingHandler((_, _) => RecordingHandler.Json(HttpStatusCode.TooManyRequests, """{"error":"slow down"}"""));
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?>
            {
                ["Baseten:ApiKey"] = "k",
                ["Baseten:Retry:MaxAttempts"] = "2",
                ["Baseten:Retry:BaseDelay"] = "00:00:00",
            },
            services => services.AddBasetenClient().ConfigurePrimaryHttpMessageHandler(() => handler));

        var error = await Assert.ThrowsAsync<BasetenApiException>(() => TestHost.CreateEnvironmentAsync(provider.GetRequiredService<BasetenClient>()));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(2, handler.Sent.Count);
    }

    [Fact]
    public async Task RetrySection_MaxAttemptsOne_SendsOnce()
    {
        var handler = new RecordingHandler((_, _) => RecordingHandler.Json(HttpStatusCode.TooManyRequests, "{}"));
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "k", ["Baseten:Retry:MaxAttempts"] = "1" },
            services => services.AddBasetenClient().ConfigurePrimaryHttpMessageHandler(() => handler));

        await Assert.ThrowsAsync<BasetenApiException>(() => TestHost.CreateEnvironmentAsync(provider.GetRequiredService<BasetenClient>()));

        Assert.Single(handler.Sent);
    }

    [Fact]
    public void RetrySection_ChangesOnlyTheMembersItNames()
    {
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "k", ["Baseten:Retry:AttemptTimeout"] = "00:05:00" },
            services => services.AddBasetenClient());

        RetryPolicy used = provider.GetRequiredService<IOptionsMonitor<BasetenClientOptions>>().Get(Options.DefaultName).Retry;

        Assert.Equal(TimeSpan.FromMinutes(5), used.AttemptTimeout);
        Assert.Equal(3, used.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(500), used.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), used.MaxDelay);
        Assert.False(used.RetryUnsafeMethods);
        Assert.Same(TimeProvider.System, used.TimeProvider);
    }

    [Fact]
    public async Task InferenceClient_FromConfiguration_CallsTheModelWithABearerKey()
    {
        var handler = new RecordingHandler("""{"text":"hello"}""");
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "model-key", ["Baseten:ModelId"] = "abc123" },
            services => services.AddBasetenInferenceClient().ConfigurePrimaryHttpMessageHandler(() => handler));

        JsonElement output = await provider.GetRequiredService<BasetenInferenceClient>().PredictAsync(s_input);

        Assert.Equal("hello", output.GetProperty("text").GetString());
        SentRequest sent = Assert.Single(handler.Sent);
        Assert.Equal("https://model-abc123.api.baseten.co/production/predict", sent.Uri.AbsoluteUri);
        Assert.Equal("Bearer model-key", sent.Authorization);
        Assert.Equal("""{"prompt":"hi"}""", sent.Body);
    }

    [Fact]
    public async Task KeyedInferenceClients_EachReadTheirOwnSection()
    {
        var handler = new RecordingHandler("{}");
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?>
            {
                ["Baseten:ApiKey"] = "shared-key",
                ["Baseten:Models:Summarizer:ApiKey"] = "summarizer-key",
                ["Baseten:Models:Summarizer:ModelId"] = "sum1",
                ["Baseten:Models:Pipeline:ApiKey"] = "pipeline-key",
                ["Baseten:Models:Pipeline:ChainId"] = "ch1",
                ["Baseten:Models:Pipeline:Environment"] = "prod-us",
            },
            services =>
            {
                services.AddBasetenClient().ConfigurePrimaryHttpMessageHandler(() => handler);
                services.AddKeyedBasetenInferenceClient("summarizer", "Baseten:Models:Summarizer").ConfigurePrimaryHttpMessageHandler(() => handler);
                services.AddKeyedBasetenInferenceClient("pipeline", "Baseten:Models:Pipeline").ConfigurePrimaryHttpMessageHandler(() => handler);
            });

        await provider.GetRequiredKeyedService<BasetenInferenceClient>("summarizer").PredictAsync(s_input, PredictTarget.Environment("staging"));
        await provider.GetRequiredKeyedService<BasetenInferenceClient>("pipeline").RunRemoteAsync(s_input);

        Assert.Collection(
            handler.Sent,
            sent =>
            {
                Assert.Equal("https://model-sum1.api.baseten.co/environments/staging/predict", sent.Uri.AbsoluteUri);
                Assert.Equal("Bearer summarizer-key", sent.Authorization);
            },
            sent =>
            {
                Assert.Equal("https://chain-ch1-prod-us.api.baseten.co/run_remote", sent.Uri.AbsoluteUri);
                Assert.Equal("Bearer pipeline-key", sent.Authorization);
            });
        Assert.Null(provider.GetService<BasetenInferenceClient>());
    }

    [Fact]
    public async Task GeneratedClient_ThroughAddApiClient_SendsItsCredentialWhereItsDocumentSays()
    {
        var handler = new RecordingHandler("""{"id":7,"name":"Rex"}""");
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?>
            {
                ["Pets:Credential"] = "pets-key",
                ["Pets:BaseAddress"] = "https://pets.internal.example.com/v2",
                ["Pets:Retry:MaxAttempts"] = "1",
            },
            services => services.AddApiClient("Pets", static (http, options) => new PetsClient(http, options)).ConfigurePrimaryHttpMessageHandler(() => handler));

        Pet pet = await provider.GetRequiredService<PetsClient>().GetPetAsync(7);

        Assert.Equal("Rex", pet.Name);
        SentRequest sent = Assert.Single(handler.Sent);
        Assert.Equal("https://pets.internal.example.com/v2/pets/7", sent.Uri.AbsoluteUri);
        Assert.Equal("pets-key", sent.Headers["X-Pets-Key"]);
        Assert.Null(sent.Authorization);
    }

    [Fact]
    public async Task KeyedGeneratedClients_DefaultToTheDocumentsServer()
    {
        var handler = new RecordingHandler("""{"id":1,"name":"Tom"}""");
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Shelters:North:Credential"] = "north-key" },
            services => services.AddKeyedApiClient("north", "Shelters:North", static (http, options) => new PetsClient(http, options)).ConfigurePrimaryHttpMessageHandler(() => handler));

        await provider.GetRequiredKeyedService<PetsClient>("north").GetPetAsync(1);

        SentRequest sent = Assert.Single(handler.Sent);
        Assert.Equal("https://pets.example.com/pets/1", sent.Uri.AbsoluteUri);
        Assert.Equal("north-key", sent.Headers["X-Pets-Key"]);
    }

    [Fact]
    public async Task ReloadedConfiguration_ReachesTheNextClientResolved()
    {
        var handler = new RecordingHandler(TestHost.ChainEnvironmentJson);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Baseten:ApiKey"] = "old-key" }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddBasetenClient().ConfigurePrimaryHttpMessageHandler(() => handler);
        using ServiceProvider provider = services.BuildServiceProvider();

        BasetenClient before = provider.GetRequiredService<BasetenClient>();
        configuration["Baseten:ApiKey"] = "rotated-key";
        configuration.Reload();
        await TestHost.CreateEnvironmentAsync(before);
        await TestHost.CreateEnvironmentAsync(provider.GetRequiredService<BasetenClient>());

        Assert.Equal(["Api-Key old-key", "Api-Key rotated-key"], handler.Sent.Select(sent => sent.Authorization));
    }

    [Fact]
    public async Task Clients_AreTransient_AndDisposingOneLeavesTheFactorysHttpClientWorking()
    {
        var handler = new RecordingHandler(TestHost.ChainEnvironmentJson);
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "k" },
            services => services.AddBasetenClient().ConfigurePrimaryHttpMessageHandler(() => handler));

        BasetenClient first;
        using (IServiceScope scope = provider.CreateScope())
        {
            first = scope.ServiceProvider.GetRequiredService<BasetenClient>();
            Assert.NotSame(first, scope.ServiceProvider.GetRequiredService<BasetenClient>());
            await TestHost.CreateEnvironmentAsync(first);
        }

        // The scope disposed its clients; the handler they shared is the factory's, and still serves.
        await TestHost.CreateEnvironmentAsync(provider.GetRequiredService<BasetenClient>());
        Assert.Equal(2, handler.Sent.Count);
    }

    [Fact]
    public void Clients_WorkWithoutAnyConfiguration_FromCodeAlone()
    {
        var services = new ServiceCollection();
        services.AddBasetenInferenceClient(configure: options =>
        {
            options.ApiKey = "k";
            options.ChainId = "ch1";
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<BasetenInferenceClient>());
    }

    [Fact]
    public void HttpClient_HasNoTimeoutOfItsOwn_SoTheAttemptTimeoutGoverns()
    {
        using ServiceProvider provider = TestHost.Build(new Dictionary<string, string?>(), services =>
        {
            IHttpClientBuilder builder = services.AddBasetenClient();
            Assert.Equal("Baseten.Aot.BasetenClient", builder.Name);
        });

        Assert.Equal(Timeout.InfiniteTimeSpan, provider.GetRequiredService<IHttpClientFactory>().CreateClient("Baseten.Aot.BasetenClient").Timeout);
    }

    [Fact]
    public async Task PrimaryHandler_FollowsNoRedirect_SoTheKeyNeverLeavesForTheLocation()
    {
        await using var server = new LoopbackHttpServer(request => request.Target.StartsWith("/v1/", StringComparison.Ordinal)
            ? new LoopbackResponse(307, Headers: new Dictionary<string, string> { ["Location"] = "/elsewhere" })
            : new LoopbackResponse(200, TestHost.ChainEnvironmentJson));
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "k", ["Baseten:BaseAddress"] = server.BaseAddress.AbsoluteUri },
            services => services.AddBasetenClient());

        var error = await Assert.ThrowsAsync<BasetenApiException>(() => TestHost.CreateEnvironmentAsync(provider.GetRequiredService<BasetenClient>()));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, error.StatusCode);
        LoopbackRequest request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chains/abc/environments", request.Target);
        Assert.Equal("Api-Key k", request.Headers["Authorization"]);
    }

    [Fact]
    public void RegisteringTheSameClientTwice_WithoutAKey_Throws()
    {
        var services = new ServiceCollection();
        services.AddBasetenClient();
        services.AddKeyedBasetenClient("second-workspace", "Baseten:Second");

        var error = Assert.Throws<InvalidOperationException>(() => services.AddBasetenClient("Elsewhere"));

        Assert.Contains("already registered", error.Message, StringComparison.Ordinal);
    }
}
