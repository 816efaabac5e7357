using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot;

// The hand-written half of the chat client: construction from the options (Model APIs, or a
// dedicated deployment's /sync root, which BasetenInferenceClient.SyncPrefix names for every
// client), streaming as typed chunks with the end of the stream checked, and structured output
// with the caller's own JsonTypeInfo. The generated half (from spec/baseten.chat.openapi.yaml) has
// the models, the JSON context and one method per operation.
public sealed partial class BasetenChatClient
{
    private const string CompletionsPath = "/v1/chat/completions";
    private const string EventStream = "text/event-stream";

    private readonly string? _model;
    private Uri? _baseAddress;

    /// <summary>Creates a client that owns its HttpClient and disposes it with itself.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">No API key is set; or the model id, target, environment, key or base address is not valid.</exception>
    public BasetenChatClient(BasetenChatClientOptions options)
        : this(CreateTransport(null, options), options)
    {
    }

    /// <summary>
    /// Creates a client over a caller-owned HttpClient (from IHttpClientFactory, say), which this
    /// client never disposes.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">As for <see cref="BasetenChatClient(BasetenChatClientOptions)"/>.</exception>
    public BasetenChatClient(HttpClient httpClient, BasetenChatClientOptions options)
        : this(CreateTransport(httpClient ?? throw new ArgumentNullException(nameof(httpClient)), options), options)
    {
    }

    private BasetenChatClient(ApiTransport transport, BasetenChatClientOptions options)
        : this(transport)
    {
        _model = options.Model;
    }

    /// <summary>
    /// The OpenAI root this client calls, without <c>/v1</c>: what <see cref="AddressOf(BasetenChatClientOptions)"/>
    /// gave for its options (<c>https://inference.baseten.co/</c> for Model APIs, a deployment's
    /// <c>/sync</c> root, or the base address), or the transport's base address for a client made
    /// from an <see cref="ApiTransport"/>.
    /// </summary>
    public Uri BaseAddress => _baseAddress ??= _transport.BaseAddress;

    /// <summary>
    /// The <c>model</c> sent with a request that names none: the options' <see cref="BasetenChatClientOptions.Model"/>;
    /// null when they set none, or for a client made from an <see cref="ApiTransport"/>.
    /// </summary>
    public string? Model => _model;

    /// <summary>
    /// The OpenAI root the options select, without <c>/v1</c>: <c>https://inference.baseten.co</c>
    /// for Model APIs, the deployment's <c>/sync</c> root for a dedicated deployment
    /// (<c>https://model-abc123.api.baseten.co/environments/production/sync</c>), or the base address
    /// (with that <c>/sync</c> path when a model id is set).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A target or environment without a model id, both a target and an environment, or a value that cannot be part of a host name or path.</exception>
    public static Uri AddressOf(BasetenChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ModelId is null)
        {
            if (options.Target is not null || options.Environment is not null)
            {
                throw new ArgumentException("Target and Environment choose a deployment of a dedicated model: set ModelId too, or leave them unset for Model APIs.", nameof(options));
            }

            return options.BaseAddress ?? DefaultBaseAddress;
        }

