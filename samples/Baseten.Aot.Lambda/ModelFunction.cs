using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Lambda;

/// <summary>What an invocation comes to: the response to post, or the error.</summary>
internal readonly record struct InvocationResult(ReadOnlyMemory<byte> Response, FunctionError? Error)
{
    public static InvocationResult Failed(string errorType, string message) => new(default, new FunctionError(errorType, message));
}

/// <summary>
/// What every mode of the function shares: the event read with the mode's own JSON metadata, one
/// call to Baseten within the invocation's deadline (less <see cref="DeadlineMargin"/>), the call's
/// failures as invocation errors, and a response that never holds the API key. The client is made
/// once, at init, and reused (with its connections) by every invocation.
/// </summary>
internal abstract class ModelFunction : IDisposable
{
    /// <summary>
    /// How long before the invocation's deadline the call is cancelled: time to post the timeout
    /// error before Lambda ends the invocation itself (which reports only "Task timed out").
    /// </summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    // The longest a CancellationTokenSource can wait; Lambda's deadlines are at most 15 minutes away.
    private static readonly TimeSpan MaxTimer = TimeSpan.FromDays(1);

    private readonly TimeProvider _time;
    private readonly byte[] _keyInJson;

    protected ModelFunction(FunctionSettings settings, TimeProvider time)
    {
        _time = time;
        _keyInJson = JsonEncodedText.Encode(settings.ApiKey).EncodedUtf8Bytes.ToArray();
    }

    /// <summary>What the event must be, for error messages: "the model's input".</summary>
    protected abstract string InputName { get; }

    /// <summary>What the call is, for error messages: "the predict".</summary>
    protected abstract string CallName { get; }

    /// <summary>Reads the event; null when it is JSON null.</summary>
    /// <exception cref="JsonException">The event is not the mode's input.</exception>
    protected abstract object? ReadEvent(ReadOnlySpan<byte> json);

    /// <summary>Calls Baseten with the input <see cref="ReadEvent"/> returned, and returns the response's JSON.</summary>
    protected abstract Task<byte[]> CallAsync(object input, CancellationToken cancellationToken);

    /// <summary>Runs one invocation. Every failure the function expects is a result; only <paramref name="cancellationToken"/> throws.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<InvocationResult> InvokeAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        object? input;
        try
        {
            input = ReadEvent(invocation.Event.Span);
        }
        catch (JsonException exception)
        {
            return InvocationResult.Failed(ErrorTypes.InvalidEvent, "the event is not " + InputName + ": " + exception.Message);
        }

        if (input is null)
        {
            return InvocationResult.Failed(ErrorTypes.InvalidEvent, "the event is null, not " + InputName);
        }

        // The call gets what is left of the invocation less the margin; with less than that
        // left, it is not started at all.
        TimeSpan? budget = invocation.Deadline is { } deadline ? deadline - _time.GetUtcNow() - DeadlineMargin : null;
        if (budget <= TimeSpan.Zero)
        {
            return InvocationResult.Failed(ErrorTypes.Timeout, "the invocation's deadline is " + Milliseconds(budget.Value + DeadlineMargin)
                + " ms away, within the " + Milliseconds(DeadlineMargin) + " ms kept to report it: the model was not called");
        }

        using CancellationTokenSource timer = budget is { } delay
            ? new CancellationTokenSource(delay < MaxTimer ? delay : MaxTimer, _time)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        byte[] response;
        try
        {
            response = await CallAsync(input, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return InvocationResult.Failed(ErrorTypes.Timeout, "the model had not answered " + Milliseconds(DeadlineMargin)
                + " ms before the invocation's deadline: " + CallName + " was cancelled");
        }
        catch (BasetenApiException exception)
        {
            int status = (int)exception.StatusCode;
            string message = (exception.RequestId is { } id ? "[request " + id + "] " : string.Empty) + exception.Message;
            return new InvocationResult(default, new FunctionError(status is >= 200 and < 300 ? ErrorTypes.InvalidOutput : ErrorTypes.BasetenError, message)
            {
                BasetenStatus = status == 0 ? null : status,
                BasetenRequestId = exception.RequestId,
            });
        }
        catch (TimeoutException exception)
        {
            return InvocationResult.Failed(ErrorTypes.BasetenTimeout, exception.Message);
        }
        catch (HttpRequestException exception)
        {
            return InvocationResult.Failed(ErrorTypes.Unreachable, "cannot reach Baseten: " + exception.Message);
        }
        catch (IOException exception)
        {
            return InvocationResult.Failed(ErrorTypes.Unreachable, "the connection broke while Baseten answered: " + exception.Message);
        }

        // Only a server that echoes the Authorization header could do this; the key still does not leave.
        return response.AsSpan().IndexOf(_keyInJson) >= 0
            ? InvocationResult.Failed(ErrorTypes.KeyInOutput, "the model's output holds the API key: it is not returned")
            : new InvocationResult(response, null);
    }

    public abstract void Dispose();

    private static string Milliseconds(TimeSpan time) => ((long)time.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
