using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot;

// The hand-written half of the inference client's interface: the calls with the caller's own
// types, streams, async requests, wake, /sync, the WebSocket and the embeddings. The generated half
// (one method per operation of spec/baseten.inference.openapi.yaml) is the other part of this
// partial interface. The documentation is the client's.
public partial interface IBasetenInferenceClient
{
    /// <inheritdoc cref="BasetenInferenceClient.PredictAsync{TInput, TOutput}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    Task<TOutput> PredictAsync<TInput, TOutput>(TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TOutput> outputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.PredictAsync(JsonElement, PredictTarget?, CancellationToken)"/>
    Task<JsonElement> PredictAsync(JsonElement input, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.PredictAsync{TOutput}(Func{HttpContent}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    Task<TOutput> PredictAsync<TOutput>(Func<HttpContent> input, JsonTypeInfo<TOutput> outputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.PredictStreamAsync{TInput}(TInput, JsonTypeInfo{TInput}, PredictTarget?, CancellationToken)"/>
    Task<Stream> PredictStreamAsync<TInput>(TInput input, JsonTypeInfo<TInput> inputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.PredictStreamAsync(JsonElement, PredictTarget?, CancellationToken)"/>
    Task<Stream> PredictStreamAsync(JsonElement input, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.PredictStreamAsync(ReadOnlyMemory{byte}, PredictTarget?, CancellationToken)"/>
    Task<Stream> PredictStreamAsync(ReadOnlyMemory<byte> utf8JsonInput, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.PredictStreamAsync(Func{HttpContent}, PredictTarget?, CancellationToken)"/>
    Task<Stream> PredictStreamAsync(Func<HttpContent> input, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.PredictEventsAsync{TInput}(TInput, JsonTypeInfo{TInput}, PredictTarget?, CancellationToken)"/>
    IAsyncEnumerable<ServerSentEvent> PredictEventsAsync<TInput>(TInput input, JsonTypeInfo<TInput> inputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.PredictEventsAsync{TInput, TEvent}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TEvent}, PredictTarget?, CancellationToken)"/>
    IAsyncEnumerable<TEvent> PredictEventsAsync<TInput, TEvent>(TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TEvent> eventInfo, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.PredictJsonLinesAsync{TInput, TLine}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TLine}, PredictTarget?, CancellationToken)"/>
    IAsyncEnumerable<TLine> PredictJsonLinesAsync<TInput, TLine>(TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TLine> lineInfo, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.RunRemoteAsync{TInput, TOutput}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    Task<TOutput> RunRemoteAsync<TInput, TOutput>(TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TOutput> outputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.RunRemoteAsync(JsonElement, PredictTarget?, CancellationToken)"/>
    Task<JsonElement> RunRemoteAsync(JsonElement input, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.RunRemoteStreamAsync{TInput}(TInput, JsonTypeInfo{TInput}, PredictTarget?, CancellationToken)"/>
    Task<Stream> RunRemoteStreamAsync<TInput>(TInput input, JsonTypeInfo<TInput> inputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.RunRemoteStreamAsync(ReadOnlyMemory{byte}, PredictTarget?, CancellationToken)"/>
    Task<Stream> RunRemoteStreamAsync(ReadOnlyMemory<byte> utf8JsonInput, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.RunRemoteEventsAsync{TInput, TEvent}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TEvent}, PredictTarget?, CancellationToken)"/>
    IAsyncEnumerable<TEvent> RunRemoteEventsAsync<TInput, TEvent>(TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TEvent> eventInfo, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.RunRemoteEventsAsync{TInput}(TInput, JsonTypeInfo{TInput}, PredictTarget?, CancellationToken)"/>
    IAsyncEnumerable<ServerSentEvent> RunRemoteEventsAsync<TInput>(TInput input, JsonTypeInfo<TInput> inputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.RunRemoteJsonLinesAsync{TInput, TLine}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TLine}, PredictTarget?, CancellationToken)"/>
    IAsyncEnumerable<TLine> RunRemoteJsonLinesAsync<TInput, TLine>(TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TLine> lineInfo, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.AsyncPredictAsync{TInput}(TInput, JsonTypeInfo{TInput}, string?, PredictTarget?, CancellationToken)"/>
    Task<string> AsyncPredictAsync<TInput>(TInput input, JsonTypeInfo<TInput> inputInfo, string? webhookEndpoint = null, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.AsyncPredictAsync(AsyncPredictRequest, PredictTarget?, CancellationToken)"/>
    Task<string> AsyncPredictAsync(AsyncPredictRequest request, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.AsyncRunRemoteAsync{TInput}(TInput, JsonTypeInfo{TInput}, PredictTarget?, CancellationToken)"/>
    Task<string> AsyncRunRemoteAsync<TInput>(TInput input, JsonTypeInfo<TInput> inputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.GetAsyncQueueStatusAsync(PredictTarget?, CancellationToken)"/>
    Task<AsyncQueueStatus> GetAsyncQueueStatusAsync(PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.WakeAsync(PredictTarget?, CancellationToken)"/>
    Task WakeAsync(PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.SyncAsync{TInput, TOutput}(HttpMethod, string, TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    Task<TOutput> SyncAsync<TInput, TOutput>(HttpMethod method, string route, TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TOutput> outputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.SyncAsync{TOutput}(HttpMethod, string, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    Task<TOutput> SyncAsync<TOutput>(HttpMethod method, string route, JsonTypeInfo<TOutput> outputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.SyncSendAsync(HttpMethod, string, Func{HttpContent}?, PredictTarget?, CancellationToken)"/>
    Task<ApiResponse> SyncSendAsync(HttpMethod method, string route, Func<HttpContent>? content = null, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.SyncStreamAsync(HttpMethod, string, Func{HttpContent}?, PredictTarget?, CancellationToken)"/>
    Task<Stream> SyncStreamAsync(HttpMethod method, string route, Func<HttpContent>? content = null, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.ConnectWebSocketAsync(PredictTarget?, Action{ClientWebSocketOptions}?, CancellationToken)"/>
    Task<ClientWebSocket> ConnectWebSocketAsync(PredictTarget? target = null, Action<ClientWebSocketOptions>? configure = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.EmbedAsync(IReadOnlyList{string}, EmbeddingOptions?, PredictTarget?, CancellationToken)"/>
    Task<EmbeddingResult> EmbedAsync(IReadOnlyList<string> inputs, EmbeddingOptions? options = null, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.EmbedBatchesAsync(IReadOnlyList{string}, EmbeddingOptions?, PredictTarget?, CancellationToken)"/>
    IAsyncEnumerable<EmbeddingBatch> EmbedBatchesAsync(IReadOnlyList<string> inputs, EmbeddingOptions? options = null, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.RerankAsync(string, IReadOnlyList{string}, RerankOptions?, PredictTarget?, CancellationToken)"/>
    Task<RerankScore[]> RerankAsync(string query, IReadOnlyList<string> texts, RerankOptions? options = null, PredictTarget? target = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BasetenInferenceClient.ClassifyAsync(IReadOnlyList{string}, ClassifyOptions?, PredictTarget?, CancellationToken)"/>
    Task<ClassificationScore[][]> ClassifyAsync(IReadOnlyList<string> inputs, ClassifyOptions? options = null, PredictTarget? target = null, CancellationToken cancellationToken = default);
}
