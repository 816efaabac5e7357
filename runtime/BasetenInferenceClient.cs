using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot;

// The hand-written half of the inference client: construction from the model or chain id, and the
// calls a caller makes with its own input and output types. The generated half (from
// spec/baseten.inference.openapi.yaml) has one method per operation, with JsonElement bodies; it
// stays public because each is exactly one documented operation, which is what a caller reaches
// for when it already holds JSON, and what the conformance tests call. The methods here pick the
// route from a PredictTarget, take the caller's JsonTypeInfo (so a NativeAOT app pays only for its
// own types), stream, and wake a cold model.
public sealed partial class BasetenInferenceClient
{
    private const string EventStream = "text/event-stream";
    private const string JsonLines = "application/x-ndjson, application/jsonl;q=0.9, application/json;q=0.5";

    private readonly Kind _kind;
    private readonly bool _regional;
    private readonly bool _wakeOnColdStart;
    private readonly TimeSpan _coldStartTimeout;
    private readonly TimeProvider _timeProvider = TimeProvider.System;

    /// <summary>Creates a client that owns its HttpClient and disposes it with itself.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// No API key is set; neither or both of <see cref="BasetenInferenceClientOptions.ModelId"/> and
    /// <see cref="BasetenInferenceClientOptions.ChainId"/> are set (one is needed unless there is a base
    /// address); or an id, the environment, the key or the base address is not valid.
    /// </exception>
    public BasetenInferenceClient(BasetenInferenceClientOptions options)
        : this(CreateTransport(null, options), options)
    {
    }

    /// <summary>
    /// Creates a client over a caller-owned HttpClient (from IHttpClientFactory, say), which this
    /// client never disposes.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">As for <see cref="BasetenInferenceClient(BasetenInferenceClientOptions)"/>.</exception>
    public BasetenInferenceClient(HttpClient httpClient, BasetenInferenceClientOptions options)
        : this(CreateTransport(httpClient ?? throw new ArgumentNullException(nameof(httpClient)), options), options)
    {
    }

    private BasetenInferenceClient(ApiTransport transport, BasetenInferenceClientOptions options)
        : this(transport)
    {
        _kind = options.ModelId is not null ? Kind.Model : options.ChainId is not null ? Kind.Chain : Kind.Any;
        _regional = options.Environment is not null;
        _wakeOnColdStart = options.WakeOnColdStart;
        _coldStartTimeout = options.ColdStartTimeout;
        _timeProvider = options.Retry?.TimeProvider ?? TimeProvider.System;
    }

    private enum Kind
    {
        Any,
        Model,
        Chain,
    }

    /// <summary>
    /// The address the options select: <see cref="BasetenInferenceClientOptions.BaseAddress"/> when
    /// set, else the document's model, chain or regional server with the ids filled in.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">Neither or both ids are set without a base address, or a value cannot be part of a host name.</exception>
    public static Uri AddressOf(BasetenInferenceClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ModelId is not null && options.ChainId is not null)
        {
            throw new ArgumentException("Set ModelId or ChainId, not both: a client calls one model or one chain.", nameof(options));
        }

        if (options.BaseAddress is { } address)
        {
            return address;
        }

