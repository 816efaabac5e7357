using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Baseten.Aot.Extensions.AI.Tests;

using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;

// The server's answers, whole and streamed, as Microsoft.Extensions.AI's types.
public sealed class ResponseMappingTests
{
    [Fact]
    public async Task A_completion_maps_to_a_response_with_its_text_reasoning_calls_and_usage()
    {
        await using var fixture = AdapterFixture.AnsweringJson("""
            {"id":"chatcmpl-9","object":"chat.completion","created":1700000000,"model":"openai/gpt-oss-120b","system_fingerprint":"fp_1",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Let me look.","reasoning_content":"The user wants weather.",
               "tool_calls":[{"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                             {"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"not json"}}]},
               "finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":3}}}
            """);

        ChatResponse response = await fixture.Client.GetResponseAsync("Weather in Paris?");

        Assert.Equal("chatcmpl-9", response.ResponseId);
        Assert.Equal("openai/gpt-oss-120b", response.ModelId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), response.CreatedAt);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("fp_1", response.AdditionalProperties?["system_fingerprint"]);
        Assert.IsType<ChatCompletion>(response.RawRepresentation);

        Assert.NotNull(response.Usage);
        Assert.Equal(11, response.Usage.InputTokenCount);
        Assert.Equal(7, response.Usage.OutputTokenCount);
        Assert.Equal(18, response.Usage.TotalTokenCount);
        Assert.Equal(4, response.Usage.CachedInputTokenCount);
        Assert.Equal(3, response.Usage.ReasoningTokenCount);

        AIChatMessage message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Equal("chatcmpl-9", message.MessageId);
        Assert.IsType<Baseten.Aot.ChatMessage>(message.RawRepresentation);
        Assert.Equal("Let me look.", message.Text);
        Assert.Equal("The user wants weather.", Assert.Single(message.Contents.OfType<TextReasoningContent>()).Text);

