using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Tests;

internal sealed record WeatherReport(string City, double Celsius, bool Raining);

internal sealed record LookupArguments(string City);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WeatherReport))]
[JsonSerializable(typeof(LookupArguments))]
internal sealed partial class ChatTestJsonContext : JsonSerializerContext;

/// <summary>
/// <see cref="BasetenChatClient"/> over a loopback Kestrel server: the address of every target, the
/// Bearer key, whole and streamed answers (the first chunk reaches the caller before the server has
/// written the second), tool calls joined from their pieces, structured output with the caller's
/// own metadata, and the servers that misbehave. Every wait is bounded.
/// </summary>
public sealed class ChatClientTests : IAsyncLifetime
{
    private const string Key = "chat-secret-key";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private BasetenChatClient Client(Action<BasetenChatClientOptions>? configure = null)
    {
        var options = new BasetenChatClientOptions { ApiKey = Key, Model = "openai/gpt-oss-120b", BaseAddress = _server.BaseAddress, Retry = RetryPolicy.None };
        configure?.Invoke(options);
        return new BasetenChatClient(options);
    }

    private static ChatCompletionRequest Ask(string text) => new() { Messages = [ChatMessage.FromSystem("Be brief."), ChatMessage.FromUser(text)] };

    private static string Sse(params string[] data) => string.Concat(data.Select(d => "data: " + d + "\n\n"));

    private void RespondEvents(string body, string contentType = "text/event-stream")
        => _server.Respond = async context =>
        {
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        };

    private static async Task<List<ChatCompletionChunk>> ReadAllAsync(IAsyncEnumerable<ChatCompletionChunk> chunks)
    {
        var read = new List<ChatCompletionChunk>();
        await foreach (ChatCompletionChunk chunk in chunks)
        {
            read.Add(chunk);
        }

        return read;
    }

    [Theory]
    [InlineData(null, null, null, "https://inference.baseten.co/")]
    [InlineData("abc123", null, null, "https://model-abc123.api.baseten.co/environments/production/sync")]
    [InlineData("abc123", "development", null, "https://model-abc123.api.baseten.co/development/sync")]
    [InlineData("abc123", "environment", null, "https://model-abc123.api.baseten.co/environments/staging/sync")]
    [InlineData("abc123", "deployment", null, "https://model-abc123.api.baseten.co/deployment/dep42/sync")]
    [InlineData("abc123", null, "prod-us", "https://model-abc123-prod-us.api.baseten.co/sync")]
    public void Address_IsModelApis_OrTheDeploymentsSyncRoot(string? modelId, string? target, string? environment, string expected)
    {
        var options = new BasetenChatClientOptions { ModelId = modelId, Target = TargetOf(target), Environment = environment };

        Assert.Equal(expected, BasetenChatClient.AddressOf(options).AbsoluteUri);
    }

    [Fact]
    public void Address_RefusesATargetWithoutAModelId()
    {
        Assert.Throws<ArgumentException>(() => BasetenChatClient.AddressOf(new BasetenChatClientOptions { Target = PredictTarget.Development }));
        Assert.Throws<ArgumentException>(() => BasetenChatClient.AddressOf(new BasetenChatClientOptions { ModelId = "abc123", Environment = "prod-us", Target = PredictTarget.Development }));
    }

    private static PredictTarget? TargetOf(string? kind) => kind switch
    {
        null => null,
        "production" => PredictTarget.Production,
        "development" => PredictTarget.Development,
        "environment" => PredictTarget.Environment("staging"),
        _ => PredictTarget.Deployment("dep42"),
    };

