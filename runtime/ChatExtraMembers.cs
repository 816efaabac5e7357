using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Baseten.Aot;

// The extra members a caller adds to a chat request (AdditionalProperties: an engine's own fields,
// such as min_tokens or ignore_eos) are written after the declared ones. One that repeats a declared
// member would be sent twice, and servers disagree on what that means (Python's json keeps the last,
// serde refuses the body). The generated writer refuses it (GeneratedJson.RepeatedMember), but it
// knows only the model it writes; this walk refuses first so that the exception says where in the
// request the member is (request.Messages[2].ToolCalls[0]) and names the request parameter, before
// the request is built. The declared names come from the generated models (DeclaredPropertyOf), so
// they follow spec/baseten.chat.openapi.yaml.
internal static class ChatExtraMembers
{
    /// <summary>Throws when an extra member anywhere in <paramref name="request"/> repeats one its object declares.</summary>
    /// <exception cref="ArgumentException">An <c>AdditionalProperties</c> of the request, its stream options, a message, a content part or a tool call names a member the object declares.</exception>
    public static void Check(ChatCompletionRequest request)
    {
        if (FirstRepeated(request) is { } message)
        {
            throw new ArgumentException(message, nameof(request));
        }
    }

    // What the exception says about the first extra member that repeats a declared one; null when none does.
    private static string? FirstRepeated(ChatCompletionRequest request)
    {
        string? repeated = null;
        if (request.AdditionalProperties is { } requestExtra)
        {
            repeated = Repeated(requestExtra, ChatCompletionRequest.DeclaredPropertyOf, nameof(ChatCompletionRequest), string.Empty);
        }

        if (repeated is null && request.StreamOptions?.AdditionalProperties is { } streamExtra)
        {
            repeated = Repeated(streamExtra, ChatStreamOptions.DeclaredPropertyOf, nameof(ChatStreamOptions), ".StreamOptions");
        }

        if (repeated is not null || request.Messages is not { } messages)
        {
            return repeated;
        }

        for (int i = 0; i < messages.Count && repeated is null; i++)
        {
            if (messages[i] is not { } message)
            {
                continue;
            }

            if (message.AdditionalProperties is { } messageExtra)
            {
                repeated = Repeated(messageExtra, ChatMessage.DeclaredPropertyOf, nameof(ChatMessage), ".Messages[" + i + "]");
            }

            if (message.Content?.ChatContentPartList is { } parts)
            {
                for (int j = 0; j < parts.Count && repeated is null; j++)
                {
                    if (parts[j]?.AdditionalProperties is { } partExtra)
                    {
                        repeated = Repeated(partExtra, ChatContentPart.DeclaredPropertyOf, nameof(ChatContentPart), ".Messages[" + i + "].Content[" + j + "]");
                    }
                }
            }

            if (message.ToolCalls is { } calls)
            {
                for (int j = 0; j < calls.Count && repeated is null; j++)
                {
                    if (calls[j]?.AdditionalProperties is { } callExtra)
                    {
                        repeated = Repeated(callExtra, ChatToolCall.DeclaredPropertyOf, nameof(ChatToolCall), ".Messages[" + i + "].ToolCalls[" + j + "]");
                    }
                }
            }
        }

        return repeated;
    }

    private static string? Repeated(IDictionary<string, JsonElement> extra, Func<string, string?> declaredPropertyOf, string type, string where)
    {
        foreach (string name in extra.Keys)
        {
            if (declaredPropertyOf(name) is { } property)
            {
                return "request" + where + ".AdditionalProperties has \"" + name + "\", which " + type + "." + property
                    + " sends: set that property instead (an extra member is never sent beside the declared one of the same name).";
            }
        }

        return null;
    }
}
