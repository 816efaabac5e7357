using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Baseten.Aot.Extensions.AI;
using Baseten.Aot.Extensions.Tests;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Baseten.Aot.AIHostSmoke;

using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;

// The Microsoft.Extensions.AI adapter as an application uses it, under NativeAOT: a generic host,
// AddBasetenChatClient reading its options from configuration, AddChatClient over that client, and
// one streamed chat completion from a loopback
// stand-in, read as ChatResponseUpdates (text, reasoning, a tool call, finish reason, usage).
// Prints one line per check and exits 1 if any fails.
internal static class Program
{
    private const string Events = """
        data: {"id":"s1","object":"chat.completion.chunk","created":1700000000,"model":"openai/gpt-oss-120b","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Greet."}}]}

        data: {"id":"s1","object":"chat.completion.chunk","created":1700000000,"model":"openai/gpt-oss-120b","choices":[{"index":0,"delta":{"content":"Hello"}}]}

        data: {"id":"s1","object":"chat.completion.chunk","created":1700000000,"model":"openai/gpt-oss-120b","choices":[{"index":0,"delta":{"content":" from Baseten","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"wave","arguments":"{\"times\":2}"}}]},"finish_reason":"tool_calls"}]}

        data: {"id":"s1","object":"chat.completion.chunk","created":1700000000,"model":"openai/gpt-oss-120b","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":6,"total_tokens":10}}

        data: [DONE]


        """;

    private static int s_failures;

    private static async Task<int> Main(string[] args)
    {
        await using var standIn = new LoopbackHttpServer(_ => new LoopbackResponse(200, Events, "text/event-stream"));

        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // The chat client as the DI package registers it, its options bound from configuration
        // without reflection; Microsoft.Extensions.AI's IChatClient over it.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Baseten:Chat:ApiKey"] = "smoke-key",
            ["Baseten:Chat:BaseAddress"] = standIn.BaseAddress.AbsoluteUri,
            ["Baseten:Chat:Model"] = "openai/gpt-oss-120b",
        });
        builder.Services.AddBasetenChatClient();
        builder.Services.AddChatClient(static services => services.GetRequiredService<BasetenChatClient>().AsIChatClient());

        using IHost host = builder.Build();
        await host.StartAsync();
        IChatClient chat = host.Services.GetRequiredService<IChatClient>();

        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        FunctionCallContent? call = null;
        UsageDetails? usage = null;
        ChatFinishReason? finish = null;
        // TopK and an engine's own fields (extra members of the request), written without reflection.
        var chatOptions = new ChatOptions
        {
            Temperature = 0.5f,
            TopK = 40,
            AdditionalProperties = new() { ["min_p"] = 0.05, ["min_tokens"] = 2, ["stop_token_ids"] = new[] { 7, 9 }, ["chat_template_kwargs"] = new AdditionalPropertiesDictionary { ["enable_thinking"] = false } },
        };
        await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync("Say hello", chatOptions))
        {
            text.Append(update.Text);
            finish ??= update.FinishReason;
            foreach (AIContent content in update.Contents)
            {
                switch (content)
                {
                    case TextReasoningContent thought:
                        reasoning.Append(thought.Text);
                        break;
                    case FunctionCallContent function:
                        call = function;
                        break;
                    case UsageContent counted:
                        usage = counted.Details;
                        break;
                }
            }
        }

        Check("streamed text", text.ToString() == "Hello from Baseten");
        Check("streamed reasoning", reasoning.ToString() == "Greet.");
        Check("tool call assembled", call is { CallId: "call_1", Name: "wave" } && call.Arguments?["times"] is JsonElement { ValueKind: JsonValueKind.Number } times && times.GetInt32() == 2);
        Check("finish reason", finish == ChatFinishReason.ToolCalls);
        Check("usage", usage is { InputTokenCount: 4, OutputTokenCount: 6, TotalTokenCount: 10 });
        Check("metadata", chat.GetService<ChatClientMetadata>() is { ProviderName: "baseten", DefaultModelId: "openai/gpt-oss-120b" } metadata && metadata.ProviderUri == standIn.BaseAddress);

        using JsonDocument sent = JsonDocument.Parse(standIn.Requests.Single().Body);
        Check("request: model, stream with usage, temperature",
            sent.RootElement.GetProperty("model").GetString() == "openai/gpt-oss-120b"
            && sent.RootElement.GetProperty("stream").GetBoolean()
            && sent.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean()
            && sent.RootElement.GetProperty("temperature").GetDouble() == 0.5);
        Check("request: top_k, min_p and extra members",
            sent.RootElement.GetProperty("top_k").GetInt32() == 40
            && sent.RootElement.GetProperty("min_p").GetDouble() == 0.05
            && sent.RootElement.GetProperty("min_tokens").GetInt32() == 2
            && sent.RootElement.GetProperty("stop_token_ids").GetRawText() == "[7,9]"
            && !sent.RootElement.GetProperty("chat_template_kwargs").GetProperty("enable_thinking").GetBoolean());
        Check("request: bearer key", standIn.Requests.Single().Headers["Authorization"] == "Bearer smoke-key");

        await host.StopAsync();
        Console.WriteLine(s_failures == 0 ? "Microsoft.Extensions.AI under NativeAOT: all checks passed" : s_failures + " check(s) failed");
        return s_failures == 0 ? 0 : 1;
    }

    private static void Check(string name, bool passed)
    {
        Console.WriteLine((passed ? "ok   " : "FAIL ") + name);
        if (!passed)
        {
            s_failures++;
        }
    }
}
