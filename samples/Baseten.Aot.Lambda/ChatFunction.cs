using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Lambda;

/// <summary>
/// The chat mode (<c>BASETEN_FUNCTION=chat</c>): the event's prompt (and system instructions) sent
/// to an LLM through <see cref="BasetenChatClient"/>, the answer's text, finish reason and usage as
/// the response.
/// </summary>
internal sealed class ChatFunction : ModelFunction
{
    private readonly BasetenChatClient _chat;

    /// <exception cref="FunctionSettings.InvalidException">The client refuses the settings.</exception>
    public ChatFunction(FunctionSettings settings, TimeProvider time)
        : base(settings, time)
    {
        try
        {
            _chat = new BasetenChatClient(settings.Chat!);
        }
        catch (ArgumentException exception)
        {
            throw new FunctionSettings.InvalidException(ErrorTypes.ConfigInvalid, "the Baseten chat client refuses its settings: " + exception.Message);
        }
    }

    protected override string InputName => "a chat request ({\"prompt\": \"...\"})";

    protected override string CallName => "the chat completion";

    protected override object? ReadEvent(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, ModelJson.Default.ChatEvent);

    protected override async Task<byte[]> CallAsync(object input, CancellationToken cancellationToken)
    {
        var chatEvent = (ChatEvent)input;
        var messages = new List<ChatMessage>(2);
        if (chatEvent.System is { } system)
        {
            messages.Add(ChatMessage.FromSystem(system));
        }

        messages.Add(ChatMessage.FromUser(chatEvent.Prompt));
        var request = new ChatCompletionRequest { Messages = messages, MaxTokens = chatEvent.MaxTokens, Temperature = chatEvent.Temperature };
        ChatCompletion completion = await _chat.CompleteAsync(request, null, cancellationToken).ConfigureAwait(false);
        ChatChoice? first = completion.Choices.Count > 0 ? completion.Choices[0] : null;
        ChatAnswerUsage? usage = completion.Usage is { } counted ? new ChatAnswerUsage(counted.PromptTokens, counted.CompletionTokens, counted.TotalTokens) : null;
        var answer = new ChatAnswer(completion.Content() ?? string.Empty, completion.Model, first?.FinishReason?.Value, usage);
        return JsonSerializer.SerializeToUtf8Bytes(answer, ModelJson.Default.ChatAnswer);
    }

    public override void Dispose() => _chat.Dispose();
}
