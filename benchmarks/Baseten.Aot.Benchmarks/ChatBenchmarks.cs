using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using OpenAI;
using OpenAIChat = OpenAI.Chat;

namespace Baseten.Aot.Benchmarks;

/// <summary>
/// Issue 15's per-call budget: one chat completion, streamed (a 200-chunk answer, usage in the last
/// chunk, then <c>data: [DONE]</c>) and not, through <see cref="BasetenChatClient"/>, against the
/// same call written by hand (HttpClient, System.Text.Json source generation, a plain <c>data:</c>
/// line loop over StreamReader: the baseline), and OpenAI's .NET library as a peer. No socket: every
/// client sits on an in-memory handler that writes the request body to Stream.Null and answers a
/// canned 200 from a pre-encoded array. Each case reads every chunk's content piece (its length is
/// summed; the setup checks the text) and the usage, so the work compared is the same.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class ChatBenchmarks
{
    /// <summary>How many chunks the streamed answer has, each with a piece of the content.</summary>
    public const int ChunkCount = 200;

    private const string Model = "openai/gpt-oss-120b";
    private const string Key = "benchmark-key";
    private const string SystemPrompt = "You are a concise assistant. Answer in plain prose.";
    private const string Question = "Explain what NativeAOT changes for a .NET command-line tool.";
    private const int MaxTokens = 512;
    private const long PromptTokens = 42;

    private static readonly Uri s_baseAddress = new("https://inference.baseten.co");
    private static readonly Uri s_completions = new("https://inference.baseten.co/v1/chat/completions");
    private static readonly string[] s_pieces = Pieces();
    private static readonly string s_text = string.Concat(s_pieces);

    private readonly CannedHandler _streamHandler = new(HttpMethod.Post, s_completions, "Bearer " + Key, StreamBody(), "text/event-stream");
    private readonly CannedHandler _completeHandler = new(HttpMethod.Post, s_completions, "Bearer " + Key, CompletionBody(), "application/json");
    private readonly List<HttpClient> _httpClients = [];
    private BasetenChatClient _basetenStream = null!;
    private BasetenChatClient _basetenComplete = null!;
    private HttpClient _handWrittenStream = null!;
    private HttpClient _handWrittenComplete = null!;
    private OpenAIChat.ChatClient _openAIStream = null!;
    private OpenAIChat.ChatClient _openAIComplete = null!;

    // One request object per case, as a caller keeps one; the client sets stream on its own.
    private readonly ChatCompletionRequest _basetenStreamRequest = BasetenRequest();
    private readonly ChatCompletionRequest _basetenCompleteRequest = BasetenRequest();
    private readonly HandWrittenChatRequest _handWrittenStreamRequest = HandWrittenRequest(stream: true);
    private readonly HandWrittenChatRequest _handWrittenCompleteRequest = HandWrittenRequest(stream: false);
    private readonly OpenAIChat.ChatMessage[] _openAIMessages = [new OpenAIChat.SystemChatMessage(SystemPrompt), new OpenAIChat.UserChatMessage(Question)];
    private readonly OpenAIChat.ChatCompletionOptions _openAIStreamOptions = new() { MaxOutputTokenCount = MaxTokens };
    private readonly OpenAIChat.ChatCompletionOptions _openAICompleteOptions = new() { MaxOutputTokenCount = MaxTokens };

    [GlobalSetup]
    public async Task Setup()
    {
        // The hand-written calls get what `new HttpClient(handler)` gives; the chat client's own
        // HttpClient has HttpClient's timeout off (its retry policy's attempt timeout stands in).
        _handWrittenStream = Http(_streamHandler, null);
        _handWrittenComplete = Http(_completeHandler, null);
        _basetenStream = new BasetenChatClient(Http(_streamHandler, Timeout.InfiniteTimeSpan), BasetenOptions());
        _basetenComplete = new BasetenChatClient(Http(_completeHandler, Timeout.InfiniteTimeSpan), BasetenOptions());
        _openAIStream = OpenAIClient(_streamHandler);
        _openAIComplete = OpenAIClient(_completeHandler);

        // Every case must read the same 200 pieces and the usage, or the comparison means nothing.
        var streams = new (string Name, Func<StringBuilder?, Task<long>> Call)[]
        {
            (nameof(ChatStream_HandWritten), StreamHandWritten),
            (nameof(ChatStream_BasetenAot), StreamBasetenAot),
            (nameof(ChatStream_OpenAI), StreamOpenAI),
        };
        var completes = new (string Name, Func<StringBuilder?, Task<long>> Call)[]
        {
            (nameof(ChatComplete_HandWritten), CompleteHandWritten),
            (nameof(ChatComplete_BasetenAot), CompleteBasetenAot),
            (nameof(ChatComplete_OpenAI), CompleteOpenAI),
        };
        await Check(streams, _streamHandler, stream: true);
        await Check(completes, _completeHandler, stream: false);
        _streamHandler.Record = false;
        _completeHandler.Record = false;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _basetenStream.Dispose();
        _basetenComplete.Dispose();
        foreach (HttpClient http in _httpClients)
        {
            http.Dispose();
        }

        _streamHandler.Dispose();
        _completeHandler.Dispose();
    }

    /// <summary>The streamed call written by hand: what a careful person writes without a library.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Stream")]
    public Task<long> ChatStream_HandWritten() => StreamHandWritten(null);

    /// <summary>The same streamed call through <see cref="BasetenChatClient.CompleteStreamingAsync"/>.</summary>
    [Benchmark]
    [BenchmarkCategory("Stream")]
    public Task<long> ChatStream_BasetenAot() => StreamBasetenAot(null);

    /// <summary>The same streamed call through OpenAI's .NET library, on the same handler.</summary>
    [Benchmark]
    [BenchmarkCategory("Stream")]
    public Task<long> ChatStream_OpenAI() => StreamOpenAI(null);

    /// <summary>The call without streaming, written by hand.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Complete")]
    public Task<long> ChatComplete_HandWritten() => CompleteHandWritten(null);

    /// <summary>The call without streaming through <see cref="BasetenChatClient.CompleteAsync(ChatCompletionRequest, Baseten.Aot.Http.ApiCallOptions?, CancellationToken)"/>.</summary>
    [Benchmark]
    [BenchmarkCategory("Complete")]
    public Task<long> ChatComplete_BasetenAot() => CompleteBasetenAot(null);

    /// <summary>The call without streaming through OpenAI's .NET library.</summary>
    [Benchmark]
    [BenchmarkCategory("Complete")]
    public Task<long> ChatComplete_OpenAI() => CompleteOpenAI(null);

    // Each call returns the content's length plus the total tokens; `text` collects the content for the setup's check.
    private async Task<long> StreamHandWritten(StringBuilder? text)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, s_completions)
        {
            Content = JsonContent.Create(_handWrittenStreamRequest, HandWrittenChatJson.Default.HandWrittenChatRequest),
        };
        message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Key);
        message.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        using HttpResponseMessage response = await _handWrittenStream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        long length = 0;
        long tokens = 0;
        bool done = false;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            ReadOnlySpan<char> data = line.AsSpan(5).TrimStart(' ');
            if (data.SequenceEqual("[DONE]"))
            {
                done = true;
                break;
            }

            HandWrittenChatChunk chunk = JsonSerializer.Deserialize(data, HandWrittenChatJson.Default.HandWrittenChatChunk)
                ?? throw new InvalidDataException("A chunk is null.");
            if (chunk.Choices is [{ Delta.Content: { } content }, ..])
            {
                length += content.Length;
                text?.Append(content);
            }

            tokens = chunk.Usage?.TotalTokens ?? tokens;
        }

        return done ? length + tokens : throw new InvalidDataException("The stream ended without [DONE].");
    }

    private async Task<long> StreamBasetenAot(StringBuilder? text)
    {
        long length = 0;
        long tokens = 0;
        await foreach (ChatCompletionChunk chunk in _basetenStream.CompleteStreamingAsync(_basetenStreamRequest))
        {
            if (chunk.Choices is [{ Delta.Content: { } content }, ..])
            {
                length += content.Length;
                text?.Append(content);
            }

            tokens = chunk.Usage?.TotalTokens ?? tokens;
        }

        return length + tokens;
    }

    private async Task<long> StreamOpenAI(StringBuilder? text)
    {
        long length = 0;
        long tokens = 0;
        await foreach (OpenAIChat.StreamingChatCompletionUpdate update in _openAIStream.CompleteChatStreamingAsync(_openAIMessages, _openAIStreamOptions))
        {
            foreach (OpenAIChat.ChatMessageContentPart part in update.ContentUpdate)
            {
                length += part.Text.Length;
                text?.Append(part.Text);
            }

            tokens = update.Usage?.TotalTokenCount ?? tokens;
        }

        return length + tokens;
    }

    private async Task<long> CompleteHandWritten(StringBuilder? text)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, s_completions)
        {
            Content = JsonContent.Create(_handWrittenCompleteRequest, HandWrittenChatJson.Default.HandWrittenChatRequest),
        };
        message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Key);
        using HttpResponseMessage response = await _handWrittenComplete.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        HandWrittenChatCompletion completion = await response.Content.ReadFromJsonAsync(HandWrittenChatJson.Default.HandWrittenChatCompletion)
            ?? throw new InvalidDataException("The answer is null.");
        string content = completion.Choices[0].Message.Content ?? string.Empty;
        text?.Append(content);
        return content.Length + (completion.Usage?.TotalTokens ?? 0);
    }

    private async Task<long> CompleteBasetenAot(StringBuilder? text)
    {
        ChatCompletion completion = await _basetenComplete.CompleteAsync(_basetenCompleteRequest);
        string content = completion.Content() ?? string.Empty;
        text?.Append(content);
        return content.Length + (completion.Usage?.TotalTokens ?? 0);
    }

    private async Task<long> CompleteOpenAI(StringBuilder? text)
    {
        ClientResult<OpenAIChat.ChatCompletion> result = await _openAIComplete.CompleteChatAsync(_openAIMessages, _openAICompleteOptions);
        string content = result.Value.Content[0].Text;
        text?.Append(content);
        return content.Length + (result.Value.Usage?.TotalTokenCount ?? 0);
    }

    private static async Task Check((string Name, Func<StringBuilder?, Task<long>> Call)[] cases, CannedHandler handler, bool stream)
    {
        JsonNode? handWrittenBody = null;
        foreach ((string name, Func<StringBuilder?, Task<long>> call) in cases)
        {
            var text = new StringBuilder();
            long result = await call(text);
            if (text.ToString() != s_text || result != s_text.Length + PromptTokens + ChunkCount)
            {
                throw new InvalidOperationException($"{name} read {text.Length} chars of content (expected {s_text.Length}) and returned {result}: every case must read the same answer.");
            }

            // The hand-written call and ours must send the same request; OpenAI's library writes its own.
            JsonNode body = JsonNode.Parse(handler.LastBody) ?? throw new InvalidOperationException(name + " sent no body.");
            bool? sentStream = body["stream"]?.GetValue<bool>();
            if (stream ? sentStream != true : sentStream == true)
            {
                throw new InvalidOperationException($"{name} sent stream={body["stream"]}: {body.ToJsonString()}");
            }

            if (name.EndsWith("HandWritten", StringComparison.Ordinal))
            {
                handWrittenBody = body;
            }
            else if (name.EndsWith("BasetenAot", StringComparison.Ordinal) && !JsonNode.DeepEquals(body, handWrittenBody))
            {
                throw new InvalidOperationException($"{name} sent {body.ToJsonString()}, the hand-written call {handWrittenBody?.ToJsonString()}.");
            }
        }
    }

    private HttpClient Http(CannedHandler handler, TimeSpan? timeout)
    {
        var http = new HttpClient(handler, disposeHandler: false);
        if (timeout is { } value)
        {
            http.Timeout = value;
        }

        _httpClients.Add(http);
        return http;
    }

    private OpenAIChat.ChatClient OpenAIClient(CannedHandler handler)
        => new(Model, new ApiKeyCredential(Key), new OpenAIClientOptions
        {
            Endpoint = new Uri(s_baseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(Http(handler, null)),
        });

    private static BasetenChatClientOptions BasetenOptions() => new() { ApiKey = Key, Model = Model, BaseAddress = s_baseAddress };

    private static ChatCompletionRequest BasetenRequest()
        => new() { Messages = [ChatMessage.FromSystem(SystemPrompt), ChatMessage.FromUser(Question)], MaxTokens = MaxTokens };

    private static HandWrittenChatRequest HandWrittenRequest(bool stream)
        => new(Model, [new("system", SystemPrompt), new("user", Question)], MaxTokens, stream ? true : null, stream ? new HandWrittenStreamOptions(true) : null);

    // 200 pieces of prose, as a tokenizer cuts it: mostly a word with its leading space, now and then
    // punctuation or a paragraph break (escaped in JSON), and one piece outside ASCII.
    private static string[] Pieces()
    {
        string[] words = "NativeAOT compiles the tool ahead of time into one native file , so it starts in milliseconds without a JIT ; the trimmer removes what is never called , and reflection over unknown types is refused at build time .".Split(' ');
        var pieces = new string[ChunkCount];
        for (int i = 0; i < ChunkCount; i++)
        {
            string word = words[i % words.Length];
            pieces[i] = i % 50 == 49 ? "\n\n" : i == 100 ? " café" : word is "," or ";" or "." ? word : " " + word;
        }

        return pieces;
    }

    private static string Chunk(int index, string piece)
    {
        var json = new StringBuilder("{\"id\":\"chatcmpl-5d1c0b7e\",\"object\":\"chat.completion.chunk\",\"created\":1765100000,\"model\":\"" + Model + "\",\"choices\":[{\"index\":0,\"delta\":{");
        json.Append(index == 0 ? "\"role\":\"assistant\"," : string.Empty);
        json.Append("\"content\":\"").Append(JsonEncodedText.Encode(piece).ToString()).Append("\"},\"logprobs\":null,\"finish_reason\":");
        json.Append(index == ChunkCount - 1 ? "\"stop\"" : "null").Append("}]");
        if (index == ChunkCount - 1)
        {
            json.Append(",\"usage\":{\"prompt_tokens\":" + PromptTokens + ",\"completion_tokens\":" + ChunkCount + ",\"total_tokens\":" + (PromptTokens + ChunkCount) + "}");
        }

        return json.Append('}').ToString();
    }

    private static byte[] StreamBody()
    {
        var body = new StringBuilder();
        for (int i = 0; i < ChunkCount; i++)
        {
            body.Append("data: ").Append(Chunk(i, s_pieces[i])).Append("\n\n");
        }

        return Encoding.UTF8.GetBytes(body.Append("data: [DONE]\n\n").ToString());
    }

    private static byte[] CompletionBody()
        => Encoding.UTF8.GetBytes(
            "{\"id\":\"chatcmpl-5d1c0b7e\",\"object\":\"chat.completion\",\"created\":1765100000,\"model\":\"" + Model + "\",\"system_fingerprint\":null,"
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + JsonEncodedText.Encode(s_text) + "\",\"tool_calls\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":" + PromptTokens + ",\"completion_tokens\":" + ChunkCount + ",\"total_tokens\":" + (PromptTokens + ChunkCount) + ",\"prompt_tokens_details\":null}}");
}
