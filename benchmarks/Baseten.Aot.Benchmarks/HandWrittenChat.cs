using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Baseten.Aot.Benchmarks;

// The chat call's own small types, as someone writing it by hand declares them (the same shapes as
// benchmarks/SizeChatHandWritten): only the members the caller reads; System.Text.Json skips the rest.

internal sealed record HandWrittenChatMessage(string Role, string? Content);

internal sealed record HandWrittenStreamOptions(bool IncludeUsage);

internal sealed record HandWrittenChatRequest(string Model, List<HandWrittenChatMessage> Messages, int MaxTokens, bool? Stream, HandWrittenStreamOptions? StreamOptions);

internal sealed record HandWrittenChatDelta(string? Role, string? Content, string? ReasoningContent);

internal sealed record HandWrittenChunkChoice(int Index, HandWrittenChatDelta? Delta, string? FinishReason);

internal sealed record HandWrittenChatUsage(long PromptTokens, long CompletionTokens, long TotalTokens);

internal sealed record HandWrittenChatChunk(string? Id, List<HandWrittenChunkChoice>? Choices, HandWrittenChatUsage? Usage);

internal sealed record HandWrittenChoice(int Index, HandWrittenChatMessage Message, string? FinishReason);

internal sealed record HandWrittenChatCompletion(string? Id, List<HandWrittenChoice> Choices, HandWrittenChatUsage? Usage);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HandWrittenChatRequest))]
[JsonSerializable(typeof(HandWrittenChatChunk))]
[JsonSerializable(typeof(HandWrittenChatCompletion))]
internal sealed partial class HandWrittenChatJson : JsonSerializerContext;
