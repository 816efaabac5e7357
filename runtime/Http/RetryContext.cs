using System;
using System.Net.Http;

namespace Baseten.Aot.Http;

/// <summary>What <see cref="RetryPolicy.ShouldRetry"/> is told about a failed attempt.</summary>
public sealed class RetryContext
{
    internal RetryContext(ApiRequest request, int attempt, int? status, Exception failure, bool mayHaveActed, bool canResend, bool @default)
    {
        Request = request;
        Attempt = attempt;
        Status = status;
        Failure = failure;
        ServerMayHaveActed = mayHaveActed;
        CanResendBody = canResend;
        Default = @default;
    }

    /// <summary>The request (method, path template, path).</summary>
    public ApiRequest Request { get; }

    /// <summary>The attempt that failed, from 1.</summary>
    public int Attempt { get; }

    /// <summary>The status the server answered, or null when no answer came (a timeout, a dropped connection).</summary>
    public int? Status { get; }

    /// <summary>
    /// What is thrown if the attempt is not repeated: the API exception for a status, a
    /// <see cref="TimeoutException"/>, or an <see cref="HttpRequestException"/>.
    /// </summary>
    public Exception Failure { get; }

    /// <summary>
    /// Whether the server may have acted on the request: false only when it said it did not (429,
    /// 503 with Retry-After) or the connection was refused.
    /// </summary>
    public bool ServerMayHaveActed { get; }

    /// <summary>Whether the body can be sent again (false for a caller's stream already read). A true answer is ignored when this is false.</summary>
    public bool CanResendBody { get; }

    /// <summary>What the built-in rules decide (see <see cref="RetryPolicy"/>).</summary>
    public bool Default { get; }
}
