using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Baseten.Aot.Extensions.Tests;
using Baseten.Aot.Http;
using Microsoft.Extensions.AI;

namespace Baseten.Aot.Extensions.AI.Tests;

// A loopback stand-in for Baseten's chat completions and the adapter over a BasetenChatClient
// pointed at it; each test answers with its own function of the request.
internal sealed class AdapterFixture : IAsyncDisposable
{
    public const string Model = "openai/gpt-oss-120b";

    private AdapterFixture(Func<LoopbackRequest, LoopbackResponse> respond)
    {
        Server = new LoopbackHttpServer(respond);
        Options = new BasetenChatClientOptions { ApiKey = "test-key", BaseAddress = Server.BaseAddress, Model = Model, Retry = RetryPolicy.None };
        Client = new BasetenChatClient(Options).AsIChatClient();
    }

    public LoopbackHttpServer Server { get; }

    public BasetenChatClientOptions Options { get; }

    public IChatClient Client { get; }

    public static AdapterFixture Answering(Func<LoopbackRequest, LoopbackResponse> respond) => new(respond);

    public static AdapterFixture AnsweringJson(string json) => new(_ => new LoopbackResponse(200, json));

    public static AdapterFixture AnsweringEvents(params string[] events) => new(_ => new LoopbackResponse(200, Events(events), "text/event-stream"));

    public static string Events(params string[] events)
    {
        var body = new StringBuilder();
        foreach (string data in events)
        {
            body.Append("data: ").Append(data).Append("\n\n");
        }

        return body.Append("data: [DONE]\n\n").ToString();
    }

    /// <summary>The JSON body of the only request the stand-in received.</summary>
    public JsonElement SentBody()
    {
        LoopbackRequest request = Assert.Single(Server.Requests);
        Assert.Equal("/v1/chat/completions", request.Target);
        return JsonDocument.Parse(request.Body).RootElement.Clone();
    }

    public static IReadOnlyList<JsonElement> Messages(JsonElement body) => body.GetProperty("messages").EnumerateArray().ToArray();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
