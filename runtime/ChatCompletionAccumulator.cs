using System;
using System.Collections.Generic;
using System.Text;

namespace Baseten.Aot;

/// <summary>
/// Joins the chunks of a streamed answer (<see cref="BasetenChatClient.CompleteStreamingAsync"/>)
/// into the message they write, as a caller would otherwise by hand: per choice, the content and
/// the reasoning joined, each tool call's id, name and argument pieces joined by its index, the
/// finish reason, and the usage of the last chunk.
/// </summary>
/// <example>
/// <code>
/// var answer = new ChatCompletionAccumulator();
/// await foreach (ChatCompletionChunk chunk in chat.CompleteStreamingAsync(request))
/// {
///     Console.Write(answer.Add(chunk));
/// }
/// ChatCompletion whole = answer.ToCompletion();
/// </code>
/// </example>
public sealed class ChatCompletionAccumulator
{
    private readonly List<ChoiceState> _choices = new();
    private string? _id;
    private string? _model;
    private long? _created;
    private string? _systemFingerprint;

    /// <summary>The usage, once a chunk has carried it (the last one, with <c>include_usage</c>); else null.</summary>
    public ChatUsage? Usage { get; private set; }

    /// <summary>How many chunks were added.</summary>
    public int Chunks { get; private set; }

    /// <summary>The first choice's content so far.</summary>
    public string Content => _choices.Count > 0 ? _choices[0].Content.ToString() : string.Empty;

    /// <summary>The first choice's reasoning so far (<c>reasoning_content</c>, or <c>reasoning</c>).</summary>
    public string Reasoning => _choices.Count > 0 ? _choices[0].Reasoning.ToString() : string.Empty;

    /// <summary>Why the first choice ended; null until its last chunk.</summary>
    public ChatFinishReason? FinishReason => _choices.Count > 0 ? _choices[0].FinishReason : null;

    /// <summary>Adds a chunk, in the order they arrive, and returns the first choice's content piece in it (empty when none), to write out as it comes.</summary>
    /// <param name="chunk">The next chunk.</param>
    /// <returns>The content the chunk adds to the first choice.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="chunk"/> is null.</exception>
    /// <exception cref="ArgumentException">A choice or tool-call index is negative or above 1024 (no server sends that many; a bad index would otherwise grow the lists without bound).</exception>
    public string Add(ChatCompletionChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        Chunks++;
        _id ??= chunk.Id;
        _model ??= chunk.Model;
        _created ??= chunk.Created;
        _systemFingerprint ??= chunk.SystemFingerprint;
        if (chunk.Usage is { } usage)
        {
            Usage = usage;
        }

        string firstContent = string.Empty;
        if (chunk.Choices is not { } choices)
        {
            return firstContent;
        }

        foreach (ChatChunkChoice choice in choices)
        {
            ChoiceState state = At(_choices, choice.Index ?? 0, static () => new ChoiceState(), nameof(chunk));
            if (choice.FinishReason is { } finish)
            {
                state.FinishReason = finish;
            }

            if (choice.Delta is not { } delta)
            {
                continue;
            }

            state.Role ??= delta.Role;
            if (delta.Content is { } content)
            {
                state.Content.Append(content);
                if ((choice.Index ?? 0) == 0)
                {
                    firstContent = content;
                }
            }

            state.Reasoning.Append(delta.ReasoningContent ?? delta.Reasoning);
            if (delta.ToolCalls is { } calls)
            {
                foreach (ChatToolCallDelta call in calls)
                {
                    ToolCallState tool = At(state.ToolCalls, call.Index, static () => new ToolCallState(), nameof(chunk));
                    tool.Id ??= call.Id;
                    tool.Type ??= call.Type;
                    if (call.Function is { } function)
                    {
                        tool.Name ??= function.Name;
                        tool.Arguments.Append(function.Arguments);
                    }
                }
            }
        }

        return firstContent;
    }

    /// <summary>The first choice's tool calls so far, each with its arguments joined.</summary>
    public IReadOnlyList<ChatToolCall> ToolCalls() => _choices.Count > 0 ? _choices[0].Calls() : Array.Empty<ChatToolCall>();

    /// <summary>The answer as a whole <see cref="ChatCompletion"/>, as a call without streaming would have returned it.</summary>
    public ChatCompletion ToCompletion()
    {
        var choices = new ChatChoice[_choices.Count];
        for (int i = 0; i < choices.Length; i++)
        {
            ChoiceState state = _choices[i];
            var message = new ChatMessage { Role = state.Role is null ? ChatMessageRole.Assistant : new ChatMessageRole(state.Role) };
            if (state.Content.Length > 0)
            {
                message.Content = state.Content.ToString();
            }

            if (state.Reasoning.Length > 0)
            {
                message.ReasoningContent = state.Reasoning.ToString();
            }

            List<ChatToolCall> calls = state.Calls();
            if (calls.Count > 0)
            {
                message.ToolCalls = calls;
            }

            choices[i] = new ChatChoice { Index = i, Message = message, FinishReason = state.FinishReason };
        }

        return new ChatCompletion
        {
            Id = _id,
            Object = "chat.completion",
            Created = _created,
            Model = _model,
            SystemFingerprint = _systemFingerprint,
            Choices = choices,
            Usage = Usage,
        };
    }

    private static T At<T>(List<T> list, long index, Func<T> create, string parameterName)
    {
        if (index is < 0 or > 1024)
        {
            throw new ArgumentException("A chunk has the index " + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", outside 0 to 1024.", parameterName);
        }

        while (list.Count <= index)
        {
            list.Add(create());
        }

        return list[(int)index];
    }

    private sealed class ChoiceState
    {
        public readonly StringBuilder Content = new();
        public readonly StringBuilder Reasoning = new();
        public readonly List<ToolCallState> ToolCalls = new();
        public string? Role;
        public ChatFinishReason? FinishReason;

        public List<ChatToolCall> Calls()
        {
            var calls = new List<ChatToolCall>(ToolCalls.Count);
            foreach (ToolCallState tool in ToolCalls)
            {
                // An index a server skipped leaves a call with nothing in it: not a call.
                if (tool.Id is null && tool.Name is null && tool.Arguments.Length == 0)
                {
                    continue;
                }

                calls.Add(new ChatToolCall
                {
                    Id = tool.Id ?? string.Empty,
                    Type = tool.Type ?? "function",
                    Function = new ChatFunctionCall { Name = tool.Name ?? string.Empty, Arguments = tool.Arguments.ToString() },
                });
            }

            return calls;
        }
    }

    private sealed class ToolCallState
    {
        public readonly StringBuilder Arguments = new();
        public string? Id;
        public string? Type;
        public string? Name;
    }
}
