using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Lambda;

/// <summary>
/// What the bootstrap takes from outside the process, each replaceable by a test: the environment
/// variables, the runtime API's transport, the clock the deadlines are measured on, and the log
/// (Lambda sends standard error to CloudWatch).
/// </summary>
internal sealed class BootstrapHost
{
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The handler the runtime API is called through; null for a socket of its own.</summary>
    public HttpMessageHandler? RuntimeApiHandler { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public TextWriter Log { get; init; } = Console.Error;
}

/// <summary>
/// A custom runtime's life: init (read the settings, make the client; a failure goes to
/// <c>/runtime/init/error</c> and the process exits), then invocations one after the other, each
/// fetched from <c>/runtime/invocation/next</c> and answered at <c>.../response</c> or <c>.../error</c>.
/// The API key never reaches anything posted or logged: the client scrubs its exceptions, and every
/// error is scrubbed again here.
/// </summary>
internal static class LambdaBootstrap
{
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>Exit code when the runtime cannot go on: an init error, or a runtime API that failed.</summary>
    public const int Failure = 1;

    /// <summary>
    /// Runs the runtime until <paramref name="stop"/> (0) or until it cannot go on (<see cref="Failure"/>).
    /// Lambda never stops it: it freezes the process between invocations and ends it when it likes.
    /// </summary>
    public static async Task<int> RunAsync(BootstrapHost host, CancellationToken stop)
    {
        var redactor = new Redactor(host.Environment(FunctionSettings.ApiKeyVariable));
        if (host.Environment(RuntimeApiVariable) is not { Length: > 0 } runtimeApi)
        {
            Log(host, redactor, RuntimeApiVariable + " is not set: bootstrap is a Lambda custom runtime and runs inside Lambda (or its emulator)");
            return Failure;
        }

        RuntimeApiClient runtime;
        try
        {
            runtime = new RuntimeApiClient(runtimeApi, host.RuntimeApiHandler);
        }
        catch (ArgumentException exception)
        {
            Log(host, redactor, exception.Message);
            return Failure;
        }

        using (runtime)
        {
            ModelFunction function;
            try
            {
                FunctionSettings settings = FunctionSettings.Read(host.Environment);
                function = settings.Chat is null ? new PredictFunction(settings, host.TimeProvider) : new ChatFunction(settings, host.TimeProvider);
            }
            catch (FunctionSettings.InvalidException invalid)
            {
                FunctionError error = redactor.Redact(invalid.Error);
                Log(host, redactor, "init: " + error.ErrorType + ": " + error.ErrorMessage);
                try
                {
                    HttpStatusCode status = await runtime.PostInitErrorAsync(error, stop).ConfigureAwait(false);
                    if (!IsAccepted(status))
                    {
                        Log(host, redactor, "the runtime API refused the init error with " + (int)status);
                    }
                }
                catch (Exception exception) when (exception is RuntimeApiException or HttpRequestException or OperationCanceledException)
                {
                    Log(host, redactor, "runtime API: " + exception.Message);
                }

                return Failure;
            }

            using (function)
            {
                return await ServeAsync(host, redactor, runtime, function, stop).ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> ServeAsync(BootstrapHost host, Redactor redactor, RuntimeApiClient runtime, ModelFunction function, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                Invocation invocation = await runtime.NextAsync(stop).ConfigureAwait(false);

                // For the X-Ray SDK, should the function use one: Lambda asks every runtime to set it.
                System.Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceId);
                InvocationResult result;
                try
                {
                    result = await function.InvokeAsync(invocation, stop).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    // A bug, not a failure the function expects: reported, and the next invocation is served.
                    result = InvocationResult.Failed(ErrorTypes.Unknown, exception.GetType().Name + ": " + exception.Message);
                }

                if (result.Error is null)
                {
                    HttpStatusCode status = await runtime.PostResponseAsync(invocation.RequestId, result.Response, stop).ConfigureAwait(false);
                    if (IsAccepted(status))
                    {
                        continue;
                    }

                    result = InvocationResult.Failed(ErrorTypes.ResponseRejected, "the runtime API refused the response with " + (int)status + " (" + result.Response.Length + " bytes)");
                }

                FunctionError error = redactor.Redact(result.Error!);
                Log(host, redactor, invocation.RequestId + " " + error.ErrorType + ": " + error.ErrorMessage);
                HttpStatusCode errorStatus = await runtime.PostErrorAsync(invocation.RequestId, error, stop).ConfigureAwait(false);
                if (!IsAccepted(errorStatus))
                {
                    Log(host, redactor, invocation.RequestId + " the runtime API refused the error with " + (int)errorStatus);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception exception) when (exception is RuntimeApiException or HttpRequestException)
        {
            Log(host, redactor, "runtime API: " + exception.Message + "; exiting");
            return Failure;
        }
    }

    private static bool IsAccepted(HttpStatusCode status) => (int)status is >= 200 and < 300;

    // One line per event, scrubbed, with no control character a server could use to forge another.
    private static void Log(BootstrapHost host, Redactor redactor, string message)
    {
        var line = new StringBuilder(message.Length);
        foreach (char c in redactor.Redact(message))
        {
            line.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        }

        host.Log.WriteLine(line.ToString());
    }
}

/// <summary>Replaces the API key wherever it appears in text the function posts or logs.</summary>
internal sealed class Redactor(string? secret)
{
    private readonly string? _secret = secret?.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    public string Redact(string text) => _secret is null ? text : text.Replace(_secret, "***", StringComparison.Ordinal);

    public FunctionError Redact(FunctionError error) => error with
    {
        ErrorMessage = Redact(error.ErrorMessage),
        BasetenRequestId = error.BasetenRequestId is null ? null : Redact(error.BasetenRequestId),
    };
}
