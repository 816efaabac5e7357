using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.Extensions.AI;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat;
using BasetenMessage = Baseten.Aot.ChatMessage;
using BasetenResponseFormat = Baseten.Aot.ChatResponseFormat;

namespace Baseten.Aot.Extensions.AI;

// Microsoft.Extensions.AI's messages and ChatOptions into a ChatCompletionRequest. Whatever has no
// place in the request is refused with NotSupportedException rather than dropped, so a caller never
// believes a setting (a hosted tool, an audio part) took effect when it did not. An
// AdditionalProperties key the request does not declare is sent as an extra member (an engine's
// own field, such as min_tokens), its value written as JSON without reflection.
internal static class ChatRequestMapping
{
    public static ChatCompletionRequest ToRequest(IEnumerable<AIChatMessage> messages, ChatOptions? options, IChatClient client)
    {
        // A request the caller built (ChatOptions.RawRepresentationFactory) is the starting point:
        // every setting it has that the options do not override is sent as it is.
        ChatCompletionRequest request = options?.RawRepresentationFactory?.Invoke(client) as ChatCompletionRequest
            ?? new ChatCompletionRequest { Messages = Array.Empty<BasetenMessage>() };

        var wire = new List<BasetenMessage>();
        if (request.Messages is { Count: > 0 } earlier)
        {
            wire.AddRange(earlier);
        }

        if (options?.Instructions is { } instructions)
        {
            wire.Add(BasetenMessage.FromSystem(instructions));
        }

        foreach (AIChatMessage message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            AddMessage(wire, message);
        }

        request.Messages = wire;
        if (options is not null)
        {
            ApplyOptions(request, options);
        }

        return request;
    }

    private static void AddMessage(List<BasetenMessage> wire, AIChatMessage message)
    {
        if (message.RawRepresentation is BasetenMessage raw)
        {
            // A message that came back from this adapter goes out as the server wrote it.
            wire.Add(raw);
            return;
        }

        ChatMessageRole role = RoleOf(message.Role);
        var parts = new List<ChatContentPart>();
        var calls = new List<ChatToolCall>();
        string? reasoning = null;
        foreach (AIContent content in message.Contents)
        {
            switch (content)
            {
                case TextContent text:
                    parts.Add(new ChatContentPart { Type = "text", Text = text.Text });
                    break;
                case TextReasoningContent thought:
                    reasoning = reasoning is null ? thought.Text : reasoning + thought.Text;
                    break;
                case FunctionCallContent call:
                    calls.Add(call.RawRepresentation as ChatToolCall ?? new ChatToolCall
                    {
                        Id = call.CallId,
                        Type = "function",
                        Function = new ChatFunctionCall { Name = call.Name, Arguments = JsonArguments.Write(call.Arguments) },
                    });
                    break;
                case FunctionResultContent result:
                    // Each result is a tool message of its own, as the protocol has it.
                    wire.Add(BasetenMessage.FromTool(result.CallId, JsonArguments.ResultText(result)));
                    break;
                case UriContent uri when uri.HasTopLevelMediaType("image"):
                    parts.Add(new ChatContentPart { Type = "image_url", ImageUrl = new ChatImageUrl { Url = uri.Uri.AbsoluteUri } });
                    break;
                case DataContent data when data.HasTopLevelMediaType("image"):
                    parts.Add(new ChatContentPart { Type = "image_url", ImageUrl = new ChatImageUrl { Url = data.Uri } });
                    break;
                case UsageContent:
                    // What an earlier answer cost: not part of the conversation.
                    break;
                default:
                    if (content.RawRepresentation is ChatContentPart part)
                    {
                        parts.Add(part);
                        break;
                    }

                    throw new NotSupportedException(
                        "A " + message.Role.Value + " message has a " + content.GetType().Name + ", which Baseten's chat completions cannot carry (text, images by URL or data, function calls and results can).");
            }
        }

        if (parts.Count == 0 && calls.Count == 0 && reasoning is null && message.Role == ChatRole.Tool)
        {
            // A tool message that held only function results has been sent as those.
            return;
        }

        var mapped = new BasetenMessage
        {
            Role = role,
            Name = message.AuthorName,
            Content = ContentOf(parts),
            ToolCalls = calls.Count > 0 ? calls : null,
            ReasoningContent = reasoning,
        };
        wire.Add(mapped);
    }

