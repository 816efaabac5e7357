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
/// The function: the event read as the model's input, one predict through
/// <see cref="BasetenInferenceClient"/> with the function's own JSON metadata, the output as the
/// response. The client is made once, at init, and reused (with its connections) by every invocation.
/// </summary>
internal sealed class PredictFunction : IDisposable
{
    /// <summary>
    /// How long before the invocation's deadline the predict is cancelled: time to post the timeout
    /// error before Lambda ends the invocation itself (which reports only "Task timed out").
    /// </summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    // The longest a CancellationTokenSource can wait; Lambda's deadlines are at most 15 minutes away.
    private static readonly TimeSpan MaxTimer = TimeSpan.FromDays(1);

    private readonly BasetenInferenceClient _model;
    private readonly PredictTarget? _target;
    private readonly TimeProvider _time;
    private readonly byte[] _keyInJson;

    /// <exception cref="FunctionSettings.InvalidException">The client refuses the settings (a base address it will not send the key to, say).</exception>
    public PredictFunction(FunctionSettings settings, TimeProvider time)
    {
        try
        {
            _model = new BasetenInferenceClient(settings.Options);
        }
        catch (ArgumentException exception)
        {
            throw new FunctionSettings.InvalidException(ErrorTypes.ConfigInvalid, "the Baseten client refuses its settings: " + exception.Message);
        }

        _target = settings.Target;
        _time = time;
        _keyInJson = JsonEncodedText.Encode(settings.ApiKey).EncodedUtf8Bytes.ToArray();
    }

    /// <summary>Runs one invocation. Every failure the function expects is a result; only <paramref name="cancellationToken"/> throws.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<InvocationResult> InvokeAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        ModelInput? input;
        try
        {
            input = JsonSerializer.Deserialize(invocation.Event.Span, ModelJson.Default.ModelInput);
        }
        catch (JsonException exception)
        {
            return InvocationResult.Failed(ErrorTypes.InvalidEvent, "the event is not the model's input: " + exception.Message);
        }

        if (input is null)
        {
            return InvocationResult.Failed(ErrorTypes.InvalidEvent, "the event is null, not the model's input");
        }

        // The predict gets what is left of the invocation less the margin; with less than that
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
            ModelOutput output = await _model.PredictAsync(input, ModelJson.Default.ModelInput, ModelJson.Default.ModelOutput, _target, linked.Token).ConfigureAwait(false);
            response = JsonSerializer.SerializeToUtf8Bytes(output, ModelJson.Default.ModelOutput);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return InvocationResult.Failed(ErrorTypes.Timeout, "the model had not answered " + Milliseconds(DeadlineMargin)
                + " ms before the invocation's deadline: the predict was cancelled");
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

    public void Dispose() => _model.Dispose();

    private static string Milliseconds(TimeSpan time) => ((long)time.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
