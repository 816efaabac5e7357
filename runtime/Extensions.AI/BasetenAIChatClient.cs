using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Baseten.Aot.Extensions.AI;

// The IChatClient: maps the call in (ChatRequestMapping), calls BasetenChatClient, and maps the
// answer or each chunk back (ChatResponseMapping). Retries, timeouts and errors are the client's.
internal sealed class BasetenAIChatClient : IChatClient
{
    private readonly BasetenChatClient _client;
    private readonly ChatClientMetadata _metadata;

    public BasetenAIChatClient(BasetenChatClient client, ChatClientMetadata metadata)
    {
        _client = client;
        _metadata = metadata;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ChatCompletionRequest request = ChatRequestMapping.ToRequest(messages, options, this);
        ChatCompletion completion = await _client.CompleteAsync(request, null, cancellationToken).ConfigureAwait(false);
        return ChatResponseMapping.ToResponse(completion);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ChatCompletionRequest request = ChatRequestMapping.ToRequest(messages, options, this);
        return UpdatesAsync(request, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> UpdatesAsync(ChatCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = new ChatResponseMapping.StreamState();
        await foreach (ChatCompletionChunk chunk in _client.CompleteStreamingAsync(request, null, cancellationToken).ConfigureAwait(false))
        {
            yield return stream.ToUpdate(chunk);
        }

        if (stream.Leftover() is { } last)
        {
            yield return last;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        if (serviceType.IsInstanceOfType(_client))
        {
            return _client;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose() => _client.Dispose();
}
