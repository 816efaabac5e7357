using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace Baseten.Aot.Extensions.Tests;

/// <summary>
/// <c>AddBasetenChatClient</c> and its keyed form: options from the <c>Baseten:Chat</c> section (not the
/// <c>Baseten</c> one, whose address and model id belong to the other clients) and then from code, the
/// interface registered beside the client, and every configuration mistake named when it is resolved.
/// </summary>
public sealed class ChatRegistrationTests
{
    private const string Answer = """{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi."},"finish_reason":"stop"}]}""";

    private static ChatCompletionRequest Ask() => new() { Messages = [ChatMessage.FromUser("Hello?")] };

    [Fact]
    public async Task TheChatSection_ChoosesAModelApi_AndTheBasetenSectionIsNotRead()
    {
        var handler = new RecordingHandler(Answer);
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?>
            {
                ["Baseten:ApiKey"] = "management-key",
                ["Baseten:ModelId"] = "abc123",
                ["Baseten:BaseAddress"] = "https://api.example.com",
                ["Baseten:Chat:ApiKey"] = "chat-key",
                ["Baseten:Chat:Model"] = "openai/gpt-oss-120b",
            },
            services => services.AddBasetenChatClient().ConfigurePrimaryHttpMessageHandler(() => handler));

        IBasetenChatClient chat = provider.GetRequiredService<IBasetenChatClient>();
        ChatCompletion answer = await chat.CompleteAsync(Ask());

        Assert.IsType<BasetenChatClient>(chat);
        Assert.Equal("Hi.", answer.Content());
        SentRequest sent = Assert.Single(handler.Sent);
        Assert.Equal("https://inference.baseten.co/v1/chat/completions", sent.Uri.AbsoluteUri);
        Assert.Equal("Bearer chat-key", sent.Authorization);
        Assert.Equal("openai/gpt-oss-120b", JsonDocument.Parse(sent.Body).RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task ADedicatedDeployment_FromConfiguration_WithTheTargetSetInCode()
    {
        var handler = new RecordingHandler(Answer);
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Llm:ApiKey"] = "chat-key", ["Llm:ModelId"] = "abc123" },
            services => services.AddBasetenChatClient("Llm", options => options.Target = PredictTarget.Development)
                .ConfigurePrimaryHttpMessageHandler(() => handler));

        await provider.GetRequiredService<BasetenChatClient>().CompleteAsync(Ask());

        Assert.Equal("https://model-abc123.api.baseten.co/development/sync/v1/chat/completions", Assert.Single(handler.Sent).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task KeyedChatClients_EachWithItsOwnModel_AndCodeWinsOverConfiguration()
    {
        var handler = new RecordingHandler(Answer);
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Chat:Coder:ApiKey"] = "chat-key", ["Chat:Coder:Model"] = "configured/model" },
            services =>
            {
                services.AddKeyedBasetenChatClient("coder", "Chat:Coder", options => options.Model = "qwen/qwen3-coder").ConfigurePrimaryHttpMessageHandler(() => handler);
                services.AddKeyedBasetenChatClient("writer", options => { options.ApiKey = "writer-key"; options.Model = "deepseek-ai/DeepSeek-V3.1"; })
                    .ConfigurePrimaryHttpMessageHandler(() => handler);
            });

        await provider.GetRequiredKeyedService<IBasetenChatClient>("coder").CompleteAsync(Ask());
        await provider.GetRequiredKeyedService<IBasetenChatClient>("writer").CompleteAsync(Ask());

        Assert.Equal(2, handler.Sent.Count);
        Assert.Equal("qwen/qwen3-coder", JsonDocument.Parse(handler.Sent[0].Body).RootElement.GetProperty("model").GetString());
        Assert.Equal("Bearer writer-key", handler.Sent[1].Authorization);
        Assert.Equal("deepseek-ai/DeepSeek-V3.1", JsonDocument.Parse(handler.Sent[1].Body).RootElement.GetProperty("model").GetString());
        Assert.Null(provider.GetService<IBasetenChatClient>());
    }

    [Fact]
    public void AMisspeltSetting_IsNamed_WithoutItsValue()
    {
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:Chat:ApiKey"] = "chat-key", ["Baseten:Chat:Modle"] = "secret-looking-value" },
            services => services.AddBasetenChatClient());

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IBasetenChatClient>());

        Assert.Contains("'Baseten:Chat:Modle' is not a setting of this client", error.Message, StringComparison.Ordinal);
        Assert.Contains("Model, ModelId, Environment", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-looking-value", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("chat-key", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ATargetWithoutAModelId_IsAConfigurationError_NamingTheSection()
    {
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:Chat:ApiKey"] = "chat-key", ["Baseten:Chat:Environment"] = "prod-us" },
            services => services.AddBasetenChatClient());

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<BasetenChatClient>());

        Assert.StartsWith("Cannot create BasetenChatClient (configuration section 'Baseten:Chat'): ", error.Message, StringComparison.Ordinal);
        Assert.Contains("set ModelId too", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegisteringTheUnkeyedChatClientTwice_IsRefused()
    {
        var services = new ServiceCollection();
        services.AddBasetenChatClient(options => options.Model = "a/b");

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => services.AddBasetenChatClient(options => options.Model = "c/d"));

        Assert.Contains("BasetenChatClient is already registered", error.Message, StringComparison.Ordinal);
    }
}
