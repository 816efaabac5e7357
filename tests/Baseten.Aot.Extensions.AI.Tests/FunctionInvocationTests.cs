using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Baseten.Aot.Extensions.Tests;
using Microsoft.Extensions.AI;

namespace Baseten.Aot.Extensions.AI.Tests;

// The adapter inside Microsoft.Extensions.AI's own function-invoking pipeline: the stand-in first
// asks for a tool call, the pipeline runs the function and sends its result back, and the stand-in
// then answers with text only if that result came with the call's id.
public sealed class FunctionInvocationTests
{
    private const string ToolCallAnswer = """
        {"id":"c1","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,
          "tool_calls":[{"id":"call_42","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},"finish_reason":"tool_calls"}]}
        """;

    private const string FinalAnswer = """
        {"id":"c2","object":"chat.completion","created":1700000001,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"It is snowing in Oslo."},"finish_reason":"stop"}]}
        """;

    [Fact]
    public async Task The_pipeline_calls_the_function_and_sends_its_result_with_the_call_id()
    {
        var cities = new List<string>();
        await using var fixture = AdapterFixture.Answering(request => Answer(request, streaming: false));
        IChatClient pipeline = new ChatClientBuilder(fixture.Client).UseFunctionInvocation().Build();
        AIFunction weather = AIFunctionFactory.Create((string city) => { cities.Add(city); return "snow in " + city; }, "get_weather", "The weather in a city.");

        ChatResponse response = await pipeline.GetResponseAsync("Weather in Oslo?", new ChatOptions { Tools = [weather] });

        Assert.Equal("It is snowing in Oslo.", response.Text);
        Assert.Equal(["Oslo"], cities);
        AssertSecondRequestCarriesTheResult(fixture.Server.Requests);
    }

    [Fact]
    public async Task The_streaming_pipeline_calls_the_function_and_sends_its_result_with_the_call_id()
    {
        await using var fixture = AdapterFixture.Answering(request => Answer(request, streaming: true));
        IChatClient pipeline = new ChatClientBuilder(fixture.Client).UseFunctionInvocation().Build();
        AIFunction weather = AIFunctionFactory.Create((string city) => "snow in " + city, "get_weather", "The weather in a city.");

        var text = new System.Text.StringBuilder();
        await foreach (ChatResponseUpdate update in pipeline.GetStreamingResponseAsync("Weather in Oslo?", new ChatOptions { Tools = [weather] }))
        {
            text.Append(update.Text);
        }

        Assert.Equal("It is snowing in Oslo.", text.ToString());
        AssertSecondRequestCarriesTheResult(fixture.Server.Requests);
    }

    private static void AssertSecondRequestCarriesTheResult(IReadOnlyList<LoopbackRequest> requests)
    {
        Assert.Equal(2, requests.Count);
        JsonElement[] messages = AdapterFixture.Messages(JsonDocument.Parse(requests[1].Body).RootElement).ToArray();
        Assert.Equal(["user", "assistant", "tool"], messages.Select(message => message.GetProperty("role").GetString()));
        Assert.Equal("call_42", messages[1].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("call_42", messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("snow in Oslo", messages[2].GetProperty("content").GetString());
    }

    // The first request has no tool result: ask for the call. The second must carry it.
    private static LoopbackResponse Answer(LoopbackRequest request, bool streaming)
    {
        using JsonDocument body = JsonDocument.Parse(request.Body);
        bool hasResult = body.RootElement.GetProperty("messages").EnumerateArray()
            .Any(message => message.GetProperty("role").GetString() == "tool" && message.GetProperty("tool_call_id").GetString() == "call_42");
        if (!streaming)
        {
            return new LoopbackResponse(200, hasResult ? FinalAnswer : ToolCallAnswer);
        }

        string events = hasResult
            ? AdapterFixture.Events(
                """{"id":"s2","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"It is snowing"}}]}""",
                """{"id":"s2","model":"m","choices":[{"index":0,"delta":{"content":" in Oslo."},"finish_reason":"stop"}]}""")
            : AdapterFixture.Events(
                """{"id":"s1","model":"m","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_42","type":"function","function":{"name":"get_weather","arguments":"{\"ci"}}]}}]}""",
                """{"id":"s1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\":\"Oslo\"}"}}]},"finish_reason":"tool_calls"}]}""");
        return new LoopbackResponse(200, events, "text/event-stream");
    }
}
