using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using BasetenFinishReason = Baseten.Aot.ChatFinishReason;
using BasetenMessage = Baseten.Aot.ChatMessage;

namespace Baseten.Aot.Extensions.AI;

// BasetenChatClient's answers into Microsoft.Extensions.AI's types. The first choice is the
// response's message; every object keeps the wire object it came from as RawRepresentation (so
// other choices, logprobs and the like stay reachable), and system_fingerprint goes into
// AdditionalProperties.
internal static class ChatResponseMapping
{
    public const string SystemFingerprintKey = "system_fingerprint";

    public static ChatResponse ToResponse(ChatCompletion completion)
    {
        ChatChoice? first = completion.Choices.Count > 0 ? completion.Choices[0] : null;
        DateTimeOffset? created = CreatedAt(completion.Created);
        var response = new ChatResponse(first is null ? new List<AIChatMessage>() : new List<AIChatMessage> { ToMessage(first.Message, completion.Id, created) })
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = created,
            FinishReason = FinishReasonOf(first?.FinishReason),
            Usage = completion.Usage is { } usage ? UsageOf(usage) : null,
            RawRepresentation = completion,
        };
        if (completion.SystemFingerprint is { } fingerprint)
        {
            (response.AdditionalProperties ??= new()).Add(SystemFingerprintKey, fingerprint);
        }

        return response;
    }

    public static AIChatMessage ToMessage(BasetenMessage message, string? id, DateTimeOffset? created)
    {
        var contents = new List<AIContent>();
        if ((message.ReasoningContent ?? message.Reasoning) is { Length: > 0 } reasoning)
        {
            contents.Add(new TextReasoningContent(reasoning));
        }

        if (message.Content is { } content)
        {
            if (content.IsString)
            {
                contents.Add(new TextContent(content.String));
            }
            else if (content.ChatContentPartList is { } parts)
            {
                foreach (ChatContentPart part in parts)
                {
                    contents.Add(part.Type == "text" ? new TextContent(part.Text) { RawRepresentation = part } : new AIContent { RawRepresentation = part });
                }
            }
            else
            {
                contents.Add(new AIContent { RawRepresentation = content });
            }
        }

        if (message.ToolCalls is { } calls)
        {
            foreach (ChatToolCall call in calls)
            {
                contents.Add(CallOf(call));
            }
        }

        return new AIChatMessage(RoleOf(message.Role.Value), contents)
        {
            AuthorName = message.Name,
            MessageId = id,
            CreatedAt = created,
            RawRepresentation = message,
        };
    }

    public static FunctionCallContent CallOf(ChatToolCall call)
    {
        // Arguments that are not a JSON object leave the content's Exception set, as
        // Microsoft.Extensions.AI's function invocation expects, instead of failing the response.
        FunctionCallContent content = FunctionCallContent.CreateFromParsedArguments(call.Function.Arguments, call.Id, call.Function.Name, JsonArguments.Parse);
        content.RawRepresentation = call;
        return content;
    }

    public static ChatRole RoleOf(string? role) => role switch
    {
        null or "assistant" => ChatRole.Assistant,
        "user" => ChatRole.User,
        "system" => ChatRole.System,
        "tool" => ChatRole.Tool,
        _ => new ChatRole(role),
    };

    public static AIFinishReason? FinishReasonOf(BasetenFinishReason? reason)
    {
        if (reason is null)
        {
            return null;
        }

        return reason.Value switch
        {
            "stop" => AIFinishReason.Stop,
            "length" => AIFinishReason.Length,
            "tool_calls" or "function_call" => AIFinishReason.ToolCalls,
            "content_filter" => AIFinishReason.ContentFilter,
            _ => new AIFinishReason(reason.Value),
        };
    }

    public static UsageDetails UsageOf(ChatUsage usage) => new()
    {
        InputTokenCount = usage.PromptTokens,
        OutputTokenCount = usage.CompletionTokens,
        TotalTokenCount = usage.TotalTokens,
        CachedInputTokenCount = usage.PromptTokensDetails?.CachedTokens,
        ReasoningTokenCount = usage.CompletionTokensDetails?.ReasoningTokens,
    };

    public static DateTimeOffset? CreatedAt(long? unixSeconds)
        => unixSeconds is { } seconds && seconds is >= 0 and <= 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    // One update per chunk: the first choice's content and reasoning pieces as they come; its tool
    // calls, whose arguments arrive in fragments by index, whole (joined by ChatCompletionAccumulator)
    // on the update with its finish reason, or after the last chunk if the server sent none; the
    // usage as UsageContent.
    public sealed class StreamState
    {
        private readonly ChatCompletionAccumulator _answer = new();
        private bool _callsSent;
        private string? _id;
        private string? _model;
        private DateTimeOffset? _created;

        public ChatResponseUpdate ToUpdate(ChatCompletionChunk chunk)
        {
            _answer.Add(chunk);
            _id ??= chunk.Id;
            _model ??= chunk.Model;
            _created ??= CreatedAt(chunk.Created);
            var contents = new List<AIContent>();
            ChatChunkChoice? first = null;
            if (chunk.Choices is { } choices)
            {
                foreach (ChatChunkChoice choice in choices)
                {
                    if ((choice.Index ?? 0) == 0)
                    {
                        first = choice;
                        break;
                    }
                }
            }

            if (first?.Delta is { } delta)
            {
                if ((delta.ReasoningContent ?? delta.Reasoning) is { Length: > 0 } reasoning)
                {
                    contents.Add(new TextReasoningContent(reasoning));
                }

                if (delta.Content is { Length: > 0 } text)
                {
                    contents.Add(new TextContent(text));
                }
            }

            if (first?.FinishReason is not null)
            {
                AddCalls(contents);
            }

            if (chunk.Usage is { } usage)
            {
                contents.Add(new UsageContent(UsageOf(usage)));
            }

            ChatResponseUpdate update = Update(contents, chunk);
            update.Role = RoleOf(first?.Delta?.Role);
            update.FinishReason = FinishReasonOf(first?.FinishReason);
            if (chunk.SystemFingerprint is { } fingerprint)
            {
                (update.AdditionalProperties ??= new()).Add(SystemFingerprintKey, fingerprint);
            }

            return update;
        }

        // The tool calls of a stream that ended without a finish reason, if any.
        public ChatResponseUpdate? Leftover()
        {
            var contents = new List<AIContent>();
            AddCalls(contents);
            return contents.Count == 0 ? null : Update(contents, null);
        }

        private void AddCalls(List<AIContent> contents)
        {
            if (_callsSent)
            {
                return;
            }

            IReadOnlyList<ChatToolCall> calls = _answer.ToolCalls();
            if (calls.Count == 0)
            {
                return;
            }

            _callsSent = true;
            foreach (ChatToolCall call in calls)
            {
                contents.Add(CallOf(call));
            }
        }

        private ChatResponseUpdate Update(List<AIContent> contents, ChatCompletionChunk? chunk) => new(ChatRole.Assistant, contents)
        {
            ResponseId = chunk?.Id ?? _id,
            MessageId = chunk?.Id ?? _id,
            ModelId = chunk?.Model ?? _model,
            CreatedAt = CreatedAt(chunk?.Created) ?? _created,
            RawRepresentation = chunk,
        };
    }
}
