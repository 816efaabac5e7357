using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot.Cli;

/// <summary>
/// <c>--verbose</c>: a line on standard error for each attempt (method, address, the status or what
/// went wrong, the time to the response headers, the server's request id), and one before each
/// retry. Standard output is left as it is without the option.
/// </summary>
/// <remarks>
/// A per-try policy runs before the credential is added, so it never sees the key; the key is
/// replaced all the same should it ever appear in a line. What the server chose (the reason
/// phrase, the request id) goes through <see cref="Failures.SafeLine"/>, as every error line does.
/// One instance serves one command, which makes one call.
/// </remarks>
internal sealed class VerboseLog : ApiPolicy
{
    private readonly TextWriter _error;
    private readonly string? _key;
    private readonly string? _escapedKey;
    private readonly CancellationToken _cancellationToken;

    public VerboseLog(TextWriter error, string? key, CancellationToken cancellationToken)
    {
        _error = error;
        _key = string.IsNullOrWhiteSpace(key) ? null : key.Trim();
        _escapedKey = _key is null ? null : Uri.EscapeDataString(_key);
        _cancellationToken = cancellationToken;
        Retry = new RetryPolicy { ShouldRetry = ShouldRetry };
    }

    /// <summary>The client's default retry policy, unchanged but for saying when it repeats an attempt.</summary>
    public RetryPolicy Retry { get; }

    public override async ValueTask ProcessAsync(ApiMessage message, IReadOnlyList<ApiPolicy> pipeline, int index)
    {
        ArgumentNullException.ThrowIfNull(message);
        long start = Stopwatch.GetTimestamp();
        string attempt = "attempt " + Number(message.Attempt) + ": " + message.Request.Method.Method + " " + message.Uri.AbsoluteUri + " -> ";
        try
        {
            await ProcessNextAsync(message, pipeline, index).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Only the kind of failure: an exception's message may quote what the server sent.
            Write(attempt + Kind(exception) + " after " + Elapsed(start));
            throw;
        }

        if (message.Response is { } response)
        {
            Write(attempt + Number((int)response.StatusCode) + " " + response.ReasonPhrase + " in " + Elapsed(start)
                + (Quote(response, "x-baseten-request-id") ?? Quote(response, "x-request-id")));
        }
    }

    // The built-in rules decide, as without this hook. The policy then still applies its limits:
    // the attempts, and a Retry-After longer than MaxDelay. Its budget is this process's alone and
    // holds more retries than one call can make.
    private bool ShouldRetry(RetryContext context)
    {
        TimeSpan? wait = (context.Failure as ApiException)?.RetryAfter;
        if (context.Default && context.CanResendBody && context.Attempt < Retry.MaxAttempts && !(wait > Retry.MaxDelay))
        {
            Write("retrying: attempt " + Number(context.Attempt + 1) + " of at most " + Number(Retry.MaxAttempts)
                + (wait is { } delay ? ", in " + Number((long)delay.TotalMilliseconds) + " ms as the server asked" : ", after a backoff"));
        }

        return context.Default;
    }

    private string Kind(Exception exception) => exception switch
    {
        OperationCanceledException => _cancellationToken.IsCancellationRequested ? "canceled" : "timed out",
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => "connection refused",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "host not found",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "connection failed",
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "TLS handshake failed",
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => "connection closed before an answer",
        HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } => "invalid response",
        HttpRequestException or IOException => "connection error",
        _ => "failed",
    };

    private void Write(string line)
    {
        if (_key is not null)
        {
            line = line.Replace(_key, "***", StringComparison.Ordinal).Replace(_escapedKey!, "***", StringComparison.Ordinal);
        }

        _error.WriteLine("baseten: " + Failures.SafeLine(line));
    }

    private static string Elapsed(long start) => Number((long)Stopwatch.GetElapsedTime(start).TotalMilliseconds) + " ms";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    // " (name: value)" for the header's first value, or null without one.
    private static string? Quote(HttpResponseMessage response, string name)
    {
        if (response.Headers.NonValidated.TryGetValues(name, out HeaderStringValues values))
        {
            foreach (string value in values)
            {
                return " (" + name + ": " + value + ")";
            }
        }

        return null;
    }
}
