using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Tests;

/// <summary>
/// What a caller sends beyond OpenAI's members, over a loopback Kestrel server: the sampling fields
/// the request declares (top_k, min_p, repetition_penalty), an engine's own fields in the extra
/// members of the request, its stream options, messages, content parts and tool calls, as the
/// server receives them; an extra member that repeats a declared one is refused before anything is
/// sent; and the client's resolved address and default model.
/// </summary>
public sealed class ChatExtraMembersTests : IAsyncLifetime
{
    private const string Key = "chat-extra-key";
    private const string Answer = """{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi."},"finish_reason":"stop"}]}""";
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private BasetenChatClient Client() => new(new BasetenChatClientOptions { ApiKey = Key, Model = "zai-org/GLM-4.7", BaseAddress = _server.BaseAddress, Retry = RetryPolicy.None });

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private JsonElement SentBody()
    {
        RecordedRequest request = Assert.Single(_server.Requests);
        return JsonDocument.Parse(request.Body).RootElement.Clone();
    }

    [Fact]
    public async Task DeclaredSamplingFields_AndExtraMembers_ReachTheWire_ExtraOnesAfterTheDeclared()
    {
        _server.RespondJson(200, Answer);
        using BasetenChatClient client = Client();
        var request = new ChatCompletionRequest
        {
            Messages = [ChatMessage.FromUser("hello")],
            Temperature = 0.7,
            TopK = 40,
            MinP = 0.05,
            RepetitionPenalty = 1.1,
            AdditionalProperties = new Dictionary<string, JsonElement>
            {
                ["min_tokens"] = Json("4"),
                ["stop_token_ids"] = Json("[128001,128009]"),
                ["ignore_eos"] = Json("false"),
                ["chat_template_kwargs"] = Json("""{"enable_thinking":true}"""),
            },
        };

        await client.CompleteAsync(request);

        JsonElement body = SentBody();
        Assert.Equal(40, body.GetProperty("top_k").GetInt64());
        Assert.Equal(0.05, body.GetProperty("min_p").GetDouble());
        Assert.Equal(1.1, body.GetProperty("repetition_penalty").GetDouble());
        Assert.Equal(4, body.GetProperty("min_tokens").GetInt32());
        Assert.Equal("[128001,128009]", body.GetProperty("stop_token_ids").GetRawText());
        Assert.False(body.GetProperty("ignore_eos").GetBoolean());
        Assert.True(body.GetProperty("chat_template_kwargs").GetProperty("enable_thinking").GetBoolean());
        Assert.Equal("zai-org/GLM-4.7", body.GetProperty("model").GetString());

        // Each name once, the declared members first and the extra ones after them, in the caller's order.
        string[] names = body.EnumerateObject().Select(member => member.Name).ToArray();
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["min_tokens", "stop_token_ids", "ignore_eos", "chat_template_kwargs"], names[^4..]);
    }

    [Fact]
    public async Task Streaming_SendsTheExtraMembersOfTheRequest_AndOfTheCallersStreamOptions()
    {
        _server.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"id\":\"s\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi.\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        };
        using BasetenChatClient client = Client();
        var request = new ChatCompletionRequest
        {
            Messages = [ChatMessage.FromUser("hello")],
            StreamOptions = new ChatStreamOptions { IncludeUsage = true, AdditionalProperties = new Dictionary<string, JsonElement> { ["continuous_usage_stats"] = Json("true") } },
            AdditionalProperties = new Dictionary<string, JsonElement> { ["top_p_min"] = Json("0.1") },
        };

        await foreach (ChatCompletionChunk _ in client.CompleteStreamingAsync(request))
        {
        }

        JsonElement body = SentBody();
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("continuous_usage_stats").GetBoolean());
        Assert.Equal(0.1, body.GetProperty("top_p_min").GetDouble());
    }

    [Fact]
    public async Task ExtraMembersOfMessagesContentPartsAndToolCalls_ReachTheWire()
    {
        _server.RespondJson(200, Answer);
        using BasetenChatClient client = Client();
        var video = new ChatContentPart { Type = "video_url", AdditionalProperties = new Dictionary<string, JsonElement> { ["video_url"] = Json("""{"url":"https://example.com/v.mp4"}""") } };
        var call = new ChatToolCall { Id = "call_1", Type = "function", Function = new ChatFunctionCall { Name = "f", Arguments = "{}" }, AdditionalProperties = new Dictionary<string, JsonElement> { ["index"] = Json("0") } };
        var request = new ChatCompletionRequest
        {
            Messages =
            [
                new ChatMessage { Role = ChatMessageRole.User, Content = new StringOrChatContentPartList([new ChatContentPart { Type = "text", Text = "What happens?" }, video]) },
                new ChatMessage { Role = ChatMessageRole.Assistant, Content = null, ToolCalls = [call], AdditionalProperties = new Dictionary<string, JsonElement> { ["prefix"] = Json("true") } },
            ],
        };

        await client.CompleteAsync(request);

        JsonElement[] messages = SentBody().GetProperty("messages").EnumerateArray().ToArray();
        JsonElement part = messages[0].GetProperty("content")[1];
        Assert.Equal("video_url", part.GetProperty("type").GetString());
        Assert.Equal("https://example.com/v.mp4", part.GetProperty("video_url").GetProperty("url").GetString());
        Assert.True(messages[1].GetProperty("prefix").GetBoolean());
        Assert.Equal(0, messages[1].GetProperty("tool_calls")[0].GetProperty("index").GetInt32());
    }

    public static TheoryData<string, string, string> Repeats => new()
    {
        { "request", "temperature", "ChatCompletionRequest.Temperature" },
        { "request", "top_k", "ChatCompletionRequest.TopK" },
        { "request", "messages", "ChatCompletionRequest.Messages" },
        { "message", "role", "ChatMessage.Role" },
        { "part", "text", "ChatContentPart.Text" },
        { "call", "id", "ChatToolCall.Id" },
        { "stream", "include_usage", "ChatStreamOptions.IncludeUsage" },
    };

    private static ChatCompletionRequest Repeating(string where, string name)
    {
        var extra = new Dictionary<string, JsonElement> { ["harmless"] = Json("1"), [name] = Json("2") };
        var part = new ChatContentPart { Type = "text", Text = "hi" };
        var call = new ChatToolCall { Id = "call_1", Type = "function", Function = new ChatFunctionCall { Name = "f", Arguments = "{}" } };
        var message = new ChatMessage { Role = ChatMessageRole.User, Content = new StringOrChatContentPartList([part]) };
        var request = new ChatCompletionRequest
        {
            Messages = [ChatMessage.FromSystem("Be brief."), message, new ChatMessage { Role = ChatMessageRole.Assistant, Content = null, ToolCalls = [call] }],
            StreamOptions = new ChatStreamOptions { IncludeUsage = true },
        };
        switch (where)
        {
            case "request":
                request.AdditionalProperties = extra;
                break;
            case "message":
                message.AdditionalProperties = extra;
                break;
            case "part":
                part.AdditionalProperties = extra;
                break;
            case "call":
                call.AdditionalProperties = extra;
                break;
            default:
                request.StreamOptions.AdditionalProperties = extra;
                break;
        }

        return request;
    }

    [Theory]
    [MemberData(nameof(Repeats))]
    public async Task AnExtraMemberThatRepeatsADeclaredOne_IsRefused_BeforeAnythingIsSent(string where, string name, string property)
    {
        _server.RespondJson(200, Answer);
        using BasetenChatClient client = Client();

        // The stream options of a whole answer are not sent (CompleteAsync clears them): only streaming is asked about them.
        if (where != "stream")
        {
            ArgumentException whole = await Assert.ThrowsAsync<ArgumentException>(() => client.CompleteAsync(Repeating(where, name)));
            Assert.Contains("\"" + name + "\"", whole.Message, StringComparison.Ordinal);
            Assert.Contains(property, whole.Message, StringComparison.Ordinal);
            Assert.Equal("request", whole.ParamName);
        }

        ArgumentException streamed = Assert.Throws<ArgumentException>(() => client.CompleteStreamingAsync(Repeating(where, name)));
        Assert.Contains("\"" + name + "\"", streamed.Message, StringComparison.Ordinal);
        Assert.Contains(property, streamed.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task TheRefusalSaysWhereTheMemberIs()
    {
        using BasetenChatClient client = Client();

        ArgumentException refused = await Assert.ThrowsAsync<ArgumentException>(() => client.CompleteAsync(Repeating("call", "function")));

        Assert.StartsWith("request.Messages[2].ToolCalls[0].AdditionalProperties has \"function\"", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task AnAnswerWithMembersNewerThanTheClient_GoesBackIntoTheConversation_WithoutARefusal()
    {
        _server.RespondJson(200, """{"id":"c1","choices":[{"index":0,"message":{"role":"assistant","content":"Hi.","refusal":null,"annotations":[]},"finish_reason":"stop"}]}""");
        using BasetenChatClient client = Client();
        ChatCompletion first = await client.CompleteAsync(new ChatCompletionRequest { Messages = [ChatMessage.FromUser("hello")] });

        await client.CompleteAsync(new ChatCompletionRequest { Messages = [ChatMessage.FromUser("hello"), first.Choices[0].Message, ChatMessage.FromUser("again")] });

        using JsonDocument second = JsonDocument.Parse(_server.Requests[1].Body);
        JsonElement kept = second.RootElement.GetProperty("messages")[1];
        Assert.Equal(JsonValueKind.Null, kept.GetProperty("refusal").ValueKind);
        Assert.Equal(JsonValueKind.Array, kept.GetProperty("annotations").ValueKind);
    }

    [Theory]
    [InlineData(null, null, "https://inference.baseten.co/")]
    [InlineData("abc123", null, "https://model-abc123.api.baseten.co/environments/production/sync")]
    [InlineData("abc123", "staging", "https://model-abc123.api.baseten.co/environments/staging/sync")]
    public void BaseAddress_IsTheResolvedRoot_AndModel_TheOptionsDefault(string? modelId, string? environment, string expected)
    {
        var options = new BasetenChatClientOptions { ApiKey = Key, ModelId = modelId, Target = environment is null ? null : PredictTarget.Environment(environment), Model = modelId is null ? "openai/gpt-oss-120b" : null };
        using var client = new BasetenChatClient(options);

        Assert.Equal(expected, client.BaseAddress.AbsoluteUri);
        Assert.Equal(BasetenChatClient.AddressOf(options), client.BaseAddress);
        Assert.Equal(options.Model, client.Model);
    }

    [Fact]
    public void AClientMadeFromATransport_HasItsBaseAddress_AndNoDefaultModel()
    {
        using var http = new HttpClient();
        using var client = new BasetenChatClient(new ApiTransport(http, new Uri("https://gateway.example.com/baseten/"), null));

        Assert.Equal("https://gateway.example.com/baseten", client.BaseAddress.AbsoluteUri);
        Assert.Null(client.Model);
    }
}