    // Text alone goes as a string, as every server reads it; anything else as a list of parts.
    private static StringOrChatContentPartList? ContentOf(List<ChatContentPart> parts)
    {
        if (parts.Count == 0)
        {
            return null;
        }

        bool textOnly = true;
        foreach (ChatContentPart part in parts)
        {
            textOnly &= part.Type == "text";
        }

        if (!textOnly)
        {
            return new StringOrChatContentPartList(parts);
        }

        if (parts.Count == 1)
        {
            return parts[0].Text ?? string.Empty;
        }

        var text = new System.Text.StringBuilder();
        foreach (ChatContentPart part in parts)
        {
            text.Append(part.Text);
        }

        return text.ToString();
    }

    private static ChatMessageRole RoleOf(ChatRole role)
    {
        if (role == ChatRole.System)
        {
            return ChatMessageRole.System;
        }

        if (role == ChatRole.User)
        {
            return ChatMessageRole.User;
        }

        if (role == ChatRole.Assistant)
        {
            return ChatMessageRole.Assistant;
        }

        return role == ChatRole.Tool ? ChatMessageRole.Tool : new ChatMessageRole(role.Value);
    }

    private static void ApplyOptions(ChatCompletionRequest request, ChatOptions options)
    {
        request.Model = options.ModelId ?? request.Model;
        request.Temperature = options.Temperature ?? request.Temperature;
        request.TopP = options.TopP ?? request.TopP;
        request.TopK = options.TopK ?? request.TopK;
        request.MaxTokens = options.MaxOutputTokens ?? request.MaxTokens;
        request.Seed = options.Seed ?? request.Seed;
        request.PresencePenalty = options.PresencePenalty ?? request.PresencePenalty;
        request.FrequencyPenalty = options.FrequencyPenalty ?? request.FrequencyPenalty;
        request.ParallelToolCalls = options.AllowMultipleToolCalls ?? request.ParallelToolCalls;
        if (options.StopSequences is { Count: > 0 } stops)
        {
            request.Stop = new StringOrStringList(new List<string>(stops));
        }

        if (options.Reasoning?.Effort is { } effort)
        {
            request.ReasoningEffort = effort switch
            {
                ReasoningEffort.None => ChatCompletionRequestReasoningEffort.None,
                ReasoningEffort.Low => ChatCompletionRequestReasoningEffort.Low,
                ReasoningEffort.Medium => ChatCompletionRequestReasoningEffort.Medium,
                ReasoningEffort.High => ChatCompletionRequestReasoningEffort.High,
                ReasoningEffort.ExtraHigh => ChatCompletionRequestReasoningEffort.Xhigh,
                _ => new ChatCompletionRequestReasoningEffort(effort.ToString().ToLowerInvariant()),
            };
        }

        if (options.Tools is { Count: > 0 } tools)
        {
            var mapped = new List<ChatTool>(tools.Count);
            foreach (AITool tool in tools)
            {
                mapped.Add(ToolOf(tool));
            }

            request.Tools = mapped;
        }

        request.ToolChoice = options.ToolMode switch
        {
            null => request.ToolChoice,
            NoneChatToolMode => "none",
            AutoChatToolMode => "auto",
            RequiredChatToolMode { RequiredFunctionName: null } => "required",
            RequiredChatToolMode { RequiredFunctionName: { } name } => new ChatNamedToolChoice { Type = "function", Function = new ChatFunctionName { Name = name } },
            _ => throw new NotSupportedException("The tool mode " + options.ToolMode.GetType().Name + " has no counterpart in Baseten's chat completions."),
        };

        request.ResponseFormat = options.ResponseFormat switch
        {
            null => request.ResponseFormat,
            ChatResponseFormatText => new BasetenResponseFormat { Type = "text" },
            ChatResponseFormatJson { Schema: null } => BasetenResponseFormat.JsonObject(),
            ChatResponseFormatJson { Schema: { } schema } json => new BasetenResponseFormat
            {
                Type = "json_schema",
                JsonSchema = new ChatJsonSchema { Name = json.SchemaName ?? "response", Description = json.SchemaDescription, Schema = schema, Strict = StrictOf(options.AdditionalProperties) },
            },
            AIResponseFormat other => throw new NotSupportedException("The response format " + other.GetType().Name + " has no counterpart in Baseten's chat completions."),
        };

        if (options.AdditionalProperties is { Count: > 0 } additional)
        {
            // A copy: the starting request's own extra members may be a dictionary the caller shares or cannot change.
            Dictionary<string, JsonElement>? extra = null;
            foreach (KeyValuePair<string, object?> property in additional)
            {
                if (!ApplyAdditional(request, property.Key, property.Value))
                {
                    extra ??= request.AdditionalProperties is { } earlier ? new Dictionary<string, JsonElement>(earlier, StringComparer.Ordinal) : new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    extra[property.Key] = ExtraMemberValues.ToElement(property.Key, property.Value);
                }
            }

            if (extra is not null)
            {
                request.AdditionalProperties = extra;
            }
        }
    }

