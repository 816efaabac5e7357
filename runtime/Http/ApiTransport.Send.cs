using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

// The calls a client makes, one per way of reading the answer. Each is a call (ApiTransport.Call.cs)
// with a body reader (ApiTransport.BodyReaders.cs); the streaming ones read on after the call.
public sealed partial class ApiTransport
{
    /// <summary>Sends a request with an optional JSON body and reads a JSON response.</summary>
    public Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest> bodyInfo, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken)
        => SendJsonAsync(JsonRequest(method, path, body, bodyInfo), responseInfo, cancellationToken);

    /// <summary>Sends a request without a body and reads a JSON response.</summary>
    public Task<TResponse> SendAsync<TResponse>(HttpMethod method, string path, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken)
        => SendJsonAsync(new ApiRequest(method, path, path), responseInfo, cancellationToken);

    /// <summary>Sends a request with an optional JSON body; the response has no body of interest.</summary>
    public Task SendAsync<TRequest>(HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest> bodyInfo, CancellationToken cancellationToken)
        => SendNoContentAsync(JsonRequest(method, path, body, bodyInfo), cancellationToken);

    /// <summary>Sends a request without a body; the response has no body of interest.</summary>
    public Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
        => SendNoContentAsync(new ApiRequest(method, path, path), cancellationToken);

    /// <summary>
    /// Sends <paramref name="request"/> and returns the 2xx response with its headers read and its
    /// body not yet read. The caller disposes it.
    /// </summary>
    /// <exception cref="ApiException">The server answered outside 2xx (after the retries the policy allows).</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time (after the retries the policy allows).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken)
        => CallAsync<object?, ApiResponse>(request, HandOn, null, cancellationToken, handsOnRequestBody: true);

    /// <summary>Sends <paramref name="request"/> and reads the 2xx body as JSON, from the stream, bounded by <see cref="MaxResponseBytes"/>.</summary>
    /// <exception cref="ApiException">The server answered outside 2xx, or with a body that is not <typeparamref name="T"/> (or is null, or too large).</exception>
    /// <exception cref="TimeoutException">An attempt, or the call, ran out of time.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<T> SendJsonAsync<T>(ApiRequest request, JsonTypeInfo<T> responseInfo, CancellationToken cancellationToken)
        => request is not null && responseInfo is null
            ? Task.FromException<T>(new ArgumentNullException(nameof(responseInfo)))
            : CallAsync(request!, ReadJsonAsync, responseInfo!, cancellationToken);

    /// <summary>
    /// Sends <paramref name="request"/> for a 204 or any 2xx whose body does not matter. A body that
    /// declares a Content-Length up to 64 KiB is read and dropped, so the connection is reused at
    /// once; any other is left unread when the response is disposed, and the handler drops the
    /// connection (SocketsHttpHandler first drains a bounded amount in the background). The call
    /// never waits on a body of unknown length.
    /// </summary>
    /// <exception cref="ApiException">The server answered outside 2xx.</exception>
    /// <exception cref="TimeoutException">An attempt, or the call, ran out of time.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task SendNoContentAsync(ApiRequest request, CancellationToken cancellationToken)
        => CallAsync<object?, bool>(request, DrainAsync, null, cancellationToken);

    /// <summary>Sends <paramref name="request"/> and reads the 2xx body as text (see <see cref="ApiResponse.ReadTextAsync"/>), bounded by <see cref="MaxResponseBytes"/>.</summary>
    /// <exception cref="ApiException">The server answered outside 2xx, or with a body larger than <see cref="MaxResponseBytes"/>.</exception>
    /// <exception cref="TimeoutException">An attempt, or the call, ran out of time.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<string> SendTextAsync(ApiRequest request, CancellationToken cancellationToken)
        => CallAsync<object?, string>(request, ReadTextAsync, null, cancellationToken);

    /// <summary>
    /// Sends <paramref name="request"/> and returns the 2xx body as a stream read from the connection
    /// as it arrives: not buffered, not bounded. Disposing the stream disposes the response. The
    /// attempt timeout ends with the headers; reads are governed by the token passed to them.
    /// </summary>
    /// <exception cref="ApiException">The server answered outside 2xx.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<Stream> SendStreamAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ApiResponse response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            Stream body = await response.Message.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResponseStream(body, response, _authorization);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads the 2xx body as a <c>text/event-stream</c>, one
    /// event at a time as it arrives (see <see cref="ServerSentEvent"/>). Set <see cref="ApiRequest.Accept"/>
    /// to <c>text/event-stream</c>. Cancelling the token, or the enumeration, aborts the request;
    /// ending the enumeration early disposes the response. The attempt timeout ends with the headers.
    /// </summary>
    /// <exception cref="ApiException">The server answered outside 2xx, or sent a line longer than <see cref="MaxLineLength"/> or an event larger than <see cref="MaxResponseBytes"/>.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time before the headers.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async IAsyncEnumerable<ServerSentEvent> SendEventsAsync(ApiRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using ApiResponse response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var events = new ServerSentEventReader(await response.ReadStreamAsync(cancellationToken).ConfigureAwait(false), response);
        while (await events.ReadAsync(cancellationToken).ConfigureAwait(false) is { } serverSentEvent)
        {
            yield return serverSentEvent;
        }
    }

    /// <summary>
    /// Like <see cref="SendEventsAsync(ApiRequest, CancellationToken)"/>, with each event's data read
    /// as JSON. An event whose data is exactly <c>[DONE]</c> ends the stream (the convention of
    /// LLM completion APIs).
    /// </summary>
    /// <exception cref="ApiException">The server answered outside 2xx, or an event's data is not <typeparamref name="T"/> (or is null), or a line or event is too long.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time before the headers.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async IAsyncEnumerable<T> SendEventsAsync<T>(ApiRequest request, JsonTypeInfo<T> dataInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataInfo);
        using ApiResponse response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var events = new ServerSentEventReader(await response.ReadStreamAsync(cancellationToken).ConfigureAwait(false), response);
        while (await events.ReadAsync(cancellationToken).ConfigureAwait(false) is { } serverSentEvent && serverSentEvent.Data != "[DONE]")
        {
            yield return ParseJson(response, serverSentEvent.Data, dataInfo);
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads the 2xx body as JSON lines (<c>application/x-ndjson</c>,
    /// <c>application/jsonl</c>): one <typeparamref name="T"/> per non-blank line, as each arrives.
    /// Cancelling aborts the request; ending the enumeration early disposes the response.
    /// The attempt timeout ends with the headers.
    /// </summary>
    /// <exception cref="ApiException">The server answered outside 2xx, or a line is not <typeparamref name="T"/> (or is null), or is longer than <see cref="MaxLineLength"/>.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time before the headers.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async IAsyncEnumerable<T> SendJsonLinesAsync<T>(ApiRequest request, JsonTypeInfo<T> lineInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lineInfo);
        using ApiResponse response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var lines = new LineReader(await response.ReadStreamAsync(cancellationToken).ConfigureAwait(false), crEndsLine: false, response, "JSON lines");
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (!line.Span.Trim(" \t\r"u8).IsEmpty)
            {
                yield return ParseJson(response, line.Span, lineInfo);
            }
        }
    }

    private static ApiRequest JsonRequest<TRequest>(HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest> bodyInfo)
        => new(method, path, path) { Content = body is null ? null : PooledJsonContent.Create(body, bodyInfo) };
}
