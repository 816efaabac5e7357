using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Extensions.Tests.Pets;
using Microsoft.Extensions.DependencyInjection;

namespace Baseten.Aot.Extensions.Tests;

/// <summary>
/// Each registration registers the client's interface beside the client, as the same registration:
/// resolving the interface (plain or keyed) resolves that client, with its options, lifetime and key,
/// so a service that takes the interface runs on the real client and a test gives it a fake.
/// </summary>
public sealed class InterfaceRegistrationTests
{
    private static readonly JsonElement s_input = JsonDocument.Parse("""{"prompt":"hi"}""").RootElement;

    [Fact]
    public async Task IBasetenClient_ResolvesTheRegisteredBasetenClient_WithItsOptions()
    {
        var handler = new RecordingHandler(TestHost.ChainEnvironmentJson);
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "configured-key" },
            services => services.AddBasetenClient().ConfigurePrimaryHttpMessageHandler(() => handler));

        IBasetenClient client = provider.GetRequiredService<IBasetenClient>();
        await client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "staging" });

        Assert.IsType<BasetenClient>(client);
        Assert.Equal("Api-Key configured-key", Assert.Single(handler.Sent).Authorization);
    }

    [Fact]
    public async Task AServiceThatTakesIBasetenInferenceClient_RunsOnTheRegisteredClient()
    {
        var handler = new RecordingHandler("""{"text":"hello"}""");
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "model-key", ["Baseten:ModelId"] = "abc123" },
            services =>
            {
                services.AddBasetenInferenceClient().ConfigurePrimaryHttpMessageHandler(() => handler);
                services.AddTransient<Greeter>();
            });

        string text = await provider.GetRequiredService<Greeter>().GreetAsync(CancellationToken.None);

        Assert.Equal("hello", text);
        SentRequest sent = Assert.Single(handler.Sent);
        Assert.Equal("https://model-abc123.api.baseten.co/production/predict", sent.Uri.AbsoluteUri);
        Assert.Equal("Bearer model-key", sent.Authorization);
    }

    [Fact]
    public async Task KeyedRegistrations_RegisterTheInterfaceUnderTheSameKey_AndOnlyThere()
    {
        var handler = new RecordingHandler("{}");
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?>
            {
                ["Models:Summarizer:ApiKey"] = "summarizer-key",
                ["Models:Summarizer:ModelId"] = "sum1",
            },
            services =>
            {
                services.AddKeyedBasetenInferenceClient("summarizer", "Models:Summarizer").ConfigurePrimaryHttpMessageHandler(() => handler);
                services.AddKeyedBasetenClient("second", options => options.ApiKey = "second-key").ConfigurePrimaryHttpMessageHandler(() => handler);
            });

        await provider.GetRequiredKeyedService<IBasetenInferenceClient>("summarizer").PredictAsync(s_input);

        Assert.Equal("https://model-sum1.api.baseten.co/production/predict", Assert.Single(handler.Sent).Uri.AbsoluteUri);
        Assert.IsType<BasetenClient>(provider.GetRequiredKeyedService<IBasetenClient>("second"));
        Assert.Null(provider.GetService<IBasetenInferenceClient>());
        Assert.Null(provider.GetService<IBasetenClient>());
        Assert.Null(provider.GetKeyedService<IBasetenInferenceClient>("second"));
    }

    [Fact]
    public void TheInterface_HasTheClientsLifetime()
    {
        var services = new ServiceCollection();
        services.AddBasetenClient(options => options.ApiKey = "k");
        services.AddKeyedBasetenInferenceClient("model", options => options.ApiKey = "k");
        services.AddApiClient<IPetsClient, PetsClient>(static (http, options) => new PetsClient(http, options), options => options.Credential = "k");

        foreach ((Type contract, Type client, object? key) in new (Type, Type, object?)[]
        {
            (typeof(IBasetenClient), typeof(BasetenClient), null),
            (typeof(IBasetenInferenceClient), typeof(BasetenInferenceClient), "model"),
            (typeof(IPetsClient), typeof(PetsClient), null),
        })
        {
            ServiceDescriptor contractDescriptor = services.Single(d => d.ServiceType == contract);
            ServiceDescriptor clientDescriptor = services.Single(d => d.ServiceType == client);
            Assert.Equal(clientDescriptor.Lifetime, contractDescriptor.Lifetime);
            Assert.Equal(key, contractDescriptor.ServiceKey);
            Assert.Equal(clientDescriptor.ServiceKey, contractDescriptor.ServiceKey);
        }
    }

    [Fact]
    public async Task AddApiClientWithAnInterface_RegistersBoth_PlainAndKeyed()
    {
        var handler = new RecordingHandler("""{"id":7,"name":"Rex"}""");
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Pets:Credential"] = "pets-key", ["Shelters:North:Credential"] = "north-key" },
            services =>
            {
                services.AddApiClient<IPetsClient, PetsClient>("Pets", static (http, options) => new PetsClient(http, options)).ConfigurePrimaryHttpMessageHandler(() => handler);
                services.AddKeyedApiClient<IPetsClient, PetsClient>("north", "Shelters:North", static (http, options) => new PetsClient(http, options)).ConfigurePrimaryHttpMessageHandler(() => handler);
            });

        Pet pet = await provider.GetRequiredService<IPetsClient>().GetPetAsync(7);
        await provider.GetRequiredKeyedService<IPetsClient>("north").GetPetAsync(1);

        Assert.Equal("Rex", pet.Name);
        Assert.IsType<PetsClient>(provider.GetRequiredService<PetsClient>());
        Assert.Equal(["pets-key", "north-key"], handler.Sent.Select(sent => sent.Headers["X-Pets-Key"]));
    }

    [Fact]
    public void AddApiClientWithAnInterface_RefusesAMissingKeyOrConfigure()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.AddKeyedApiClient<IPetsClient, PetsClient>(" ", static (http, options) => new PetsClient(http, options), options => { }));
        Assert.Throws<ArgumentNullException>(() => services.AddApiClient<IPetsClient, PetsClient>(static (http, options) => new PetsClient(http, options), null!));
        Assert.Throws<ArgumentNullException>(() => services.AddApiClient<IPetsClient, PetsClient>(null!, static (http, options) => new PetsClient(http, options)));
        Assert.Empty(services);
    }

    // A service of the kind an application writes: it takes the interface, never the client.
    private sealed class Greeter(IBasetenInferenceClient model)
    {
        public async Task<string> GreetAsync(CancellationToken cancellationToken)
            => (await model.PredictAsync(s_input, cancellationToken: cancellationToken)).GetProperty("text").GetString()!;
    }
}
