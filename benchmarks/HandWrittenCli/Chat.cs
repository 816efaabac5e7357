using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Tasks;

namespace HandWrittenCli;

// handwritten chat <MODEL_SLUG> <message> [base-url]
// handwritten models [base-url]
// The calls baseten chat and baseten models make, by hand: POST /v1/chat/completions with stream and
// include_usage, each "data:" line read as a chunk until [DONE], the content written as it arrives
// (reasoning to stderr), the usage last; GET /v1/models, one id a line.
internal static class Chat
{
    public static async Task<int> RunAsync(string[] args)
    {
        bool models = args[0] == "models";
        if (!models && args.Length < 3)
        {
            await Console.Error.WriteLineAsync("usage: handwritten chat <MODEL_SLUG> <message> [base-url]");
            return 2;
        }

        try
        {
            string key = System.Environment.GetEnvironmentVariable("BASETEN_API_KEY") ?? throw new InvalidOperationException("no API key");
            string root = (models ? args.Length > 1 ? args[1] : null : args.Length > 3 ? args[3] : null) ?? "https://inference.baseten.co";
            using var http = new HttpClient { BaseAddress = new Uri(root) };
            if (models)
            {
                using var list = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
                list.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
                using HttpResponseMessage answer = await http.SendAsync(list);
                answer.EnsureSuccessStatusCode();
                ModelList catalog = await answer.Content.ReadFromJsonAsync(ChatJson.Default.ModelList) ?? throw new InvalidDataException("The catalog is null.");
                foreach (ModelEntry model in catalog.Data)
                {
                    Console.WriteLine(model.Id);
                }

                return 0;
            }

            var body = new ChatRequest(args[1], [new ChatMessage("user", args[2])], true, new StreamOptions(true));
            using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body, ChatJson.Default.ChatRequest) };
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
            message.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
            using HttpResponseMessage response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"error: {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                return 1;
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
            ChatUsage? usage = null;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue;
                }

                string data = line.Substring(5).TrimStart();
                if (data == "[DONE]")
                {
                    Console.WriteLine();
                    if (usage is not null)
                    {
                        await Console.Error.WriteLineAsync($"tokens: {usage.PromptTokens} in, {usage.CompletionTokens} out");
                    }

                    return 0;
                }

                ChatChunk chunk = JsonSerializer.Deserialize(data, ChatJson.Default.ChatChunk) ?? throw new InvalidDataException("A chunk is null.");
                if (chunk.Choices is [{ Delta: { } delta }, ..])
                {
                    Console.Write(delta.Content);
                    if (delta.ReasoningContent is { } reasoning)
                    {
                        await Console.Error.WriteAsync(reasoning);
                    }
                }

                usage = chunk.Usage ?? usage;
            }

            await Console.Error.WriteLineAsync("error: the answer ended without [DONE]");
            return 1;
        }
        catch (Exception exception) when (exception is JsonException or HttpRequestException or IOException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync("error: " + exception.Message);
            return 2;
        }
    }
}

internal sealed record ChatMessage(string Role, string Content);

internal sealed record StreamOptions(bool IncludeUsage);

internal sealed record ChatRequest(string Model, List<ChatMessage> Messages, bool Stream, StreamOptions StreamOptions);

internal sealed record ChatDelta(string? Content, string? ReasoningContent);

internal sealed record ChatChunkChoice(int Index, ChatDelta? Delta, string? FinishReason);

internal sealed record ChatUsage(long PromptTokens, long CompletionTokens, long TotalTokens);

internal sealed record ChatChunk(List<ChatChunkChoice>? Choices, ChatUsage? Usage);

internal sealed record ModelEntry(string Id);

internal sealed record ModelList(List<ModelEntry> Data);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatChunk))]
[JsonSerializable(typeof(ModelList))]
internal sealed partial class ChatJson : JsonSerializerContext;