        FunctionCallContent[] calls = message.Contents.OfType<FunctionCallContent>().ToArray();
        Assert.Equal(["call_a", "call_b"], calls.Select(call => call.CallId));
        Assert.Equal("Paris", ((JsonElement)calls[0].Arguments!["city"]!).GetString());
        Assert.Null(calls[0].Exception);
        Assert.IsType<ChatToolCall>(calls[0].RawRepresentation);
        // Arguments the model wrote badly are the call's exception, for the function-invoking pipeline to report back.
        Assert.NotNull(calls[1].Exception);
    }

    [Fact]
    public async Task A_stream_maps_to_updates_with_deltas_calls_joined_by_index_finish_reason_and_usage()
    {
        await using var fixture = AdapterFixture.AnsweringEvents(
            """{"id":"s1","object":"chat.completion.chunk","created":1700000001,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}""",
            """{"id":"s1","object":"chat.completion.chunk","created":1700000001,"model":"m","choices":[{"index":0,"delta":{"reasoning_content":"Think."}}]}""",
            """{"id":"s1","object":"chat.completion.chunk","created":1700000001,"model":"m","choices":[{"index":0,"delta":{"content":"Hel"}}]}""",
            """{"id":"s1","object":"chat.completion.chunk","created":1700000001,"model":"m","choices":[{"index":0,"delta":{"content":"lo"}}]}""",
            """{"id":"s1","object":"chat.completion.chunk","created":1700000001,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_x","type":"function","function":{"name":"get_weather","arguments":"{\"ci"}}]}}]}""",
            """{"id":"s1","object":"chat.completion.chunk","created":1700000001,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_y","type":"function","function":{"name":"get_time","arguments":"{}"}}]}}]}""",
            """{"id":"s1","object":"chat.completion.chunk","created":1700000001,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\":\"Oslo\"}"}}]}}]}""",
            """{"id":"s1","object":"chat.completion.chunk","created":1700000001,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""",
            """{"id":"s1","object":"chat.completion.chunk","created":1700000001,"model":"m","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}}""");

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in fixture.Client.GetStreamingResponseAsync("Hi"))
        {
            updates.Add(update);
        }

        Assert.Equal(9, updates.Count);
        Assert.All(updates, update =>
        {
            Assert.Equal("s1", update.ResponseId);
            Assert.Equal("m", update.ModelId);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000001), update.CreatedAt);
            Assert.Equal(ChatRole.Assistant, update.Role);
            Assert.IsType<ChatCompletionChunk>(update.RawRepresentation);
        });
        Assert.Equal("Think.", Assert.IsType<TextReasoningContent>(Assert.Single(updates[1].Contents)).Text);
        Assert.Equal(["", "", "Hel", "lo", "", "", "", "", ""], updates.Select(update => update.Text));

        // No call is handed out in pieces: both whole on the update with the finish reason.
        Assert.Empty(updates.Take(7).SelectMany(update => update.Contents.OfType<FunctionCallContent>()));
        Assert.Equal(ChatFinishReason.ToolCalls, updates[7].FinishReason);
        FunctionCallContent[] calls = updates[7].Contents.OfType<FunctionCallContent>().ToArray();
        Assert.Equal(["call_x", "call_y"], calls.Select(call => call.CallId));
        Assert.Equal(["get_weather", "get_time"], calls.Select(call => call.Name));
        Assert.Equal("Oslo", ((JsonElement)calls[0].Arguments!["city"]!).GetString());
        Assert.Empty(calls[1].Arguments!);

        UsageDetails usage = Assert.IsType<UsageContent>(Assert.Single(updates[8].Contents)).Details;
        Assert.Equal(5, usage.InputTokenCount);
        Assert.Equal(9, usage.OutputTokenCount);
        Assert.Equal(14, usage.TotalTokenCount);

        // Microsoft.Extensions.AI's own joining of the updates gives the whole answer back.
        ChatResponse whole = updates.ToChatResponse();
        Assert.Equal("Hello", whole.Text);
        Assert.Equal(14, whole.Usage?.TotalTokenCount);
        Assert.Equal(2, whole.Messages.SelectMany(message => message.Contents).OfType<FunctionCallContent>().Count());
    }

    [Fact]
    public async Task Tool_calls_of_a_stream_without_a_finish_reason_come_in_a_last_update()
    {
        await using var fixture = AdapterFixture.AnsweringEvents(
            """{"id":"s2","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_z","function":{"name":"f","arguments":"{\"a\":1}"}}]}}]}""");

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in fixture.Client.GetStreamingResponseAsync("Hi"))
        {
            updates.Add(update);
        }

        Assert.Equal(2, updates.Count);
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(Assert.Single(updates[1].Contents));
        Assert.Equal("call_z", call.CallId);
        Assert.Equal("s2", updates[1].ResponseId);
        Assert.Null(updates[1].RawRepresentation);
    }

    [Fact]
    public async Task A_streamed_request_asks_for_a_stream_with_usage()
    {
        await using var fixture = AdapterFixture.AnsweringEvents("""{"id":"s3","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}""");

        await foreach (ChatResponseUpdate update in fixture.Client.GetStreamingResponseAsync("Hi"))
        {
            Assert.Equal(ChatFinishReason.Stop, update.FinishReason);
        }

        JsonElement body = fixture.SentBody();
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task GetService_gives_the_metadata_and_the_underlying_client()
    {
        await using var fixture = AdapterFixture.AnsweringJson("{}");

        ChatClientMetadata metadata = Assert.IsType<ChatClientMetadata>(fixture.Client.GetService(typeof(ChatClientMetadata)));
        Assert.Equal("baseten", metadata.ProviderName);
        Assert.Equal(BasetenChatClient.AddressOf(fixture.Options), metadata.ProviderUri);
        Assert.Equal(AdapterFixture.Model, metadata.DefaultModelId);
        BasetenChatClient client = Assert.IsType<BasetenChatClient>(fixture.Client.GetService<BasetenChatClient>());
        Assert.Equal(client.BaseAddress, metadata.ProviderUri);
        Assert.Equal(client.Model, metadata.DefaultModelId);
        Assert.Same(fixture.Client, fixture.Client.GetService<IChatClient>());
        Assert.Null(fixture.Client.GetService(typeof(BasetenChatClient), "a key"));
        Assert.Null(fixture.Client.GetService(typeof(string)));
    }

    [Fact]
    public async Task Errors_are_the_clients_own()
    {
        await using var fixture = AdapterFixture.Answering(_ => new Baseten.Aot.Extensions.Tests.LoopbackResponse(401, """{"error":{"message":"bad key"}}"""));

        BasetenApiException error = await Assert.ThrowsAsync<BasetenApiException>(() => fixture.Client.GetResponseAsync("Hi"));
        Assert.Equal(401, (int)error.StatusCode);
        Assert.DoesNotContain("test-key", error.ToString(), StringComparison.Ordinal);
    }
}
