using System;
using System.Net;
using Baseten.Aot.Http;

namespace Baseten.Aot;

/// <summary>
/// Baseten's API answered with a status outside 2xx, or with a success body that is not the
/// documented JSON: what <see cref="BasetenClient"/> and <see cref="BasetenInferenceClient"/>
/// throw. Everything it carries is on <see cref="ApiException"/>, the type clients generated for
/// other documents throw.
/// </summary>
public sealed class BasetenApiException : ApiException
{
    /// <summary>Creates an exception with a message only.</summary>
    public BasetenApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public BasetenApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal BasetenApiException(string message, Exception? innerException, HttpStatusCode statusCode, ApiRequest request, string? requestId, string? responseBody, string? serverMessage, TimeSpan? retryAfter, int attempts)
        : base(message, innerException, statusCode, request, requestId, responseBody, serverMessage, retryAfter, attempts)
    {
    }
}
