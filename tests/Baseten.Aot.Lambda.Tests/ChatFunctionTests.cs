using System;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Baseten.Aot.Tests;

namespace Baseten.Aot.Lambda.Tests;

/// <summary>
/// The function's chat mode (<c>BASETEN_FUNCTION=chat</c>) in-process, through
/// <see cref="LambdaBootstrap.RunAsync"/>, against a stand-in runtime API and a stand-in Baseten.
/// </summary>
public sealed class ChatFunctionTests() : InProcessFunctionTests(Key, new() { ["BASETEN_FUNCTION"] = "chat" })
{
    private const string Key = "lambda-chat-key-0123456789";
    private const string Completion = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"openai/gpt-oss-120b",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Paris.","reasoning_content":"Capital of France."},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}
        """;

    [Fact]
    public async Task ChatMode_SendsThePromptToTheModelApi_AndPostsTheAnswerWithFinishReasonAndUsage()
    {
        Baseten.RespondJson(200, Completion);
        Start(new() { ["BASETEN_MODEL"] = "openai/gpt-oss-120b" });

        Runtime.Enqueue(new LambdaEvent("req-1", """{"prompt": "Capital of France?", "system": "One word.", "max_tokens": 32, "temperature": 0.2}""", TimeSpan.FromMinutes(1)));
        Posted posted = await Runtime.NextPostedAsync();

        Assert.Equal(("response", "req-1", null), (posted.Kind, posted.RequestId, posted.ErrorTypeHeader));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"output":"Paris.","model":"openai/gpt-oss-120b","finish_reason":"stop","usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}"""),
            JsonNode.Parse(posted.Body)), posted.Body);
        RecordedRequest request = Assert.Single(Baseten.Requests);
        Assert.Equal(("POST", "/v1/chat/completions"), (request.Method, request.RawTarget));
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"model":"openai/gpt-oss-120b","messages":[{"role":"system","content":"One word."},{"role":"user","content":"Capital of France?"}],"max_tokens":32,"temperature":0.2}"""),
            JsonNode.Parse(request.Body)), System.Text.Encoding.UTF8.GetString(request.Body));
        Assert.Equal(string.Empty, Log);
    }

    [Fact]
    public async Task ChatMode_WithAModelId_CallsTheDeploymentsSyncRoot_InTheNamedEnvironment()
    {
        Baseten.RespondJson(200, Completion);
        Start(new() { ["BASETEN_MODEL_ID"] = "abc123", ["BASETEN_ENVIRONMENT"] = "staging" });

        Runtime.Enqueue(new LambdaEvent("req-1", """{"prompt": "Hi"}""", TimeSpan.FromMinutes(1)));
        Posted posted = await Runtime.NextPostedAsync();

        Assert.Equal("response", posted.Kind);
        Assert.Equal("/environments/staging/sync/v1/chat/completions", Assert.Single(Baseten.Requests).RawTarget);
    }

    [Theory]
    [InlineData("""{"prompt": "Hi", "temprature": 0.1}""")]
    [InlineData("""{"messages": []}""")]
    [InlineData("null")]
    public async Task ChatMode_EventThatIsNotAChatRequest_IsAnInvocationError_WithoutCallingTheModel(string body)
    {
        Start(new() { ["BASETEN_MODEL"] = "m" });

        Runtime.Enqueue(new LambdaEvent("req-1", body, TimeSpan.FromMinutes(1)));
        Posted posted = await Runtime.NextPostedAsync();

        Assert.Equal(("error", "Function.InvalidEvent"), (posted.Kind, posted.ErrorTypeHeader));
        Assert.Contains("a chat request", JsonDocument.Parse(posted.Body).RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Empty(Baseten.Requests);
    }

    [Fact]
    public async Task ChatMode_ABasetenError_IsAnInvocationError_WithItsStatus_AndNoKey()
    {
        Baseten.RespondJson(400, """{"error":{"message":"slow down, key """ + Key + """ "}}""");
        Start(new() { ["BASETEN_MODEL"] = "m" });

        Runtime.Enqueue(new LambdaEvent("req-1", """{"prompt": "Hi"}""", TimeSpan.FromMinutes(1)));
        Posted posted = await Runtime.NextPostedAsync();

        Assert.Equal(("error", "Baseten.ApiError"), (posted.Kind, posted.ErrorTypeHeader));
        Assert.Equal(400, JsonDocument.Parse(posted.Body).RootElement.GetProperty("basetenStatus").GetInt32());
        AssertNoKey();
    }

    [Theory]
    [InlineData("BASETEN_FUNCTION", "embed")]
    [InlineData("BASETEN_MODEL", "")]
    public async Task ChatMode_WithoutAModel_OrAnUnknownMode_IsAnInitError(string name, string value)
    {
        Start(new() { ["BASETEN_MODEL_ID"] = null, [name] = value });

        Assert.Equal(LambdaBootstrap.Failure, await Running!.WaitAsync(Bound));
        Posted posted = await Runtime.NextPostedAsync();
        Assert.Equal(("init/error", "Runtime.ConfigInvalid"), (posted.Kind, posted.ErrorTypeHeader));
        Assert.Empty(Baseten.Requests);
    }
}
