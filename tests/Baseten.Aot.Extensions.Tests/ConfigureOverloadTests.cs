using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using Baseten.Aot.Extensions.Tests.Pets;
using Microsoft.Extensions.DependencyInjection;

namespace Baseten.Aot.Extensions.Tests;

/// <summary>
/// The <c>Action&lt;TOptions&gt;</c> overloads, the form a .NET developer types first
/// (<c>services.AddBasetenClient(o =&gt; o.ApiKey = ...)</c>): the unkeyed Baseten clients still read the
/// <c>Baseten</c> section first, the keyed and generated clients read no configuration at all.
/// </summary>
public sealed class ConfigureOverloadTests
{
    private static readonly JsonElement s_input = JsonDocument.Parse("""{"prompt":"hi"}""").RootElement;

    // Configuration a code-only registration must not read: it would send this key, to this address.
    private static readonly Dictionary<string, string?> s_unrelatedConfiguration = new()
    {
        ["Baseten:ApiKey"] = "section-key",
        ["Baseten:BaseAddress"] = "https://section.example.com",
        ["Baseten:ModelId"] = "section-model",
    };

    [Fact]
    public async Task AddBasetenClient_WithALambda_ReadsTheBasetenSection_ThenTheCode()
    {
        var handler = new RecordingHandler(TestHost.ChainEnvironmentJson);
        using var provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "section-key", ["Baseten:BaseAddress"] = "https://gateway.example.com" },
            services => services.AddBasetenClient(o => o.ApiKey = "code-key").ConfigurePrimaryHttpMessageHandler(() => handler));

        await TestHost.CreateEnvironmentAsync(provider.GetRequiredService<BasetenClient>());

        SentRequest sent = Assert.Single(handler.Sent);
        Assert.Equal("Api-Key code-key", sent.Authorization);
        Assert.Equal("https://gateway.example.com/v1/chains/abc/environments", sent.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task AddBasetenInferenceClient_WithALambda_ReadsTheBasetenSection_ThenTheCode()
    {
        var handler = new RecordingHandler("""{"text":"hello"}""");
        using var provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "section-key" },
            services => services.AddBasetenInferenceClient(o => o.ModelId = "abc123").ConfigurePrimaryHttpMessageHandler(() => handler));

        await provider.GetRequiredService<BasetenInferenceClient>().PredictAsync(s_input);

        SentRequest sent = Assert.Single(handler.Sent);
        Assert.Equal("Bearer section-key", sent.Authorization);
        Assert.Equal("https://model-abc123.api.baseten.co/production/predict", sent.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task AddKeyedBasetenClient_WithALambda_TakesItsOptionsFromCodeOnly()
    {
        var handler = new RecordingHandler(TestHost.ChainEnvironmentJson);
        using var provider = TestHost.Build(
            s_unrelatedConfiguration,
            services => services.AddKeyedBasetenClient("second-workspace", o => o.ApiKey = "second-key").ConfigurePrimaryHttpMessageHandler(() => handler));

        await TestHost.CreateEnvironmentAsync(provider.GetRequiredKeyedService<BasetenClient>("second-workspace"));

        SentRequest sent = Assert.Single(handler.Sent);
        Assert.Equal("Api-Key second-key", sent.Authorization);
        Assert.Equal("https://api.baseten.co/v1/chains/abc/environments", sent.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task AddKeyedBasetenInferenceClient_WithALambda_TakesItsOptionsFromCodeOnly()
    {
        var handler = new RecordingHandler("""{"text":"hello"}""");
        using var provider = TestHost.Build(
            s_unrelatedConfiguration,
            services => services.AddKeyedBasetenInferenceClient("summarizer", o =>
            {
                o.ApiKey = "model-key";
                o.ModelId = "sum42";
            }).ConfigurePrimaryHttpMessageHandler(() => handler));

        await provider.GetRequiredKeyedService<BasetenInferenceClient>("summarizer").PredictAsync(s_input);

        SentRequest sent = Assert.Single(handler.Sent);
        Assert.Equal("Bearer model-key", sent.Authorization);
        Assert.Equal("https://model-sum42.api.baseten.co/production/predict", sent.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task AddApiClient_WithALambda_TakesItsOptionsFromCodeOnly()
    {
        var handler = new RecordingHandler("""{"id":7,"name":"Rex"}""");
        using var provider = TestHost.Build(
            new Dictionary<string, string?> { ["Pets:Credential"] = "section-key" },
            services => services.AddApiClient(static (http, options) => new PetsClient(http, options), o => o.Credential = "pets-key").ConfigurePrimaryHttpMessageHandler(() => handler));

        await provider.GetRequiredService<PetsClient>().GetPetAsync(7);

        SentRequest sent = Assert.Single(handler.Sent);
        Assert.Equal("pets-key", sent.Headers["X-Pets-Key"]);
        Assert.Equal("https://pets.example.com/pets/7", sent.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task AddKeyedApiClient_WithALambda_TakesItsOptionsFromCodeOnly()
    {
        var handler = new RecordingHandler("""{"id":1,"name":"Tom"}""");
        using var provider = TestHost.Build(
            new Dictionary<string, string?>(),
            services => services.AddKeyedApiClient("north", static (http, options) => new PetsClient(http, options), o =>
            {
                o.Credential = "north-key";
                o.BaseAddress = new Uri("https://north.pets.example.com");
            }).ConfigurePrimaryHttpMessageHandler(() => handler));

        await provider.GetRequiredKeyedService<PetsClient>("north").GetPetAsync(1);

        SentRequest sent = Assert.Single(handler.Sent);
        Assert.Equal("north-key", sent.Headers["X-Pets-Key"]);
        Assert.Equal("https://north.pets.example.com/pets/1", sent.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task AddKeyedApiClientWithAnInterface_WithALambda_ResolvesTheInterfaceUnderItsKey_FromCodeOnly()
    {
        var handler = new RecordingHandler("""{"id":3,"name":"Kit"}""");
        using var provider = TestHost.Build(
            // A section under the key's name, and the client's default one: a code-only registration reads neither.
            new Dictionary<string, string?> { ["Pets:Credential"] = "section-key", ["north:Credential"] = "section-key", ["north:BaseAddress"] = "https://section.example.com" },
            services => services.AddKeyedApiClient<IPetsClient, PetsClient>("north", static (http, options) => new PetsClient(http, options), o =>
            {
                o.Credential = "north-key";
                o.BaseAddress = new Uri("https://north.pets.example.com");
            }).ConfigurePrimaryHttpMessageHandler(() => handler));

        Pet pet = await provider.GetRequiredKeyedService<IPetsClient>("north").GetPetAsync(3);

        Assert.Equal("Kit", pet.Name);
        Assert.IsType<PetsClient>(provider.GetRequiredKeyedService<PetsClient>("north"));
        Assert.Null(provider.GetService<IPetsClient>());
        SentRequest sent = Assert.Single(handler.Sent);
        Assert.Equal("north-key", sent.Headers["X-Pets-Key"]);
        Assert.Equal("https://north.pets.example.com/pets/3", sent.Uri.AbsoluteUri);
    }

    [Fact]
    public void CodeOnlyOptions_ThatCannotMakeAClient_SayTheyWereSetInCode_NotWhichSection()
    {
        using var provider = TestHost.Build(
            s_unrelatedConfiguration,
            services => services.AddKeyedBasetenInferenceClient("summarizer", o => o.ApiKey = "model-key"));

        var exception = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<BasetenInferenceClient>("summarizer"));

        Assert.StartsWith("Cannot create BasetenInferenceClient 'summarizer' (options set in code): ", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("configuration section", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("model-key", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALambdaThatIsNull_IsRefusedAtRegistration()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentNullException>(() => services.AddBasetenClient((Action<BasetenClientOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddKeyedBasetenInferenceClient("k", (Action<BasetenInferenceClientOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddApiClient(static (http, options) => new PetsClient(http, options), null!));
    }
}