    public static TheoryData<string?, string?, string?, string> Targets => new()
    {
        { null, null, null, "/v1/chat/completions" },
        { "abc123", null, null, "/environments/production/sync/v1/chat/completions" },
        { "abc123", "development", null, "/development/sync/v1/chat/completions" },
        { "abc123", "environment", null, "/environments/staging/sync/v1/chat/completions" },
        { "abc123", "deployment", null, "/deployment/dep42/sync/v1/chat/completions" },
        { "abc123", null, "prod-us", "/sync/v1/chat/completions" },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Complete_GoesToTheTargetsChatRoute_WithTheBearerKey_AndTheModelFromTheOptions(string? modelId, string? target, string? environment, string path)
    {
        _server.RespondJson(200, """{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi."},"finish_reason":"stop"}]}""");
        using BasetenChatClient client = Client(o => { o.ModelId = modelId; o.Target = TargetOf(target); o.Environment = environment; });

        ChatCompletion completion = await client.CompleteAsync(Ask("hello"));

        Assert.Equal("Hi.", completion.Content());
        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(path, request.RawTarget);
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        using JsonDocument body = JsonDocument.Parse(request.Body);
        Assert.Equal("openai/gpt-oss-120b", body.RootElement.GetProperty("model").GetString());
        Assert.Equal("user", body.RootElement.GetProperty("messages")[1].GetProperty("role").GetString());
        Assert.Equal("hello", body.RootElement.GetProperty("messages")[1].GetProperty("content").GetString());
        Assert.False(body.RootElement.TryGetProperty("stream", out _));
    }

    [Fact]
    public async Task Complete_ReadsReasoningToolCallsAndUsage_AndMembersNewerThanTheClientAreNoError()
    {
        _server.RespondJson(200, """
            {"id":"c2","object":"chat.completion","created":1700000000,"model":"m","service_tier":"flex","choices":[{"index":0,
              "message":{"role":"assistant","content":null,"reasoning_content":"Think.","annotations":[],"tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"city\":\"Paris\"}"}}]},
              "finish_reason":"tool_calls","stop_reason":null}],
             "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,"completion_tokens_details":{"reasoning_tokens":2,"future":1}}}
            """);
        using BasetenChatClient client = Client();

        ChatCompletion completion = await client.CompleteAsync(Ask("weather?"));

        ChatMessage message = completion.Choices[0].Message;
        Assert.Null(message.Content);
        Assert.Equal("Think.", message.ReasoningContent);
        Assert.Equal(ChatFinishReason.ToolCalls, completion.Choices[0].FinishReason);
        ChatToolCall call = Assert.Single(message.ToolCalls!);
        Assert.Equal("lookup", call.Function.Name);
        Assert.Equal(new LookupArguments("Paris"), call.ReadArguments(ChatTestJsonContext.Default.LookupArguments));
        Assert.Equal(17, completion.Usage!.TotalTokens);
        Assert.Equal(2, completion.Usage.CompletionTokensDetails!.ReasoningTokens);
    }

    [Fact]
    public async Task MembersNewerThanTheClient_AreKept_AndSentBackWithTheMessage()
    {
        _server.RespondJson(200, """
            {"id":"c3","service_tier":"flex","choices":[{"index":0,"stop_reason":42,
              "message":{"role":"assistant","content":"Hi.","annotations":[{"url":"https://example.com"}]},"finish_reason":"stop"}]}
            """);
        using BasetenChatClient client = Client();

        ChatCompletion completion = await client.CompleteAsync(Ask("hello"));

        Assert.Equal("flex", completion.AdditionalProperties!["service_tier"].GetString());
        Assert.Equal(42, completion.Choices[0].AdditionalProperties!["stop_reason"].GetInt32());
        ChatMessage answer = completion.Choices[0].Message;
        Assert.Equal("https://example.com", answer.AdditionalProperties!["annotations"][0].GetProperty("url").GetString());
        Assert.Null(completion.Usage);

        // The answer goes back into the conversation as it came, kept members included.
        string json = JsonSerializer.Serialize(answer, BasetenChatJsonContext.Default.ChatMessage);
        Assert.Equal("""{"role":"assistant","content":"Hi.","annotations":[{"url":"https://example.com"}]}""", json);
    }

    [Fact]
    public async Task Stream_YieldsTheFirstChunk_BeforeTheServerHasWrittenTheSecond_AndEndsAtDone()
    {
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(Sse("""{"id":"s","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}"""));
            await context.Response.Body.FlushAsync();
            await proceed.Task.WaitAsync(s_bound);
            await context.Response.WriteAsync(Sse(
                """{"id":"s","choices":[{"index":0,"delta":{"content":"lo."},"finish_reason":"stop"}]}""",
                """{"id":"s","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""",
                "[DONE]"));
        };
        using BasetenChatClient client = Client();
        var answer = new ChatCompletionAccumulator();

        var pieces = new List<string>();
        await foreach (ChatCompletionChunk chunk in client.CompleteStreamingAsync(Ask("hello")).WithCancellation(CancellationToken.None))
        {
            pieces.Add(answer.Add(chunk));
            if (pieces.Count == 1)
            {
                Assert.False(proceed.Task.IsCompleted);
                proceed.SetResult();
            }
        }

        Assert.Equal(["Hel", "lo.", ""], pieces);
        Assert.Equal("Hello.", answer.Content);
        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.Equal(5, answer.Usage!.TotalTokens);
        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal("text/event-stream", request.Headers["Accept"]);
        using JsonDocument body = JsonDocument.Parse(request.Body);
        Assert.True(body.RootElement.GetProperty("stream").GetBoolean());
        Assert.True(body.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task Accumulator_JoinsToolCallPiecesByIndex_AndReasoning_IntoTheWholeCompletion()
    {
        RespondEvents(Sse(
            """{"id":"t","model":"m","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Two "}}]}""",
            """{"id":"t","choices":[{"index":0,"delta":{"reasoning":"cities."}}]}""",
            """{"id":"t","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"lookup","arguments":""}}]}}]}""",
            """{"id":"t","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"lookup","arguments":"{\"ci"}}]}}]}""",
            """{"id":"t","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]}""",
            """{"id":"t","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}},{"index":1,"function":{"arguments":"ty\":\"Oslo\"}"}}]}}]}""",
            """{"id":"t","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""",
            """{"id":"t","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":30,"total_tokens":39}}""",
            "[DONE]"));
        using BasetenChatClient client = Client();
        var answer = new ChatCompletionAccumulator();

        await foreach (ChatCompletionChunk chunk in client.CompleteStreamingAsync(Ask("weather in Paris and Oslo?")))
        {
            answer.Add(chunk);
        }

        ChatCompletion completion = answer.ToCompletion();
        ChatMessage message = completion.Choices.Single().Message;
        Assert.Equal("Two cities.", message.ReasoningContent);
        Assert.Null(message.Content);
        Assert.Equal(["call_a", "call_b"], message.ToolCalls!.Select(c => c.Id));
        Assert.Equal(new LookupArguments("Paris"), message.ToolCalls![0].ReadArguments(ChatTestJsonContext.Default.LookupArguments));
        Assert.Equal(new LookupArguments("Oslo"), message.ToolCalls![1].ReadArguments(ChatTestJsonContext.Default.LookupArguments));
        Assert.Equal(ChatFinishReason.ToolCalls, completion.Choices[0].FinishReason);
        Assert.Equal(39, completion.Usage!.TotalTokens);
        Assert.Equal("m", completion.Model);
        Assert.Equal(8, answer.Chunks);
    }

    [Fact]
    public async Task Tools_AreSentWithTheSchemaOfTheCallersArguments_AndTheToolResultGoesBackWithItsCallId()
    {
        _server.RespondJson(200, """{"choices":[{"index":0,"message":{"role":"assistant","content":"Sunny."},"finish_reason":"stop"}]}""");
        using BasetenChatClient client = Client();
        ChatCompletionRequest request = Ask("weather?");
        request.Tools = [ChatTool.ForFunction("lookup", "Looks the weather up.", ChatTestJsonContext.Default.LookupArguments)];
        request.ToolChoice = "auto";
        request.Messages = [.. request.Messages, new ChatMessage { Role = ChatMessageRole.Assistant, Content = null, ToolCalls = [new ChatToolCall { Id = "call_1", Type = "function", Function = new ChatFunctionCall { Name = "lookup", Arguments = "{\"city\":\"Paris\"}" } }] }, ChatMessage.FromTool("call_1", "{\"celsius\":21}")];

        await client.CompleteAsync(request);

        using JsonDocument body = JsonDocument.Parse(_server.Requests.Single().Body);
        JsonElement tool = body.RootElement.GetProperty("tools")[0];
        Assert.Equal("function", tool.GetProperty("type").GetString());
        Assert.Equal("lookup", tool.GetProperty("function").GetProperty("name").GetString());
        JsonElement parameters = tool.GetProperty("function").GetProperty("parameters");
        Assert.Equal("object", parameters.GetProperty("type").GetString());
        Assert.Equal("string", parameters.GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        Assert.Equal("auto", body.RootElement.GetProperty("tool_choice").GetString());
        JsonElement[] messages = body.RootElement.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(JsonValueKind.Null, messages[2].GetProperty("content").ValueKind);
        Assert.Equal("call_1", messages[2].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("tool", messages[3].GetProperty("role").GetString());
        Assert.Equal("call_1", messages[3].GetProperty("tool_call_id").GetString());
    }

    [Fact]
    public async Task StructuredOutput_SendsTheSchemaOfTheCallersType_AndReadsTheAnswerBackAsIt()
    {
        _server.RespondJson(200, """{"choices":[{"index":0,"message":{"role":"assistant","content":"{\"city\":\"Oslo\",\"celsius\":-3.5,\"raining\":false}"},"finish_reason":"stop"}]}""");
        using BasetenChatClient client = Client();

        WeatherReport report = await client.CompleteAsync(Ask("weather in Oslo as JSON"), ChatTestJsonContext.Default.WeatherReport);

        Assert.Equal(new WeatherReport("Oslo", -3.5, false), report);
        using JsonDocument body = JsonDocument.Parse(_server.Requests.Single().Body);
        JsonElement format = body.RootElement.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("WeatherReport", format.GetProperty("json_schema").GetProperty("name").GetString());
        JsonElement schema = format.GetProperty("json_schema").GetProperty("schema");
        Assert.Equal(["city", "celsius", "raining"], schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal("string", schema.GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
    }

    [Fact]
    public async Task StructuredOutput_AnAnswerThatIsNotTheType_IsAJsonExceptionThatSaysSo()
    {
        _server.RespondJson(200, """{"choices":[{"index":0,"message":{"role":"assistant","content":"Sorry, I can't."},"finish_reason":"stop"}]}""");
        using BasetenChatClient client = Client();

        JsonException exception = await Assert.ThrowsAsync<JsonException>(() => client.CompleteAsync(Ask("x"), ChatTestJsonContext.Default.WeatherReport));

        Assert.StartsWith("The answer is not a valid WeatherReport", exception.Message);
    }

    [Fact]
    public async Task Models_ListsTheCatalog()
    {
        _server.RespondJson(200, """{"object":"list","data":[{"id":"openai/gpt-oss-120b","object":"model","owned_by":"baseten"},{"id":"zai-org/GLM-4.7","object":"model"}]}""");
        using BasetenChatClient client = Client();

        ChatModelList models = await client.ListModelsAsync();

        Assert.Equal(["openai/gpt-oss-120b", "zai-org/GLM-4.7"], models.Data.Select(m => m.Id));
        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1/models", request.RawTarget);
    }

    [Fact]
    public async Task Stream_ThatEndsWithoutDone_IsABasetenApiException_AfterTheChunksBeforeIt()
    {
        RespondEvents(Sse("""{"choices":[{"index":0,"delta":{"content":"Half an ans"}}]}"""));
        using BasetenChatClient client = Client();
        var read = new List<string?>();

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(async () =>
        {
            await foreach (ChatCompletionChunk chunk in client.CompleteStreamingAsync(Ask("x")))
            {
                read.Add(chunk.Choices![0].Delta!.Content);
            }
        }).WaitAsync(s_bound);

        Assert.Equal(["Half an ans"], read);
        Assert.Equal(200, (int)exception.StatusCode);
        Assert.Contains("[DONE]", exception.Message);
        Assert.Contains("cut short", exception.Message);
    }

    [Fact]
    public async Task Stream_MembersNewerThanTheClient_AreKeptOnEachChunk_AndTheRequestIsSentWhole()
    {
        RespondEvents(Sse(
            """{"id":"n","service_tier":"flex","choices":[{"index":0,"stop_reason":42,"delta":{"role":"assistant","content":"Hi","annotations":[{"url":"https://example.com"}]}}]}""",
            """{"id":"n","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2,"cost":{"usd":0.5}}}""",
            "[DONE]"));
        using BasetenChatClient client = Client();
        ChatCompletionRequest request = Ask("hello");
        request.MaxTokens = 16;
        request.Stop = "\n\n";

        List<ChatCompletionChunk> chunks = await ReadAllAsync(client.CompleteStreamingAsync(request)).WaitAsync(s_bound);

        Assert.Equal("flex", chunks[0].AdditionalProperties!["service_tier"].GetString());
        Assert.Equal(42, chunks[0].Choices![0].AdditionalProperties!["stop_reason"].GetInt32());
        Assert.Equal("https://example.com", chunks[0].Choices![0].Delta!.AdditionalProperties!["annotations"][0].GetProperty("url").GetString());
        Assert.Equal(0.5, chunks[1].Usage!.AdditionalProperties!["cost"].GetProperty("usd").GetDouble());
        RecordedRequest recorded = Assert.Single(_server.Requests);
        Assert.Equal(
            """{"model":"openai/gpt-oss-120b","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hello"}],"max_tokens":16,"stop":"\n\n","stream":true,"stream_options":{"include_usage":true}}""",
            Encoding.UTF8.GetString(recorded.Body));
    }

    [Fact]
    public async Task Stream_AChunkWithAMemberOfTheWrongType_IsABasetenApiException_ThatNamesTheChunk()
    {
        RespondEvents(Sse("""{"id":"w","created":"yesterday","choices":[]}""", "[DONE]"));
        using BasetenChatClient client = Client();

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => ReadAllAsync(client.CompleteStreamingAsync(Ask("x")))).WaitAsync(s_bound);

        Assert.Contains("not a valid ChatCompletionChunk", exception.Message);
        Assert.IsAssignableFrom<JsonException>(exception.InnerException);
    }

    [Fact]
    public async Task Stream_AChunkThatIsNotJson_IsABasetenApiException()
    {
        RespondEvents(Sse("""{"choices":[]}""", "<html>oops</html>", "[DONE]"));
        using BasetenChatClient client = Client();

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => ReadAllAsync(client.CompleteStreamingAsync(Ask("x")))).WaitAsync(s_bound);

        Assert.Contains("not a valid ChatCompletionChunk", exception.Message);
    }

    [Theory]
    [InlineData("""{"error":{"message":"model overloaded (chat-secret-key)","type":"server_error","code":503}}""", null)]
    [InlineData("""{"object":"error","message":"model overloaded (chat-secret-key)","type":"InternalServerError","code":500}""", null)]
    [InlineData("""{"error":"model overloaded (chat-secret-key)"}""", "error")]
    public async Task Stream_AnErrorInTheMiddle_IsABasetenApiException_WithTheServersMessage_AndNeverTheKey(string error, string? eventType)
    {
        string errorEvent = (eventType is null ? string.Empty : "event: " + eventType + "\n") + "data: " + error + "\n\n";
        RespondEvents(Sse("""{"choices":[{"index":0,"delta":{"content":"Hi"}}]}""") + errorEvent + Sse("[DONE]"));
        using BasetenChatClient client = Client();
        int chunks = 0;

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(async () =>
        {
            await foreach (ChatCompletionChunk chunk in client.CompleteStreamingAsync(Ask("x")))
            {
                chunks++;
            }
        }).WaitAsync(s_bound);

        Assert.Equal(1, chunks);
        Assert.Contains("in the middle of its event stream", exception.Message);
        Assert.StartsWith("model overloaded", exception.ServerMessage);
        Assert.DoesNotContain(Key, exception.Message);
        Assert.DoesNotContain(Key, exception.ServerMessage);
        Assert.DoesNotContain(Key, exception.ResponseBody);
        Assert.DoesNotContain(Key, exception.ToString());
    }

    [Fact]
    public async Task Stream_AnEventLargerThanTheBounds_IsABasetenApiException_NotMemoryWithoutEnd()
    {
        string huge = new('x', ApiTransport.MaxLineLength + 10);
        RespondEvents("data: {\"choices\":[],\"pad\":\"" + huge + "\"}\n\ndata: [DONE]\n\n");
        using BasetenChatClient client = Client();

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => ReadAllAsync(client.CompleteStreamingAsync(Ask("x")))).WaitAsync(s_bound);

        Assert.Contains("longer than", exception.Message);
    }

    [Fact]
    public async Task Stream_ACommentFlood_IsSkipped_AndTheChunksAfterItArrive()
    {
        string flood = string.Concat(Enumerable.Repeat(": keep-alive\n", 20_000));
        RespondEvents(flood + Sse("""{"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}""") + flood + Sse("[DONE]"));
        using BasetenChatClient client = Client();

        List<ChatCompletionChunk> chunks = await ReadAllAsync(client.CompleteStreamingAsync(Ask("x"))).WaitAsync(s_bound);

        Assert.Equal("ok", Assert.Single(chunks).Choices![0].Delta!.Content);
    }

    [Fact]
    public async Task Stream_A200WithAnHtmlPage_IsABasetenApiException_ThatNamesTheContentType()
    {
        RespondEvents("<html><body>Gateway says hello</body></html>", "text/html");
        using BasetenChatClient client = Client();

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => ReadAllAsync(client.CompleteStreamingAsync(Ask("x")))).WaitAsync(s_bound);

        Assert.Contains("text/html", exception.Message);
    }

    [Fact]
    public async Task Stream_A429WithRetryAfter_IsRepeated_BeforeAnyChunk()
    {
        int calls = 0;
        _server.Respond = async context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "0";
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"error":{"message":"slow down"}}""");
                return;
            }

            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(Sse("""{"choices":[{"index":0,"delta":{"content":"ok"}}]}""", "[DONE]"));
        };
        using BasetenChatClient client = Client(o => o.Retry = new RetryPolicy());

        List<ChatCompletionChunk> chunks = await ReadAllAsync(client.CompleteStreamingAsync(Ask("x"))).WaitAsync(s_bound);

        Assert.Single(chunks);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task A429WithoutRetries_IsABasetenApiException_WithRetryAfter_AndTheServersMessage_WithoutTheKey()
    {
        _server.Respond = async context =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "7";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"error":{"message":"slow down, Bearer chat-secret-key","type":"rate_limit"}}""");
        };
        using BasetenChatClient client = Client();

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => client.CompleteAsync(Ask("x")));

        Assert.Equal(429, (int)exception.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), exception.RetryAfter);
        Assert.DoesNotContain(Key, exception.ToString());
        Assert.DoesNotContain(Key, exception.ResponseBody);
        ChatErrorResponse? error = exception.ReadError(BasetenChatJsonContext.Default.ChatErrorResponse);
        Assert.Equal("rate_limit", error!.Error!.ChatError!.Type);
    }

    [Fact]
    public async Task Stream_ARedirect_IsNotFollowed_AndIsABasetenApiException()
    {
        _server.Respond = context =>
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = "https://elsewhere.example/v1/chat/completions";
            return Task.CompletedTask;
        };
        using BasetenChatClient client = Client();

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => ReadAllAsync(client.CompleteStreamingAsync(Ask("x")))).WaitAsync(s_bound);

        Assert.Equal(307, (int)exception.StatusCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Stream_CancelledMidStream_EndsPromptly_AndTheServerSeesTheConnectionGo()
    {
        var serverSawAbort = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Respond = async context =>
        {
            context.RequestAborted.Register(() => serverSawAbort.TrySetResult());
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(Sse("""{"choices":[{"index":0,"delta":{"content":"a"}}]}"""));
            await context.Response.Body.FlushAsync();
            await serverSawAbort.Task.WaitAsync(s_bound);
        };
        using BasetenChatClient client = Client();
        using var cancel = new CancellationTokenSource();
        int chunks = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ChatCompletionChunk chunk in client.CompleteStreamingAsync(Ask("x"), cancellationToken: cancel.Token))
            {
                chunks++;
                cancel.Cancel();
            }
        }).WaitAsync(s_bound);

        Assert.Equal(1, chunks);
        await serverSawAbort.Task.WaitAsync(s_bound);
    }
}