    private static ChatTool ToolOf(AITool tool)
    {
        if (tool is not AIFunctionDeclaration function)
        {
            throw new NotSupportedException("The tool " + tool.Name + " (" + tool.GetType().Name + ") is not a function; Baseten's chat completions take function tools only.");
        }

        ChatTool mapped = ChatTool.ForFunction(function.Name, string.IsNullOrEmpty(function.Description) ? null : function.Description, function.JsonSchema);
        mapped.Function.Strict = StrictOf(function.AdditionalProperties);
        return mapped;
    }

    private static bool? StrictOf(IReadOnlyDictionary<string, object?>? properties)
        => properties is not null && properties.TryGetValue("strict", out object? value) && value is bool strict ? strict : null;

    // The declared members of the request that ChatOptions has no property for, by their wire
    // names; false for a key the request does not declare, which goes out as an extra member.
    private static bool ApplyAdditional(ChatCompletionRequest request, string key, object? value)
    {
        switch (key)
        {
            case "strict":
                // Read with the response format above.
                break;
            case "min_p":
                request.MinP = DoubleOf(key, value);
                break;
            case "repetition_penalty":
                request.RepetitionPenalty = DoubleOf(key, value);
                break;
            case "n":
                request.N = Int64Of(key, value);
                break;
            case "max_completion_tokens":
                request.MaxCompletionTokens = Int64Of(key, value);
                break;
            case "logprobs":
                request.Logprobs = value is bool logprobs ? logprobs : throw Invalid(key, value, "a bool");
                break;
            case "top_logprobs":
                request.TopLogprobs = Int64Of(key, value);
                break;
            case "user":
                request.User = value as string ?? throw Invalid(key, value, "a string");
                break;
            case "reasoning_effort":
                request.ReasoningEffort = value is string effort ? new ChatCompletionRequestReasoningEffort(effort) : throw Invalid(key, value, "a string");
                break;
            case "chat_template_args":
                request.ChatTemplateArgs = value is JsonElement { ValueKind: JsonValueKind.Object } args ? args : throw Invalid(key, value, "a JsonElement holding an object");
                break;
            default:
                if (AdviceFor(key) is { } advice)
                {
                    throw new ArgumentException("ChatOptions.AdditionalProperties has \"" + key + "\", a member the adapter sends from elsewhere (a member is never sent twice): " + advice + ".");
                }

                return false;
        }

        return true;
    }

    // The request members that ChatOptions (or the call itself) sets, and where to set them instead.
    private static string? AdviceFor(string key) => key switch
    {
        "model" => "set ChatOptions.ModelId instead",
        "messages" => "pass the messages to the call instead",
        "temperature" => "set ChatOptions.Temperature instead",
        "top_p" => "set ChatOptions.TopP instead",
        "top_k" => "set ChatOptions.TopK instead",
        "max_tokens" => "set ChatOptions.MaxOutputTokens instead",
        "stop" => "set ChatOptions.StopSequences instead",
        "seed" => "set ChatOptions.Seed instead",
        "presence_penalty" => "set ChatOptions.PresencePenalty instead",
        "frequency_penalty" => "set ChatOptions.FrequencyPenalty instead",
        "parallel_tool_calls" => "set ChatOptions.AllowMultipleToolCalls instead",
        "tools" => "set ChatOptions.Tools instead",
        "tool_choice" => "set ChatOptions.ToolMode instead",
        "response_format" => "set ChatOptions.ResponseFormat instead",
        "stream" or "stream_options" => "the adapter sets it: call GetStreamingResponseAsync to stream",
        _ => null,
    };

    private static long Int64Of(string key, object? value) => value switch
    {
        int number => number,
        long number => number,
        _ => throw Invalid(key, value, "an int or a long"),
    };

    private static double DoubleOf(string key, object? value) => value switch
    {
        double number => number,
        float number => number,
        int number => number,
        long number => number,
        decimal number => (double)number,
        _ => throw Invalid(key, value, "a number"),
    };

    private static ArgumentException Invalid(string key, object? value, string expected)
        => new("ChatOptions.AdditionalProperties[\"" + key + "\"] must be " + expected + ", not " + (value is null ? "null" : value.GetType().Name) + ".");
}
