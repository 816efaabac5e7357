using System;
using System.Collections.Generic;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot;

// The hand-written half of the chat client's interface: its address and model, completions typed
// by the caller, and streaming as typed chunks. The generated half (one method per operation of
// spec/baseten.chat.openapi.yaml) is the other part of this partial interface. A service written
// against Microsoft.Extensions.AI takes IChatClient instead (Baseten.Aot.Extensions.AI adapts this
// client to it); this interface is for one written against Baseten's own types.
public partial interface IBasetenChatClient
{
    /// <inheritdoc cref="BasetenChatClient.BaseAddress"/>
    Uri BaseAddress { get; }

    /// <inheritdoc cref="BasetenChatClient.Model"/>
    string? Model { get; }

    /// <inheritdoc cref="BasetenChatClient.CompleteAsync(ChatCompletionRequest, ApiCallOptions?, CancellationToken)"/>
    Task<ChatCompletion> CompleteAsync(ChatCompletionRequest request, ApiCallOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenChatClient.CompleteAsync{T}(ChatCompletionRequest, JsonTypeInfo{T}, ApiCallOptions?, CancellationToken)"/>
    Task<T> CompleteAsync<T>(ChatCompletionRequest request, JsonTypeInfo<T> answerInfo, ApiCallOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenChatClient.CompleteStreamingAsync(ChatCompletionRequest, ApiCallOptions?, CancellationToken)"/>
    IAsyncEnumerable<ChatCompletionChunk> CompleteStreamingAsync(ChatCompletionRequest request, ApiCallOptions? options = null, CancellationToken cancellationToken = default);
}
