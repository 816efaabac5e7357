using System;
using System.Net;

namespace Baseten.Aot.Http;

/// <summary>
/// Makes the exception a call ends with when its answer is not what it asked for:
/// <see cref="ApiException"/> for any API, <see cref="BasetenApiException"/> for the clients of
/// Baseten's own documents. A transport is given one when it is built, and every error it raises
/// (the pipeline's, the body readers', the WebSocket handshake's) comes from it.
/// </summary>
internal abstract class ApiErrorFactory
{
    /// <summary>Throws <see cref="ApiException"/>: the transport anyone creates.</summary>
    public static ApiErrorFactory Api { get; } = new ApiErrors();

    /// <summary>Throws <see cref="BasetenApiException"/>: the transport of Baseten's own clients.</summary>
    public static ApiErrorFactory Baseten { get; } = new BasetenErrors();

    /// <summary>The exception for an answer, its text already on one line and redacted.</summary>
    public abstract ApiException Create(string message, Exception? innerException, HttpStatusCode statusCode, ApiRequest request, string? requestId, string? responseBody, string? serverMessage, TimeSpan? retryAfter, int attempts);

    private sealed class ApiErrors : ApiErrorFactory
    {
        public override ApiException Create(string message, Exception? innerException, HttpStatusCode statusCode, ApiRequest request, string? requestId, string? responseBody, string? serverMessage, TimeSpan? retryAfter, int attempts)
            => new(message, innerException, statusCode, request, requestId, responseBody, serverMessage, retryAfter, attempts);
    }

    private sealed class BasetenErrors : ApiErrorFactory
    {
        public override ApiException Create(string message, Exception? innerException, HttpStatusCode statusCode, ApiRequest request, string? requestId, string? responseBody, string? serverMessage, TimeSpan? retryAfter, int attempts)
            => new BasetenApiException(message, innerException, statusCode, request, requestId, responseBody, serverMessage, retryAfter, attempts);
    }
}
