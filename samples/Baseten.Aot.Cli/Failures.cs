using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;

namespace Baseten.Aot.Cli;

/// <summary>
/// How every command reports what it expects to go wrong: one line on standard error, safe for a
/// terminal, and an exit code (see <see cref="ExitCodes"/>). Anything else is a bug and is not caught.
/// </summary>
internal static class Failures
{
    /// <summary>Whether <paramref name="exception"/> is a failure a command reports rather than a bug.</summary>
    public static bool IsExpected(Exception exception)
        => exception is DryRunHandler.RequestPrintedException or CreateEnvironmentCommand.InputException or ArgumentException
            or BasetenApiException or HttpRequestException or TimeoutException or IOException or OperationCanceledException;

    /// <summary>Writes the line for an expected failure and returns its exit code.</summary>
    public static int Report(Exception exception, TextWriter error, CancellationToken cancellationToken) => exception switch
    {
        DryRunHandler.RequestPrintedException => ExitCodes.Success,
        CreateEnvironmentCommand.InputException input => Fail(error, ExitCodes.Usage, input.Message),

        // Options the client refuses: a bad base address, a malformed key. Messages never hold the key.
        ArgumentException argument => Fail(error, ExitCodes.Usage, argument.ParamName is null ? argument.Message : argument.Message.Replace(" (Parameter '" + argument.ParamName + "')", string.Empty, StringComparison.Ordinal)),
        BasetenApiException api => Fail(error, ExitCodes.ApiError, (api.RequestId is { } id ? "[request " + id + "] " : string.Empty) + api.Message + Explain(api)),
        HttpRequestException http => Fail(error, ExitCodes.Network, "cannot reach the API: " + http.Message),
        TimeoutException timeout => Fail(error, ExitCodes.Network, timeout.Message),

        // A connection reset or closed while the answer was arriving.
        IOException io => Fail(error, ExitCodes.Network, "the connection broke while the answer was arriving: " + io.Message),
        OperationCanceledException when !cancellationToken.IsCancellationRequested => Fail(error, ExitCodes.Network, "the API did not answer in time"),
        _ => Fail(error, ExitCodes.Canceled, "canceled"),
    };

    /// <summary>The longest part of a plain-text error body that is shown.</summary>
    private const int MaxBodyExcerpt = 200;

    /// <summary>
    /// What the exception's message leaves out: that a 3xx is a redirect the CLI never follows, or
    /// the first line of an error body that is not JSON (a proxy's or a framework's plain text;
    /// an HTML page is left out). The body is already redacted; the line is made safe later.
    /// </summary>
    private static string Explain(BasetenApiException api)
    {
        if ((int)api.StatusCode is >= 300 and < 400)
        {
            return " It is a redirect, and baseten follows none (the key must not go on to another address): check --base-url.";
        }

        if (api.ServerMessage is null && api.ResponseBody?.TrimStart() is { Length: > 0 } body && body[0] != '<')
        {
            int end = body.IndexOfAny(['\r', '\n']);
            ReadOnlySpan<char> first = end < 0 ? body : body.AsSpan(0, end);
            return first.Length > MaxBodyExcerpt
                ? string.Concat(" The answer says: ", first[..MaxBodyExcerpt], "...")
                : string.Concat(" The answer says: ", first);
        }

        return string.Empty;
    }

    /// <summary>One line on standard error: the first line of the message, made safe by <see cref="SafeLine"/>.</summary>
    public static int Fail(TextWriter error, int exitCode, string message)
    {
        error.WriteLine("baseten: error: " + SafeLine(message));
        return exitCode;
    }

    /// <summary>
    /// The first line of <paramref name="text"/> with control characters (ESC, BEL, anything a
    /// server could send to clear a screen or write a clipboard) replaced by <c>?</c>.
    /// </summary>
    public static string SafeLine(string text)
    {
        int newline = text.IndexOfAny(['\r', '\n']);
        string line = newline < 0 ? text : text.Substring(0, newline);
        var safe = new StringBuilder(line.Length);
        foreach (char c in line)
        {
            safe.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? '?' : c);
        }

        return safe.ToString();
    }

    /// <summary>
    /// The HttpClient a command sends with: its timeout off (the retry policy times each attempt),
    /// no redirect followed (a 3xx is an answer to report, and the key must not follow a Location).
    /// </summary>
    public static HttpClient CreateHttpClient(bool dryRun, TextWriter output)
        => dryRun
            ? new HttpClient(new DryRunHandler(output))
            : new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
}
