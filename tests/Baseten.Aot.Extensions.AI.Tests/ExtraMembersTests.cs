using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace Baseten.Aot.Extensions.AI.Tests;

// ChatOptions.TopK and the AdditionalProperties keys the request does not declare (an engine's own
// fields), as the server receives them; what cannot be written as JSON without reflection, or
// would repeat a member ChatOptions sets, is refused before anything is sent.
public sealed class ExtraMembersTests
{
    private const string Answer = """{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""";

    [Fact]
    public async Task TopK_and_the_sampling_fields_the_request_declares_are_sent_typed()
    {
        await using var fixture = AdapterFixture.AnsweringJson(Answer);

        await fixture.Client.GetResponseAsync("Hi", new ChatOptions { TopK = 40, AdditionalProperties = new() { ["min_p"] = 0.05f, ["repetition_penalty"] = 1.1 } });

        JsonElement body = fixture.SentBody();
        Assert.Equal(40, body.GetProperty("top_k").GetInt32());
        Assert.Equal(0.05, body.GetProperty("min_p").GetDouble(), 6);
        Assert.Equal(1.1, body.GetProperty("repetition_penalty").GetDouble());
    }

    [Fact]
    public async Task Keys_the_request_does_not_declare_reach_the_wire_as_JSON()
    {
        await using var fixture = AdapterFixture.AnsweringJson(Answer);
        var options = new ChatOptions
        {
            AdditionalProperties = new()
            {
                ["ignore_eos"] = true,
                ["min_tokens"] = 8,
                ["length_penalty"] = 1.25m,
                ["guided_choice"] = new List<string> { "yes", "no" },
                ["stop_token_ids"] = new long[] { 128001, 128009 },
                ["chat_template_kwargs"] = new Dictionary<string, object?> { ["enable_thinking"] = false, ["depth"] = 2 },
                ["logit_bias"] = new Dictionary<string, int> { ["50256"] = -100 },
                ["structured_outputs"] = JsonDocument.Parse("""{"regex":"[a-z]+"}""").RootElement,
                ["vllm_xargs"] = JsonNode.Parse("""{"a":[1,null]}"""),
                ["priority"] = null,
                ["bad"] = "darn",
            },
        };

        await fixture.Client.GetResponseAsync("Hi", options);

        JsonElement body = fixture.SentBody();
        Assert.True(body.GetProperty("ignore_eos").GetBoolean());
        Assert.Equal(8, body.GetProperty("min_tokens").GetInt32());
        Assert.Equal("1.25", body.GetProperty("length_penalty").GetRawText());
        Assert.Equal("""["yes","no"]""", body.GetProperty("guided_choice").GetRawText());
        Assert.Equal("[128001,128009]", body.GetProperty("stop_token_ids").GetRawText());
        Assert.Equal("""{"enable_thinking":false,"depth":2}""", body.GetProperty("chat_template_kwargs").GetRawText());
        Assert.Equal("""{"50256":-100}""", body.GetProperty("logit_bias").GetRawText());
        Assert.Equal("[a-z]+", body.GetProperty("structured_outputs").GetProperty("regex").GetString());
        Assert.Equal("""{"a":[1,null]}""", body.GetProperty("vllm_xargs").GetRawText());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("priority").ValueKind);
        Assert.Equal("darn", body.GetProperty("bad").GetString());
    }

    [Fact]
    public async Task Extra_keys_join_those_of_a_starting_request_and_win_over_them_without_changing_its_dictionary()
    {
        await using var fixture = AdapterFixture.AnsweringJson(Answer);
        var earlier = new Dictionary<string, JsonElement>
        {
            ["ignore_eos"] = JsonDocument.Parse("false").RootElement,
            ["min_tokens"] = JsonDocument.Parse("1").RootElement,
        };
        var options = new ChatOptions
        {
            RawRepresentationFactory = _ => new ChatCompletionRequest { Messages = [], AdditionalProperties = earlier },
            AdditionalProperties = new() { ["min_tokens"] = 5 },
        };

        await fixture.Client.GetResponseAsync("Hi", options);

        JsonElement body = fixture.SentBody();
        Assert.False(body.GetProperty("ignore_eos").GetBoolean());
        Assert.Equal(5, body.GetProperty("min_tokens").GetInt32());
        Assert.Equal(1, earlier["min_tokens"].GetInt32());
    }

    [Fact]
    public async Task Streaming_sends_them_too()
    {
        await using var fixture = AdapterFixture.AnsweringEvents("""{"id":"s1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}""");

        await foreach (ChatResponseUpdate _ in fixture.Client.GetStreamingResponseAsync("Hi", new ChatOptions { TopK = 3, AdditionalProperties = new() { ["ignore_eos"] = true } }))
        {
        }

        JsonElement body = fixture.SentBody();
        Assert.Equal(3, body.GetProperty("top_k").GetInt32());
        Assert.True(body.GetProperty("ignore_eos").GetBoolean());
        Assert.True(body.GetProperty("stream").GetBoolean());
    }

    public static TheoryData<string, object?> Unwritable => new()
    {
        { "when", new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc) },
        { "blob", new byte[] { 1, 2 } },
        { "mine", new Uri("https://example.com") },
        { "nested", new List<object?> { 1, new object() } },
        { "keys", new Dictionary<int, string> { [1] = "one" } },
    };

    [Theory]
    [MemberData(nameof(Unwritable))]
    public async Task A_value_without_an_unambiguous_JSON_form_is_refused_before_anything_is_sent(string key, object? value)
    {
        await using var fixture = AdapterFixture.AnsweringJson(Answer);

        NotSupportedException refused = await Assert.ThrowsAsync<NotSupportedException>(() => fixture.Client.GetResponseAsync("Hi", new ChatOptions { AdditionalProperties = new() { [key] = value } }));

        Assert.Contains("\"" + key + "\"", refused.Message, StringComparison.Ordinal);
        Assert.Contains("JsonElement", refused.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Server.Requests);
    }

    [Fact]
    public async Task Values_JSON_cannot_hold_are_refused_before_anything_is_sent()
    {
        await using var fixture = AdapterFixture.AnsweringJson(Answer);
        var loop = new List<object?>();
        loop.Add(loop);

        ArgumentException nan = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetResponseAsync("Hi", new ChatOptions { AdditionalProperties = new() { ["length_penalty"] = double.NaN } }));
        Assert.Contains("\"length_penalty\"", nan.Message, StringComparison.Ordinal);
        ArgumentException undefined = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetResponseAsync("Hi", new ChatOptions { AdditionalProperties = new() { ["x"] = default(JsonElement) } }));
        Assert.Contains("\"x\"", undefined.Message, StringComparison.Ordinal);
        ArgumentException deep = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetResponseAsync("Hi", new ChatOptions { AdditionalProperties = new() { ["loop"] = loop } }));
        Assert.Contains("\"loop\"", deep.Message, StringComparison.Ordinal);
        ArgumentException wrongType = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetResponseAsync("Hi", new ChatOptions { AdditionalProperties = new() { ["min_p"] = "low" } }));
        Assert.Contains("\"min_p\"", wrongType.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Server.Requests);
    }

    [Theory]
    [InlineData("temperature", "ChatOptions.Temperature")]
    [InlineData("top_k", "ChatOptions.TopK")]
    [InlineData("max_tokens", "ChatOptions.MaxOutputTokens")]
    [InlineData("stream", "GetStreamingResponseAsync")]
    [InlineData("messages", "messages")]
    public async Task A_key_that_repeats_what_ChatOptions_sets_is_refused_and_names_the_property(string key, string property)
    {
        await using var fixture = AdapterFixture.AnsweringJson(Answer);

        ArgumentException refused = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetResponseAsync("Hi", new ChatOptions { AdditionalProperties = new() { [key] = 1 } }));

        Assert.Contains("\"" + key + "\"", refused.Message, StringComparison.Ordinal);
        Assert.Contains(property, refused.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Server.Requests);
    }

    [Fact]
    public void The_metadata_of_a_dedicated_deployment_is_its_sync_root_and_no_default_model()
    {
        using IChatClient chat = new BasetenChatClient(new BasetenChatClientOptions { ApiKey = "k", ModelId = "abc123", Target = PredictTarget.Development }).AsIChatClient();

        ChatClientMetadata metadata = chat.GetService<ChatClientMetadata>()!;

        Assert.Equal("https://model-abc123.api.baseten.co/development/sync", metadata.ProviderUri?.AbsoluteUri);
        Assert.Null(metadata.DefaultModelId);
    }
}
