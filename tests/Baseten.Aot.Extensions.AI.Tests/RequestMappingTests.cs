using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Baseten.Aot.Extensions.AI.Tests;

using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using ChatResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat;

// Microsoft.Extensions.AI's messages and options, as the request that reaches the server.
public sealed class RequestMappingTests
{
    private const string Answer = """{"id":"c1","object":"chat.completion","created":1700000000,"model":"openai/gpt-oss-120b","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""";

    [Fact]
    public async Task Every_role_and_content_kind_goes_out_in_the_protocol_shape()
    {
        await using var fixture = AdapterFixture.AnsweringJson(Answer);
        var weatherCall = new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 2 });
        AIChatMessage[] conversation =
        [
            new(ChatRole.System, "Be brief."),
            new(ChatRole.User, [new TextContent("What is "), new TextContent("the weather?")]) { AuthorName = "ann" },
            new(ChatRole.Assistant, [new TextReasoningContent("I should call the tool."), weatherCall]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", JsonDocument.Parse("""{"sky":"clear"}""").RootElement)]),
            new(ChatRole.User, [new TextContent("Draw it"), new UriContent(new Uri("https://example.com/sky.png"), "image/png")]),
        ];

        await fixture.Client.GetResponseAsync(conversation, new ChatOptions { Instructions = "Answer in French." });

        IReadOnlyList<JsonElement> sent = AdapterFixture.Messages(fixture.SentBody());
        Assert.Equal(["system", "system", "user", "assistant", "tool", "user"], sent.Select(message => message.GetProperty("role").GetString()));
        Assert.Equal("Answer in French.", sent[0].GetProperty("content").GetString());
        Assert.Equal("Be brief.", sent[1].GetProperty("content").GetString());
        Assert.Equal("What is the weather?", sent[2].GetProperty("content").GetString());
        Assert.Equal("ann", sent[2].GetProperty("name").GetString());

        JsonElement assistant = sent[3];
        Assert.Equal("I should call the tool.", assistant.GetProperty("reasoning_content").GetString());
        JsonElement call = Assert.Single(assistant.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("call_1", call.GetProperty("id").GetString());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        using JsonDocument arguments = JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!);
        Assert.Equal("Paris", arguments.RootElement.GetProperty("city").GetString());
        Assert.Equal(2, arguments.RootElement.GetProperty("days").GetInt32());

        Assert.Equal("call_1", sent[4].GetProperty("tool_call_id").GetString());
        Assert.Equal("""{"sky":"clear"}""", sent[4].GetProperty("content").GetString());

        JsonElement[] parts = sent[5].GetProperty("content").EnumerateArray().ToArray();
        Assert.Equal("text", parts[0].GetProperty("type").GetString());
        Assert.Equal("Draw it", parts[0].GetProperty("text").GetString());
        Assert.Equal("image_url", parts[1].GetProperty("type").GetString());
        Assert.Equal("https://example.com/sky.png", parts[1].GetProperty("image_url").GetProperty("url").GetString());
    }

    [Fact]
    public async Task Options_map_to_their_request_fields()
    {
        await using var fixture = AdapterFixture.AnsweringJson(Answer);
        AIFunction weather = AIFunctionFactory.Create((string city) => "sunny in " + city, "get_weather", "The weather in a city.");
        JsonElement schema = JsonDocument.Parse("""{"type":"object","properties":{"sky":{"type":"string"}},"required":["sky"]}""").RootElement;
        var options = new ChatOptions
        {
            ModelId = "deepseek-ai/DeepSeek-V3.1",
            Temperature = 0.25f,
            TopP = 0.5f,
            MaxOutputTokens = 300,
            StopSequences = ["END", "STOP"],
            Seed = 42,
            PresencePenalty = 0.5f,
            FrequencyPenalty = 0.75f,
            AllowMultipleToolCalls = false,
            Tools = [weather],
            ToolMode = ChatToolMode.RequireSpecific("get_weather"),
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "weather", "The weather."),
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low },
            AdditionalProperties = new() { ["n"] = 2, ["user"] = "u-7", ["strict"] = true, ["chat_template_args"] = JsonDocument.Parse("""{"enable_thinking":false}""").RootElement },
        };

        await fixture.Client.GetResponseAsync("Weather?", options);

        JsonElement body = fixture.SentBody();
        Assert.Equal("deepseek-ai/DeepSeek-V3.1", body.GetProperty("model").GetString());
        Assert.Equal(0.25, body.GetProperty("temperature").GetDouble());
        Assert.Equal(0.5, body.GetProperty("top_p").GetDouble());
        Assert.Equal(300, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal(["END", "STOP"], body.GetProperty("stop").EnumerateArray().Select(stop => stop.GetString()));
        Assert.Equal(42, body.GetProperty("seed").GetInt64());
        Assert.Equal(0.5, body.GetProperty("presence_penalty").GetDouble());
        Assert.Equal(0.75, body.GetProperty("frequency_penalty").GetDouble());
        Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("low", body.GetProperty("reasoning_effort").GetString());
        Assert.Equal(2, body.GetProperty("n").GetInt32());
        Assert.Equal("u-7", body.GetProperty("user").GetString());
        Assert.False(body.GetProperty("chat_template_args").GetProperty("enable_thinking").GetBoolean());
        Assert.False(body.TryGetProperty("stream", out _));

        JsonElement tool = Assert.Single(body.GetProperty("tools").EnumerateArray());
        Assert.Equal("function", tool.GetProperty("type").GetString());
        Assert.Equal("get_weather", tool.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("The weather in a city.", tool.GetProperty("function").GetProperty("description").GetString());
        Assert.Equal(weather.JsonSchema.GetRawText(), tool.GetProperty("function").GetProperty("parameters").GetRawText());
        Assert.Equal("string", tool.GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("city").GetProperty("type").GetString());

        Assert.Equal("function", body.GetProperty("tool_choice").GetProperty("type").GetString());
        Assert.Equal("get_weather", body.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());

        JsonElement format = body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("weather", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.Equal("The weather.", format.GetProperty("json_schema").GetProperty("description").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
        Assert.Equal(schema.GetRawText(), format.GetProperty("json_schema").GetProperty("schema").GetRawText());
    }

    [Theory]
    [InlineData("auto", "auto")]
    [InlineData("none", "none")]
    [InlineData("required", "required")]
    public async Task Tool_modes_map_to_tool_choice(string mode, string expected)
    {
        await using var fixture = AdapterFixture.AnsweringJson(Answer);
        ChatToolMode toolMode = mode switch { "auto" => ChatToolMode.Auto, "none" => ChatToolMode.None, _ => ChatToolMode.RequireAny };

        await fixture.Client.GetResponseAsync("Hi", new ChatOptions { ToolMode = toolMode, ResponseFormat = ChatResponseFormat.Json });

        JsonElement body = fixture.SentBody();
        Assert.Equal(expected, body.GetProperty("tool_choice").GetString());
        Assert.Equal("json_object", body.GetProperty("response_format").GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_model_of_the_client_options_is_sent_when_the_call_names_none()
    {
        await using var fixture = AdapterFixture.AnsweringJson(Answer);

        await fixture.Client.GetResponseAsync("Hi");

        Assert.Equal(AdapterFixture.Model, fixture.SentBody().GetProperty("model").GetString());
    }

    [Fact]
    public async Task A_request_from_RawRepresentationFactory_is_the_starting_point()
    {
        await using var fixture = AdapterFixture.AnsweringJson(Answer);
        var options = new ChatOptions
        {
            Temperature = 0.5f,
            RawRepresentationFactory = _ => new ChatCompletionRequest { Messages = [], TopLogprobs = 3, Temperature = 0.9 },
        };

        await fixture.Client.GetResponseAsync("Hi", options);

        JsonElement body = fixture.SentBody();
        Assert.Equal(3, body.GetProperty("top_logprobs").GetInt32());
        Assert.Equal(0.5, body.GetProperty("temperature").GetDouble());
    }

    [Fact]
    public async Task What_the_request_cannot_carry_is_refused_before_anything_is_sent()
    {
        await using var fixture = AdapterFixture.AnsweringJson(Answer);

        NotSupportedException audio = await Assert.ThrowsAsync<NotSupportedException>(() => fixture.Client.GetResponseAsync([new AIChatMessage(ChatRole.User, [new DataContent(new byte[] { 1, 2 }, "audio/wav")])]));
        Assert.Contains("DataContent", audio.Message);
        ArgumentException wrongType = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetResponseAsync("Hi", new ChatOptions { AdditionalProperties = new() { ["n"] = "two" } }));
        Assert.Contains("\"n\"", wrongType.Message);
        Assert.Empty(fixture.Server.Requests);
    }
}
