using System;
using System.Buffers;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

// What a call does with its 2xx response once the headers are in: read it as JSON, drain it, read
// it as text, or hand it on; and the parsing of one event or line of a stream. The readers are
// static, so that the delegates CallAsync takes are cached, not made per call.
public sealed partial class ApiTransport
{
    // JSON, the hot path: no ApiResponse, no intermediate string; read whole (up to the cap) into
    // buffers the GC takes back, then parsed at once.
    private static async ValueTask<T> ReadJsonAsync<T>(ApiTransport transport, ApiRequest request, HttpResponseMessage response, JsonTypeInfo<T> info, CancellationToken bodyToken)
    {
        using (response)
        {
            T? result;
            try
            {
                result = await BoundedJsonReader.ReadAsync(response.Content, info, MaxResponseBytes, transport._authorization, bodyToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is JsonException or LimitedReadStream.LimitExceededException)
            {
                throw ApiException.InvalidResponse(request, response, typeof(T).Name, exception.Message, exception, transport._authorization, transport._errors);
            }

            return result ?? throw ApiException.InvalidResponse(request, response, typeof(T).Name, "the body is null", null, transport._authorization, transport._errors);
        }
    }

    // A body that does not matter: one that declares a length up to MaxDrainBytes is read and
    // dropped, so the connection is reused at once; any other is left to the handler when the
    // response is disposed. Never waits on a body of unknown length.
    private static async ValueTask<bool> DrainAsync(ApiTransport transport, ApiRequest request, HttpResponseMessage response, object? state, CancellationToken bodyToken)
    {
        using (response)
        {
            if (response.Content.Headers.ContentLength is not (> 0 and <= MaxDrainBytes))
            {
                return true;
            }

            byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                using Stream stream = await response.Content.ReadAsStreamAsync(bodyToken).ConfigureAwait(false);
                while (await stream.ReadAsync(buffer, bodyToken).ConfigureAwait(false) > 0)
                {
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return true;
        }
    }

    // Text, bounded by MaxResponseBytes (see ApiResponse.ReadTextAsync).
    private static async ValueTask<string> ReadTextAsync(ApiTransport transport, ApiRequest request, HttpResponseMessage response, object? state, CancellationToken bodyToken)
    {
        using var read = new ApiResponse(response, request, transport._authorization, transport._errors);
        return await read.ReadTextAsync(bodyToken).ConfigureAwait(false);
    }

    // Not read here: the response, and the request's body, go to the caller in an ApiResponse.
    private static ValueTask<ApiResponse> HandOn(ApiTransport transport, ApiRequest request, HttpResponseMessage response, object? state, CancellationToken bodyToken)
        => new(new ApiResponse(response, request, transport._authorization, transport._errors));

    // JsonSerializer takes an event's data as text and a line as UTF-8: one overload each, one failure for both.
    private static T ParseJson<T>(ApiResponse response, string json, JsonTypeInfo<T> info)
    {
        try
        {
            return JsonSerializer.Deserialize(json, info) ?? throw NullJson<T>(response);
        }
        catch (JsonException exception)
        {
            throw InvalidJson<T>(response, exception);
        }
    }

    private static T ParseJson<T>(ApiResponse response, ReadOnlySpan<byte> json, JsonTypeInfo<T> info)
    {
        try
        {
            return JsonSerializer.Deserialize(json, info) ?? throw NullJson<T>(response);
        }
        catch (JsonException exception)
        {
            throw InvalidJson<T>(response, exception);
        }
    }

    private static ApiException NullJson<T>(ApiResponse response)
        => response.InvalidBody(typeof(T).Name, "a value is null", null);

    private static ApiException InvalidJson<T>(ApiResponse response, JsonException exception)
        => response.InvalidBody(typeof(T).Name, exception.Message, exception);
}