        var inference = new BasetenInferenceClientOptions { ModelId = options.ModelId, Environment = options.Environment, BaseAddress = options.BaseAddress };
        Uri root = BasetenInferenceClient.SyncAddressOf(inference, options.Target);
        return new Uri(root.AbsoluteUri.TrimEnd('/'));
    }

    /// <summary>
    /// Asks for the next message of the conversation and waits for the whole answer.
    /// </summary>
    /// <param name="request">
    /// The conversation and settings. Its <c>Stream</c> is set to false, and its <c>Model</c> to the
    /// options' <see cref="BasetenChatClientOptions.Model"/> when it names none.
    /// </param>
    /// <param name="options">Per-call settings (headers, a timeout, a retry policy, policies); null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">An <c>AdditionalProperties</c> in the request (its own, a message's, a content part's, a tool call's, the stream options') names a member that object declares, which would be sent twice: nothing is sent.</exception>
    /// <exception cref="BasetenApiException">The server answered outside 2xx (its body reads with <c>exception.ReadError(BasetenChatJsonContext.Default.ChatErrorResponse)</c>), or with a body that is not a chat completion.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">An attempt, or the call, ran out of time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<ChatCompletion> CompleteAsync(ChatCompletionRequest request, ApiCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Stream = null;
        request.StreamOptions = null;
        request.Model ??= _model;
        ChatExtraMembers.Check(request);
        var message = new ApiRequest(HttpMethod.Post, CompletionsPath, CompletionsPath)
        {
            Options = options,
            Content = ApiContent.Json(request, BasetenChatJsonContext.Default.RequestWriter),
            Accept = "application/json",
        };
        return _transport.SendJsonAsync(message, BasetenChatJsonContext.Default.ChatCompletion, cancellationToken);
    }

    /// <summary>
    /// Asks for the next message and reads its content as <typeparamref name="T"/>: the request's
    /// <c>response_format</c> is set to a JSON schema made from <paramref name="answerInfo"/> (see
    /// <see cref="ChatResponseFormat.ForJsonSchema{T}(JsonTypeInfo{T}, string?, bool?)"/>), and the
    /// answer is read with the same metadata.
    /// </summary>
    /// <param name="request">The conversation and settings (see <see cref="CompleteAsync(ChatCompletionRequest, ApiCallOptions?, CancellationToken)"/>).</param>
    /// <param name="answerInfo">The answer's type, from the caller's own JSON context (<c>MyJsonContext.Default.Weather</c>).</param>
    /// <param name="options">Per-call settings; null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer as <typeparamref name="T"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> or <paramref name="answerInfo"/> is null.</exception>
    /// <exception cref="JsonException">The answer has no content (it was cut short, or the model called a tool), or its content is not a <typeparamref name="T"/>.</exception>
    /// <exception cref="PlatformNotSupportedException">On .NET 8, which has no JSON schema exporter: set <c>ResponseFormat</c> with <see cref="ChatResponseFormat.ForJsonSchema(string, JsonElement, bool?)"/> and read the content with <see cref="ChatCompletion.ReadContent{T}(JsonTypeInfo{T})"/>.</exception>
    /// <inheritdoc cref="CompleteAsync(ChatCompletionRequest, ApiCallOptions?, CancellationToken)"/>
    public async Task<T> CompleteAsync<T>(ChatCompletionRequest request, JsonTypeInfo<T> answerInfo, ApiCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(answerInfo);
        request.ResponseFormat = ChatResponseFormat.ForJsonSchema(answerInfo);
        ChatCompletion completion = await CompleteAsync(request, options, cancellationToken).ConfigureAwait(false);
        return completion.ReadContent(answerInfo);
    }

    /// <summary>
    /// Asks for the next message and reads the answer as it is written: one chunk per server-sent
    /// event, each with a piece of the content, the reasoning or a tool call (by index), and at the
    /// end the finish reason and the usage. <see cref="ChatCompletionAccumulator"/> joins them.
    /// </summary>
    /// <param name="request">
    /// The conversation and settings. Its <c>Stream</c> is set to true; its <c>StreamOptions</c>, when
    /// null, to include the usage in a last chunk; its <c>Model</c> as for <see cref="CompleteAsync(ChatCompletionRequest, ApiCallOptions?, CancellationToken)"/>.
    /// </param>
    /// <param name="options">Per-call settings; null for none. The attempt timeout ends with the response headers.</param>
    /// <param name="cancellationToken">Cancels the call and the stream; the connection is closed at once.</param>
    /// <returns>The chunks as they arrive; the enumeration ends at the event <c>data: [DONE]</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">As for <see cref="CompleteAsync(ChatCompletionRequest, ApiCallOptions?, CancellationToken)"/>: an extra member repeats a declared one; nothing is sent.</exception>
    /// <exception cref="BasetenApiException">
    /// The server answered outside 2xx; or with a body that is not an event stream (<c>Content-Type</c>
    /// other than <c>text/event-stream</c>: an HTML page from a proxy, say); or an event is not a chunk,
    /// or is an error (some servers report a failure in the middle of a stream: the exception has its
    /// message in <c>ServerMessage</c>); or the stream ended without <c>data: [DONE]</c>, so the answer
    /// may be cut short (<c>StatusCode</c> is then 200 and the message says so); or a line or event
    /// is larger than the transport's bounds. Nothing is repeated once a chunk has been returned.
    /// </exception>
    /// <exception cref="HttpRequestException">The server could not be reached, or the connection broke.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time before the response headers.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public IAsyncEnumerable<ChatCompletionChunk> CompleteStreamingAsync(ChatCompletionRequest request, ApiCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Stream = true;
        request.StreamOptions ??= new ChatStreamOptions { IncludeUsage = true };
        request.Model ??= _model;
        ChatExtraMembers.Check(request);
        var message = new ApiRequest(HttpMethod.Post, CompletionsPath, CompletionsPath)
        {
            Options = options,
            Content = ApiContent.Json(request, BasetenChatJsonContext.Default.RequestWriter),
            Accept = EventStream,
        };
        return ChunksAsync(message, cancellationToken);
    }

    private async IAsyncEnumerable<ChatCompletionChunk> ChunksAsync(ApiRequest message, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using ApiResponse response = await _transport.SendAsync(message, cancellationToken).ConfigureAwait(false);
        string? mediaType = response.ContentHeaders.ContentType?.MediaType;
        if (mediaType is not null && !string.Equals(mediaType, EventStream, StringComparison.OrdinalIgnoreCase))
        {
            throw response.InvalidBody("chat.completion.chunk event stream", "its Content-Type is " + mediaType + ", not " + EventStream, null);
        }

        using var events = new ServerSentEventReader(await response.ReadStreamAsync(cancellationToken).ConfigureAwait(false), response);
        while (true)
        {
            if (await events.ReadAsync(cancellationToken).ConfigureAwait(false) is not { } serverSentEvent)
            {
                throw response.InvalidBody(
                    "chat.completion.chunk event stream",
                    "it ended without the event data: [DONE], so the answer may be cut short (the server or a proxy closed the stream early)",
                    null);
            }

            string data = serverSentEvent.Data;
            if (data == "[DONE]")
            {
                yield break;
            }

            if (string.Equals(serverSentEvent.EventType, "error", StringComparison.Ordinal))
            {
                throw ErrorEvent(response, data);
            }

            ChatCompletionChunk chunk;
            try
            {
                chunk = JsonSerializer.Deserialize(data, BasetenChatJsonContext.Default.ChunkReader)
                    ?? throw response.InvalidBody(nameof(ChatCompletionChunk), "an event's data is null", null);
            }
            catch (JsonException exception)
            {
                throw response.InvalidBody(nameof(ChatCompletionChunk), exception.Message, exception);
            }

            // An error event in a chunk's place has neither choices nor usage: only such a chunk
            // is read a second time, to tell an error from an empty chunk.
            if (chunk.Choices is not { Count: > 0 } && chunk.Usage is null && ErrorOf(data) is { } error)
            {
                throw response.ErrorEvent(error, data);
            }

            yield return chunk;
        }
    }

    private static ApiException ErrorEvent(ApiResponse response, string data) => response.ErrorEvent(ErrorOf(data) ?? (data.Length > 0 ? data : null), data);

    // The message of {"error":{"message":...}}, {"error":"..."} or {"object":"error","message":...};
    // null when the data is not an error.
    private static string? ErrorOf(string data)
    {
        ChatErrorResponse? body;
        try
        {
            body = JsonSerializer.Deserialize(data, BasetenChatJsonContext.Default.ErrorReader);
        }
        catch (JsonException)
        {
            return null;
        }

        if (body?.Error is { } error)
        {
            return error.IsString ? error.String : error.ChatError?.Message ?? "(no message)";
        }

        return string.Equals(body?.Object, "error", StringComparison.Ordinal) ? body!.Message ?? "(no message)" : null;
    }

    private static ApiTransport CreateTransport(HttpClient? httpClient, BasetenChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? apiKey = options.ApiKey ?? System.Environment.GetEnvironmentVariable(BasetenClientOptions.ApiKeyEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new ArgumentException(
                "No API key: set BasetenChatClientOptions.ApiKey or the " + BasetenClientOptions.ApiKeyEnvironmentVariable + " environment variable.",
                nameof(options));
        }

        // Everything is validated before an HttpClient is created, so that a bad option leaks nothing.
        ApiAuthorization authorization = ApiAuthorization.Bearer(apiKey.Trim());
        Uri baseAddress = ApiTransport.ValidateBaseAddress(AddressOf(options), nameof(options));
        return ApiTransport.Create(httpClient, baseAddress, authorization, options.Retry ?? RetryPolicy.None, options.Policies?.PerCall, options.Policies?.PerTry).WithBasetenErrors();
    }
}
