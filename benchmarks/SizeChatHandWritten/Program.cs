using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Tasks;

namespace SizeChat;

// size-chat-handwritten <BASE_URL> <MODEL>: the same streamed chat completion as benchmarks/SizeChat,
// by hand: POST /v1/chat/completions with stream and include_usage, Authorization: Bearer, then
// each "data:" line read as a chunk until [DONE]; the content printed as it arrives, then the usage.
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync("usage: size-chat-handwritten <BASE_URL> <MODEL>");
            return 2;
        }

        string key = Environment.GetEnvironmentVariable("BASETEN_API_KEY") ?? throw new InvalidOperationException("No API key: set BASETEN_API_KEY.");
        using var http = new HttpClient();
        var body = new ChatRequest(args[1], [new ChatMessage("user", "Say hello")], 16, true, new StreamOptions(true));
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(args[0]), "/v1/chat/completions"))
        {
            Content = JsonContent.Create(body, ChatJson.Default.ChatRequest),
        };
        message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        message.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        using HttpResponseMessage response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        long? totalTokens = null;
        bool done = false;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            string data = line.Substring(5).TrimStart();
            if (data == "[DONE]")
            {
                done = true;
                break;
            }

            ChatChunk chunk = JsonSerializer.Deserialize(data, ChatJson.Default.ChatChunk) ?? throw new InvalidDataException("A chunk is null.");
            if (chunk.Choices is [{ Delta.Content: { } content }, ..])
            {
                Console.Write(content);
            }

            totalTokens = chunk.Usage?.TotalTokens ?? totalTokens;
        }

        if (!done)
        {
            throw new InvalidDataException("The stream ended without [DONE].");
        }

        Console.WriteLine();
        Console.WriteLine(totalTokens);
        return 0;
    }
}

internal sealed record ChatMessage(string Role, string Content);

internal sealed record StreamOptions(bool IncludeUsage);

internal sealed record ChatRequest(string Model, List<ChatMessage> Messages, int MaxTokens, bool Stream, StreamOptions StreamOptions);

internal sealed record ChatDelta(string? Role, string? Content, string? ReasoningContent);

internal sealed record ChatChunkChoice(int Index, ChatDelta? Delta, string? FinishReason);

internal sealed record ChatUsage(long PromptTokens, long CompletionTokens, long TotalTokens);

internal sealed record ChatChunk(string? Id, List<ChatChunkChoice>? Choices, ChatUsage? Usage);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatChunk))]
internal sealed partial class ChatJson : JsonSerializerContext;
