using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Baseten.Aot.Extensions.AI.Tests;

// Function arguments and extra request members share one writer for the values whose
// JSON needs no metadata; each kind of value reaches the wire the same way through both.
public sealed class JsonValueWriterTests
{
    private const string Answer = """{"id":"c1","object":"chat.completion","created":1700000000,"model":"openai/gpt-oss-120b","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""";

    private const string Expected = """{"none":null,"element":{"a":1},"document":[true],"node":{"b":[2,null]},"text":"t","flag":false,"int":-3,"long":9007199254740993,"double":0.25,"decimal":1.10}""";

    private static Dictionary<string, object?> Values() => new()
    {
        ["none"] = null,
        ["element"] = JsonDocument.Parse("""{"a":1}""").RootElement,
        ["document"] = JsonDocument.Parse("[true]"),
        ["node"] = JsonNode.Parse("""{"b":[2,null]}"""),
        ["text"] = "t",
        ["flag"] = false,
        ["int"] = -3,
        ["long"] = 9007199254740993L,
        ["double"] = 0.25,
        ["decimal"] = 1.10m,
    };

    [Fact]
    public async Task Each_plain_value_is_written_alike_as_a_function_argument_and_as_an_extra_member()
    {
        await using var fixture = AdapterFixture.AnsweringJson(Answer);
        AIChatMessage[] conversation =
        [
            new(ChatRole.Assistant, [new FunctionCallContent("call_1", "f", Values())]),
        ];
        var options = new ChatOptions { AdditionalProperties = new() { ["engine_values"] = Values(), ["small"] = new List<object?> { (short)-1, (byte)2, 0.5f, ulong.MaxValue } } };

        await fixture.Client.GetResponseAsync(conversation, options);

        JsonElement body = fixture.SentBody();
        IReadOnlyList<JsonElement> sent = AdapterFixture.Messages(body);
        string arguments = sent[0].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()!;
        Assert.Equal(Expected, arguments);
        Assert.Equal(Expected, body.GetProperty("engine_values").GetRawText());
        Assert.Equal("[-1,2,0.5,18446744073709551615]", body.GetProperty("small").GetRawText());
    }
}