        return (options.ModelId, options.ChainId, options.Environment) switch
        {
            ({ } model, null, null) => ModelAddress(model),
            ({ } model, null, { } environment) => RegionalModelAddress(model, environment),
            (null, { } chain, null) => ChainAddress(chain),
            (null, { } chain, { } environment) => RegionalChainAddress(chain, environment),
            _ => throw new ArgumentException("Set ModelId or ChainId (or BaseAddress): the client needs to know what it calls.", nameof(options)),
        };
    }

    /// <summary>
    /// Calls the model's <c>predict</c> with <paramref name="input"/> and reads its output, both as
    /// JSON through the caller's metadata (<c>MyJsonContext.Default.MyInput</c>).
    /// </summary>
    /// <param name="input">The model's input.</param>
    /// <param name="inputInfo">How to write the input.</param>
    /// <param name="outputInfo">How to read the output.</param>
    /// <param name="target">The deployment to call; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The model's output.</returns>
    /// <exception cref="BasetenApiException">The server answered outside 2xx (its <c>ErrorResponse</c> reads with <c>exception.ReadError(BasetenInferenceJsonContext.Default.ErrorResponse)</c>), or the output is not <typeparamref name="TOutput"/>.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">An attempt, or a cold start, ran out of time.</exception>
    /// <exception cref="InvalidOperationException">The client calls a chain: use <c>RunRemoteAsync</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<TOutput> PredictAsync<TInput, TOutput>(TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TOutput> outputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputInfo);
        ArgumentNullException.ThrowIfNull(outputInfo);
        Call call = Route(Kind.Model, Operation.Predict, target);
        return _wakeOnColdStart
            ? PredictWithColdStartAsync(call, input, inputInfo, outputInfo, target, cancellationToken)
            : _transport.SendJsonAsync(JsonRequest(call, input, inputInfo, "application/json"), outputInfo, cancellationToken);
    }

    /// <summary>Calls the model's <c>predict</c> with raw JSON and returns its raw JSON output.</summary>
    /// <inheritdoc cref="PredictAsync{TInput, TOutput}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    public Task<JsonElement> PredictAsync(JsonElement input, PredictTarget? target = null, CancellationToken cancellationToken = default)
        => PredictAsync(input, BasetenInferenceJsonContext.Default.JsonElement, BasetenInferenceJsonContext.Default.JsonElement, target, cancellationToken);

    /// <summary>
    /// Calls the model's <c>predict</c> and returns its output as a stream read from the connection
    /// as the model writes it (chunked transfer): not buffered, so the first bytes reach the caller
    /// while the model is still producing. Dispose the stream to end the call; cancelling a read aborts it.
    /// </summary>
    /// <returns>The output as it arrives.</returns>
    /// <inheritdoc cref="PredictAsync{TInput, TOutput}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    public Task<Stream> PredictStreamAsync<TInput>(TInput input, JsonTypeInfo<TInput> inputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default)
        => StreamAsync(Kind.Model, Operation.Predict, input, inputInfo, target, cancellationToken);

    /// <summary>Like <see cref="PredictStreamAsync{TInput}(TInput, JsonTypeInfo{TInput}, PredictTarget?, CancellationToken)"/>, with raw JSON input.</summary>
    /// <returns>The output as it arrives.</returns>
    /// <inheritdoc cref="PredictAsync{TInput, TOutput}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    public Task<Stream> PredictStreamAsync(JsonElement input, PredictTarget? target = null, CancellationToken cancellationToken = default)
        => StreamAsync(Kind.Model, Operation.Predict, input, BasetenInferenceJsonContext.Default.JsonElement, target, cancellationToken);

    /// <summary>
    /// Like <see cref="PredictStreamAsync{TInput}(TInput, JsonTypeInfo{TInput}, PredictTarget?, CancellationToken)"/>,
    /// with input the caller already holds as UTF-8 JSON, sent as it is (a file, a body forwarded from elsewhere).
    /// </summary>
    /// <returns>The output as it arrives.</returns>
    /// <inheritdoc cref="PredictAsync{TInput, TOutput}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    public Task<Stream> PredictStreamAsync(ReadOnlyMemory<byte> utf8JsonInput, PredictTarget? target = null, CancellationToken cancellationToken = default)
        => StreamAsync(Kind.Model, Operation.Predict, () => ApiContent.Json(utf8JsonInput), target, cancellationToken);

    /// <summary>
    /// Calls the model's <c>predict</c> with a body the caller makes: raw bytes
    /// (<c>() =&gt; ApiContent.Binary(File.OpenRead("clip.wav"), "audio/wav")</c>) or a multipart form
    /// (<see cref="ApiContent.Multipart"/> with fields and files), and reads the output as JSON.
    /// </summary>
    /// <param name="input">
    /// Makes the body. It is called once for each time the body is sent: once, or twice when a cold
    /// model is woken (<see cref="BasetenInferenceClientOptions.WakeOnColdStart"/>). The client disposes
    /// what it returns when the call ends.
    /// </param>
    /// <param name="outputInfo">How to read the output.</param>
    /// <param name="target">The deployment to call; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The model's output.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> or <paramref name="outputInfo"/> is null, or <paramref name="input"/> returned null.</exception>
    /// <exception cref="BasetenApiException">The server answered outside 2xx, or the output is not <typeparamref name="TOutput"/>.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">An attempt, or a cold start, ran out of time.</exception>
    /// <exception cref="InvalidOperationException">The client calls a chain.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<TOutput> PredictAsync<TOutput>(Func<HttpContent> input, JsonTypeInfo<TOutput> outputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(outputInfo);
        Call call = Route(Kind.Model, Operation.Predict, target);
        return _wakeOnColdStart
            ? WithColdStartAsync(call, target, () => ContentRequest(call, input, "application/json"), (request, token) => _transport.SendJsonAsync(request, outputInfo, token), cancellationToken)
            : _transport.SendJsonAsync(ContentRequest(call, input, "application/json"), outputInfo, cancellationToken);
    }

    /// <summary>
    /// Calls the model's <c>predict</c> with a body the caller makes (bytes, a multipart form) and
    /// returns the output as a stream read as it arrives (binary output: audio, an image, chunks).
    /// </summary>
    /// <param name="input">Makes the body; called once per send (see <see cref="PredictAsync{TOutput}(Func{HttpContent}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>).</param>
    /// <param name="target">The deployment to call; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The output as it arrives.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null, or returned null.</exception>
    /// <inheritdoc cref="PredictAsync{TOutput}(Func{HttpContent}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    public Task<Stream> PredictStreamAsync(Func<HttpContent> input, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return StreamAsync(Kind.Model, Operation.Predict, () => input() ?? throw new ArgumentNullException(nameof(input), "The input function returned null."), target, cancellationToken);
    }

    /// <summary>
    /// Calls the model's <c>predict</c> and reads a <c>text/event-stream</c> output as raw events
    /// (event name, data text, id), for a model whose events are not all JSON of one type.
    /// </summary>
    /// <param name="input">The model's input.</param>
    /// <param name="inputInfo">How to write the input.</param>
    /// <param name="target">The deployment to call; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the call and the stream.</param>
    /// <returns>The events as the model sends them; a <c>[DONE]</c> event is passed on like any other.</returns>
    /// <exception cref="BasetenApiException">The server answered outside 2xx, or a line or event is too long.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">An attempt, or a cold start, ran out of time.</exception>
    /// <exception cref="InvalidOperationException">The client calls a chain: use <c>RunRemoteEventsAsync</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public IAsyncEnumerable<ServerSentEvent> PredictEventsAsync<TInput>(TInput input, JsonTypeInfo<TInput> inputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputInfo);
        Call call = Route(Kind.Model, Operation.Predict, target);
        return ItemsAsync(call, target, () => JsonRequest(call, input, inputInfo, EventStream), _transport.SendEventsAsync, _wakeOnColdStart, cancellationToken);
    }

    /// <summary>
    /// Calls the model's <c>predict</c> and reads a <c>text/event-stream</c> output, each event's data
    /// as a <typeparamref name="TEvent"/> as it arrives; <c>data: [DONE]</c> ends it. Lines are bounded
    /// (<see cref="ApiTransport.MaxLineLength"/>); cancelling, or leaving the loop, ends the request.
    /// </summary>
    /// <param name="input">The model's input.</param>
    /// <param name="inputInfo">How to write the input.</param>
    /// <param name="eventInfo">How to read each event's data.</param>
    /// <param name="target">The deployment to call; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the call and the stream.</param>
    /// <returns>The events as the model sends them.</returns>
    /// <exception cref="BasetenApiException">The server answered outside 2xx, or an event is not <typeparamref name="TEvent"/>, or a line is too long.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">An attempt, or a cold start, ran out of time.</exception>
    /// <exception cref="InvalidOperationException">The client calls a chain: use <c>RunRemoteEventsAsync</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public IAsyncEnumerable<TEvent> PredictEventsAsync<TInput, TEvent>(TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TEvent> eventInfo, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputInfo);
        ArgumentNullException.ThrowIfNull(eventInfo);
        Call call = Route(Kind.Model, Operation.Predict, target);
        return ItemsAsync(call, target, () => JsonRequest(call, input, inputInfo, EventStream), (request, token) => _transport.SendEventsAsync(request, eventInfo, token), _wakeOnColdStart, cancellationToken);
    }

    /// <summary>
    /// Calls the model's <c>predict</c> and reads newline-delimited JSON output, one
    /// <typeparamref name="TLine"/> per line as it arrives (blank lines skipped, lines bounded).
    /// </summary>
    /// <param name="input">The model's input.</param>
    /// <param name="inputInfo">How to write the input.</param>
    /// <param name="lineInfo">How to read each line.</param>
    /// <param name="target">The deployment to call; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the call and the stream.</param>
    /// <returns>The values as the model sends them.</returns>
    /// <exception cref="BasetenApiException">The server answered outside 2xx, or a line is not <typeparamref name="TLine"/>, or is too long.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">An attempt, or a cold start, ran out of time.</exception>
    /// <exception cref="InvalidOperationException">The client calls a chain: use <c>RunRemoteJsonLinesAsync</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public IAsyncEnumerable<TLine> PredictJsonLinesAsync<TInput, TLine>(TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TLine> lineInfo, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputInfo);
        ArgumentNullException.ThrowIfNull(lineInfo);
        Call call = Route(Kind.Model, Operation.Predict, target);
        return ItemsAsync(call, target, () => JsonRequest(call, input, inputInfo, JsonLines), (request, token) => _transport.SendJsonLinesAsync(request, lineInfo, token), _wakeOnColdStart, cancellationToken);
    }

    /// <summary>Calls the chain's <c>run_remote</c> with <paramref name="input"/> and reads its output, through the caller's metadata.</summary>
    /// <param name="input">The arguments of the chain's entrypoint.</param>
    /// <param name="inputInfo">How to write the input.</param>
    /// <param name="outputInfo">How to read the output.</param>
    /// <param name="target">The deployment to call; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The chain's output.</returns>
    /// <exception cref="BasetenApiException">The server answered outside 2xx, or the output is not <typeparamref name="TOutput"/>.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time.</exception>
    /// <exception cref="InvalidOperationException">The client calls a model: use <c>PredictAsync</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<TOutput> RunRemoteAsync<TInput, TOutput>(TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TOutput> outputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputInfo);
        ArgumentNullException.ThrowIfNull(outputInfo);
        return _transport.SendJsonAsync(JsonRequest(Route(Kind.Chain, Operation.RunRemote, target), input, inputInfo, "application/json"), outputInfo, cancellationToken);
    }

    /// <summary>Calls the chain's <c>run_remote</c> with raw JSON and returns its raw JSON output.</summary>
    /// <inheritdoc cref="RunRemoteAsync{TInput, TOutput}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    public Task<JsonElement> RunRemoteAsync(JsonElement input, PredictTarget? target = null, CancellationToken cancellationToken = default)
        => RunRemoteAsync(input, BasetenInferenceJsonContext.Default.JsonElement, BasetenInferenceJsonContext.Default.JsonElement, target, cancellationToken);

    /// <summary>Calls the chain's <c>run_remote</c> and returns its output as a stream read as it arrives (see <see cref="PredictStreamAsync{TInput}"/>).</summary>
    /// <returns>The output as it arrives.</returns>
    /// <inheritdoc cref="RunRemoteAsync{TInput, TOutput}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    public Task<Stream> RunRemoteStreamAsync<TInput>(TInput input, JsonTypeInfo<TInput> inputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default)
        => StreamAsync(Kind.Chain, Operation.RunRemote, input, inputInfo, target, cancellationToken);

    /// <summary>Like <see cref="RunRemoteStreamAsync{TInput}(TInput, JsonTypeInfo{TInput}, PredictTarget?, CancellationToken)"/>, with input the caller already holds as UTF-8 JSON, sent as it is.</summary>
    /// <returns>The output as it arrives.</returns>
    /// <inheritdoc cref="RunRemoteAsync{TInput, TOutput}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    public Task<Stream> RunRemoteStreamAsync(ReadOnlyMemory<byte> utf8JsonInput, PredictTarget? target = null, CancellationToken cancellationToken = default)
        => StreamAsync(Kind.Chain, Operation.RunRemote, () => ApiContent.Json(utf8JsonInput), target, cancellationToken);

    /// <summary>Calls the chain's <c>run_remote</c> and reads a <c>text/event-stream</c> output (see <see cref="PredictEventsAsync{TInput, TEvent}"/>).</summary>
    /// <returns>The events as the chain sends them.</returns>
    /// <inheritdoc cref="PredictEventsAsync{TInput, TEvent}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TEvent}, PredictTarget?, CancellationToken)"/>
    public IAsyncEnumerable<TEvent> RunRemoteEventsAsync<TInput, TEvent>(TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TEvent> eventInfo, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputInfo);
        ArgumentNullException.ThrowIfNull(eventInfo);
        return _transport.SendEventsAsync(JsonRequest(Route(Kind.Chain, Operation.RunRemote, target), input, inputInfo, EventStream), eventInfo, cancellationToken);
    }

    /// <summary>Calls the chain's <c>run_remote</c> and reads a <c>text/event-stream</c> output as raw events (see <see cref="PredictEventsAsync{TInput}"/>).</summary>
    /// <returns>The events as the chain sends them.</returns>
    /// <inheritdoc cref="PredictEventsAsync{TInput}(TInput, JsonTypeInfo{TInput}, PredictTarget?, CancellationToken)"/>
    public IAsyncEnumerable<ServerSentEvent> RunRemoteEventsAsync<TInput>(TInput input, JsonTypeInfo<TInput> inputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputInfo);
        return _transport.SendEventsAsync(JsonRequest(Route(Kind.Chain, Operation.RunRemote, target), input, inputInfo, EventStream), cancellationToken);
    }

    /// <summary>Calls the chain's <c>run_remote</c> and reads newline-delimited JSON output (see <see cref="PredictJsonLinesAsync{TInput, TLine}"/>).</summary>
    /// <returns>The values as the chain sends them.</returns>
    /// <inheritdoc cref="PredictJsonLinesAsync{TInput, TLine}(TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TLine}, PredictTarget?, CancellationToken)"/>
    public IAsyncEnumerable<TLine> RunRemoteJsonLinesAsync<TInput, TLine>(TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TLine> lineInfo, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputInfo);
        ArgumentNullException.ThrowIfNull(lineInfo);
        return _transport.SendJsonLinesAsync(JsonRequest(Route(Kind.Chain, Operation.RunRemote, target), input, inputInfo, JsonLines), lineInfo, cancellationToken);
    }

    /// <summary>
    /// Queues a predict (<c>async_predict</c>) and returns its request id at once, for
    /// <see cref="GetAsyncRequestStatusAsync"/> and <see cref="CancelAsyncRequestAsync"/>. The result
    /// goes to <paramref name="webhookEndpoint"/>, or the model stores it itself.
    /// </summary>
    /// <param name="input">The model's input (at most 256 KiB as JSON).</param>
    /// <param name="inputInfo">How to write the input.</param>
    /// <param name="webhookEndpoint">An https address that receives the result; null for none.</param>
    /// <param name="target">The deployment to call; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The queued request's id.</returns>
    /// <exception cref="BasetenApiException">The server answered outside 2xx.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time.</exception>
    /// <exception cref="InvalidOperationException">The client calls a chain: use <see cref="AsyncRunRemoteAsync{TInput}"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<string> AsyncPredictAsync<TInput>(TInput input, JsonTypeInfo<TInput> inputInfo, string? webhookEndpoint = null, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputInfo);
        return AsyncPredictAsync(new AsyncPredictRequest { ModelInput = JsonSerializer.SerializeToElement(input, inputInfo), WebhookEndpoint = webhookEndpoint is null ? null : new Uri(webhookEndpoint, UriKind.RelativeOrAbsolute) }, target, cancellationToken);
    }

    /// <summary>
    /// Queues a predict with every setting of the document (priority, time in queue, Baseten's own
    /// retries) and returns its request id.
    /// </summary>
    /// <param name="request">The input and the settings.</param>
    /// <param name="target">The deployment to call; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The queued request's id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <inheritdoc cref="AsyncPredictAsync{TInput}(TInput, JsonTypeInfo{TInput}, string?, PredictTarget?, CancellationToken)"/>
    public async Task<string> AsyncPredictAsync(AsyncPredictRequest request, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ApiRequest message = JsonRequest(Route(Kind.Model, Operation.AsyncPredict, target), request, BasetenInferenceJsonContext.Default.AsyncPredictRequest, "application/json");
        return (await _transport.SendJsonAsync(message, BasetenInferenceJsonContext.Default.AsyncQueued, cancellationToken).ConfigureAwait(false)).RequestId;
    }

    /// <summary>Queues a run of the chain (<c>async_run_remote</c>) and returns its request id at once.</summary>
    /// <param name="input">The arguments of the chain's entrypoint.</param>
    /// <param name="inputInfo">How to write the input.</param>
    /// <param name="target">The deployment to call; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The queued request's id.</returns>
    /// <exception cref="BasetenApiException">The server answered outside 2xx.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time.</exception>
    /// <exception cref="InvalidOperationException">The client calls a model: use <see cref="AsyncPredictAsync{TInput}"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<string> AsyncRunRemoteAsync<TInput>(TInput input, JsonTypeInfo<TInput> inputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputInfo);
        ApiRequest message = JsonRequest(Route(Kind.Chain, Operation.AsyncRunRemote, target), input, inputInfo, "application/json");
        return (await _transport.SendJsonAsync(message, BasetenInferenceJsonContext.Default.AsyncQueued, cancellationToken).ConfigureAwait(false)).RequestId;
    }

    /// <summary>Counts the queued and running async requests of the target's deployment.</summary>
    /// <param name="target">The deployment; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The queue.</returns>
    /// <exception cref="BasetenApiException">The server answered outside 2xx.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<AsyncQueueStatus> GetAsyncQueueStatusAsync(PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        Call call = Route(Kind.Any, Operation.AsyncQueueStatus, target);
        return _transport.SendJsonAsync(new ApiRequest(HttpMethod.Get, call.Template, call.Path), BasetenInferenceJsonContext.Default.AsyncQueueStatus, cancellationToken);
    }

    /// <summary>
    /// Asks Baseten to scale the target's deployment up from zero (<c>wake</c>, 202) and returns
    /// without waiting for it to be ready.
    /// </summary>
    /// <param name="target">The deployment; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when the wake is accepted.</returns>
    /// <exception cref="BasetenApiException">The server answered outside 2xx.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task WakeAsync(PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        Call call = Route(Kind.Any, Operation.Wake, target);
        return _transport.SendNoContentAsync(new ApiRequest(HttpMethod.Post, call.Template, call.Path), cancellationToken);
    }

    private static ApiTransport CreateTransport(HttpClient? httpClient, BasetenInferenceClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? apiKey = options.ApiKey ?? Environment.GetEnvironmentVariable(BasetenClientOptions.ApiKeyEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new ArgumentException(
                "No API key: set BasetenInferenceClientOptions.ApiKey or the " + BasetenClientOptions.ApiKeyEnvironmentVariable + " environment variable.",
                nameof(options));
        }

        if (options.ColdStartTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("ColdStartTimeout must be positive.", nameof(options));
        }

        // Bearer, as Baseten's inference document declares (BearerAuth). Baseten also accepts the
        // legacy "Api-Key" scheme, but a gateway or mock that enforces the document (Prism does)
        // refuses it, and "Bearer" is the scheme proxies and log scrubbers know to be a secret.
        // Everything is validated before an HttpClient is created, so that a bad option leaks nothing.
        ApiAuthorization authorization = ApiAuthorization.Bearer(apiKey.Trim());
        Uri baseAddress = ApiTransport.ValidateBaseAddress(AddressOf(options), nameof(options));
        return ApiTransport.Create(httpClient, baseAddress, authorization, options.Retry ?? RetryPolicy.None, options.Policies?.PerCall, options.Policies?.PerTry).WithBasetenErrors();
    }

    // The route of an operation for a target: /production/predict, /environments/{env_name}/predict,
    // ..., or the bare /predict on a regional host, where the host names the environment.
    private Call Route(Kind kind, Operation operation, PredictTarget? target)
    {
        if (kind != Kind.Any && _kind != Kind.Any && kind != _kind)
        {
            throw new InvalidOperationException(_kind == Kind.Chain
                ? "This client calls a chain: use the RunRemote methods, not " + operation.Name + "."
                : "This client calls a model: use the Predict methods, not " + operation.Name + ".");
        }

        if (_regional)
        {
            return target is null
                ? new Call(operation.Bare, operation.Bare)
                : throw new ArgumentException("A regional host serves one environment and has no production, development, environment or deployment routes: pass no target.", nameof(target));
        }

        target ??= PredictTarget.Production;
        return target.Kind switch
        {
            PredictTargetKind.Production => new Call(operation.Production, operation.Production),
            PredictTargetKind.Development => new Call(operation.Development, operation.Development),
            PredictTargetKind.Environment => new Call(operation.EnvironmentTemplate, "/environments/" + PathSegment.Escape(target.Name!, nameof(target)) + operation.Bare),
            _ => new Call(operation.DeploymentTemplate, "/deployment/" + PathSegment.Escape(target.Name!, nameof(target)) + operation.Bare),
        };
    }

    private static ApiRequest ContentRequest(Call call, Func<HttpContent> content, string accept)
        => new(HttpMethod.Post, call.Template, call.Path) { Content = content() ?? throw new ArgumentNullException(nameof(content), "The input function returned null."), Accept = accept };

    private static ApiRequest JsonRequest<T>(Call call, T body, JsonTypeInfo<T> info, string accept)
        => new(HttpMethod.Post, call.Template, call.Path) { Content = ApiContent.Json(body, info), Accept = accept };

    private Task<Stream> StreamAsync<TInput>(Kind kind, Operation operation, TInput input, JsonTypeInfo<TInput> inputInfo, PredictTarget? target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputInfo);
        return StreamAsync(kind, operation, () => ApiContent.Json(input, inputInfo), target, cancellationToken);
    }

    private Task<Stream> StreamAsync(Kind kind, Operation operation, Func<HttpContent> content, PredictTarget? target, CancellationToken cancellationToken)
    {
        Call call = Route(kind, operation, target);
        ApiRequest Build() => new(HttpMethod.Post, call.Template, call.Path) { Content = content(), Accept = "*/*" };
        return _wakeOnColdStart && kind == Kind.Model
            ? WithColdStartAsync(call, target, Build, _transport.SendStreamAsync, cancellationToken)
            : _transport.SendStreamAsync(Build(), cancellationToken);
    }

    // Apart from PredictAsync, so that a call without the wake allocates no closures.
    private Task<TOutput> PredictWithColdStartAsync<TInput, TOutput>(Call call, TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TOutput> outputInfo, PredictTarget? target, CancellationToken cancellationToken)
        => WithColdStartAsync(call, target, () => JsonRequest(call, input, inputInfo, "application/json"), (request, token) => _transport.SendJsonAsync(request, outputInfo, token), cancellationToken);

    // A 503 without Retry-After is a model that is not up (scaled to zero, or still starting);
    // with Retry-After the transport has already waited and repeated it.
    private static bool IsColdStart(BasetenApiException exception) => exception.StatusCode == HttpStatusCode.ServiceUnavailable && exception.RetryAfter is null;

    // Sends once; after a cold-start 503, wakes the target and sends once more, both within the
    // cold-start timeout (to the response headers of the second call). The request is built anew:
    // the first one's body was disposed with its call.
    private async Task<T> WithColdStartAsync<T>(Call call, PredictTarget? target, Func<ApiRequest> build, Func<ApiRequest, CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        try
        {
            return await send(build(), cancellationToken).ConfigureAwait(false);
        }
        catch (BasetenApiException exception) when (IsColdStart(exception))
        {
        }

        using var deadline = new CancellationTokenSource(_coldStartTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await WakeAsync(target, linked.Token).ConfigureAwait(false);
            return await send(build(), linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw ColdStartTimeout(call, exception);
        }
    }

    // The same for a stream of items: the cold-start 503 comes with the first item, before any is
    // yielded. The deadline covers the wake; the repeated call's headers are bounded by the retry
    // policy's attempt timeout, as the items after them may rightly take longer than any deadline.
    private async IAsyncEnumerable<T> ItemsAsync<T>(Call call, PredictTarget? target, Func<ApiRequest> build, Func<ApiRequest, CancellationToken, IAsyncEnumerable<T>> send, bool wake, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerator<T> items = send(build(), cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool more;
        try
        {
            more = await items.MoveNextAsync().ConfigureAwait(false);
        }
        catch (BasetenApiException exception) when (wake && IsColdStart(exception))
        {
            await items.DisposeAsync().ConfigureAwait(false);
            using (var deadline = new CancellationTokenSource(_coldStartTimeout, _timeProvider))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
            {
                try
                {
                    await WakeAsync(target, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException canceled) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw ColdStartTimeout(call, canceled);
                }
            }

            items = send(build(), cancellationToken).GetAsyncEnumerator(cancellationToken);
            more = await items.MoveNextAsync().ConfigureAwait(false);
        }

        try
        {
            while (more)
            {
                yield return items.Current;
                more = await items.MoveNextAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await items.DisposeAsync().ConfigureAwait(false);
        }
    }

    private TimeoutException ColdStartTimeout(Call call, Exception inner)
        => new("POST " + call.Path + " was answered 503 (the model is not up), and waking it and calling again did not finish within "
            + _coldStartTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + " s.", inner);

    private readonly record struct Call(string Template, string Path);

    // An operation's routes, built once: a call to production or development concatenates nothing.
    private sealed class Operation
    {
        public static readonly Operation Predict = new("predict");
        public static readonly Operation RunRemote = new("run_remote");
        public static readonly Operation AsyncPredict = new("async_predict");
        public static readonly Operation AsyncRunRemote = new("async_run_remote");
        public static readonly Operation AsyncQueueStatus = new("async_queue_status");
        public static readonly Operation Wake = new("wake");

        private Operation(string name)
        {
            Name = name;
            Bare = "/" + name;
            Production = "/production/" + name;
            Development = "/development/" + name;
            EnvironmentTemplate = "/environments/{env_name}/" + name;
            DeploymentTemplate = "/deployment/{deployment_id}/" + name;
        }

        public string Name { get; }

        public string Bare { get; }

        public string Production { get; }

        public string Development { get; }

        public string EnvironmentTemplate { get; }

        public string DeploymentTemplate { get; }
    }
}
