using System;
using System.Buffers;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

/// <summary>Reads a whole 2xx body as UTF-8 bytes and turns it into a value (a hand-written Utf8JsonReader loop).</summary>
/// <exception cref="JsonException">The body is not what the parser reads; its message must not quote the body.</exception>
/// <exception cref="FormatException">A value in the body is malformed (base64, a number); likewise.</exception>
internal delegate T BodyParser<T>(ReadOnlySpan<byte> body);

// The bulk path of the embedding jobs: the same pipeline, retries, deadlines, telemetry and redaction
// as SendJsonAsync, but the body is read into one buffer from the job's own pool and handed to a
// parser that writes straight into the caller's arrays, with no object model in between.
public sealed partial class ApiTransport
{
    /// <summary>The retry policy the transport was built with, for callers that derive a per-call one from it.</summary>
    internal RetryPolicy RetryPolicy => _retryPolicy;

    /// <summary>
    /// Sends <paramref name="request"/> and parses its whole 2xx body, read into a buffer rented from
    /// <paramref name="pool"/> (bounded by <see cref="MaxResponseBytes"/>).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="pool">Where the body's buffer comes from: a job's own pool, dropped with the job.</param>
    /// <param name="parse">Reads the body.</param>
    /// <param name="what">What the body should be, for the error when it is not.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ApiException">The server answered outside 2xx, or with a body the parser refused, or one too large.</exception>
    /// <exception cref="TimeoutException">An attempt, or the call, ran out of time.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    internal Task<T> SendBodyAsync<T>(ApiRequest request, ArrayPool<byte> pool, BodyParser<T> parse, string what, CancellationToken cancellationToken)
        => CallAsync(request, ReadPooledBodyAsync, new PooledBody<T>(pool, parse, what), cancellationToken);

    // A class, not a struct: CallAsync, its async state machine and its delegate are then instantiated
    // over reference types only, and NativeAOT shares that code with the JSON path's instead of
    // compiling the whole call again for this one state type.
    private sealed class PooledBody<T>(ArrayPool<byte> pool, BodyParser<T> parse, string what)
    {
        public ArrayPool<byte> Pool { get; } = pool;

        public BodyParser<T> Parse { get; } = parse;

        public string What { get; } = what;
    }

    // The body whole, into one buffer from the job's pool (a declared length is read into a buffer
    // that size; else the buffer doubles as the body arrives), then parsed and the buffer returned.
    private static async ValueTask<T> ReadPooledBodyAsync<T>(ApiTransport transport, ApiRequest request, HttpResponseMessage response, PooledBody<T> body, CancellationToken bodyToken)
    {
        using (response)
        {
            long? declared = response.Content.Headers.ContentLength;
            if (declared > MaxResponseBytes)
            {
                throw ApiException.InvalidResponse(request, response, body.What, "it declares " + declared + " bytes, more than the " + MaxResponseBytes + " read", null, transport._authorization, transport._errors);
            }

            byte[] buffer = body.Pool.Rent(declared is long length ? Math.Max(1, (int)length) : 64 * 1024);
            try
            {
                int used = 0;
                using (Stream stream = await response.Content.ReadAsStreamAsync(bodyToken).ConfigureAwait(false))
                {
                    while (true)
                    {
                        if (used == buffer.Length)
                        {
                            if (used == declared)
                            {
                                break;
                            }

                            if (used >= MaxResponseBytes)
                            {
                                throw ApiException.InvalidResponse(request, response, body.What, "it is larger than the " + MaxResponseBytes + " bytes read", null, transport._authorization, transport._errors);
                            }

                            byte[] larger = body.Pool.Rent((int)Math.Min((long)buffer.Length * 2, MaxResponseBytes + 1L));
                            buffer.AsSpan(0, used).CopyTo(larger);
                            body.Pool.Return(buffer);
                            buffer = larger;
                        }

                        int read = await stream.ReadAsync(buffer.AsMemory(used), bodyToken).ConfigureAwait(false);
                        if (read == 0)
                        {
                            break;
                        }

                        used += read;
                    }
                }

                try
                {
                    ReadOnlySpan<byte> bytes = buffer.AsSpan(0, used);
                    return body.Parse(bytes.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes);
                }
                catch (Exception exception) when (exception is JsonException or FormatException)
                {
                    throw ApiException.InvalidResponse(request, response, body.What, exception.Message, exception, transport._authorization, transport._errors);
                }
            }
            finally
            {
                body.Pool.Return(buffer);
            }
        }
    }
}
