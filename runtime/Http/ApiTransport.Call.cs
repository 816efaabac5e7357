using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

// One call from start to end: its retry policy, attempt deadline and call timeout, the pipeline,
// the body reader, and what the caller is told when a timer or the caller's token ended it.
public sealed partial class ApiTransport
{
    // Reads a 2xx response whose headers are in, under the token of the body (the attempt timeout
    // again, from now); it disposes the response, or hands it on in its result.
    private delegate ValueTask<TResult> BodyReader<TState, TResult>(ApiTransport transport, ApiRequest request, HttpResponseMessage response, TState state, CancellationToken bodyToken);

    // Every call that reads its body here: the pipeline, then `read`. A timer or the caller's token
    // that ends the call becomes what the caller is told (BodyTimeout, CallEnded), and no exception
    // leaves with the key in its text. The request's body is disposed when the call ends; when the
    // reader hands it on with the response (handsOnRequestBody), only if the call failed.
    private async Task<TResult> CallAsync<TState, TResult>(ApiRequest request, BodyReader<TState, TResult> read, TState state, CancellationToken cancellationToken, bool handsOnRequestBody = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        CallScope call = StartCall(request, cancellationToken);
        bool disposeRequestBody = true;
        try
        {
            HttpResponseMessage response = await SendCoreAsync(request, call.Policy, call.Deadline, call.Token).ConfigureAwait(false);
            TResult result = await read(this, request, response, state, call.BodyToken()).ConfigureAwait(false);
            disposeRequestBody = !handsOnRequestBody;
            return result;
        }
        catch (Exception exception) when (_authorization is not null && ResponseStream.Scrub(_authorization, exception) is { } scrubbed)
        {
            throw scrubbed;
        }
        catch (OperationCanceledException exception) when (call.Deadline?.Expired == true)
        {
            throw BodyTimeout(request, call.Deadline, exception);
        }
        catch (OperationCanceledException exception) when (CallEnded(call, request, exception) is { } ended)
        {
            throw ended;
        }
        finally
        {
            EndCall(call);
            if (disposeRequestBody)
            {
                request.Content?.Dispose();
            }
        }
    }

    private CallScope StartCall(ApiRequest request, CancellationToken cancellationToken)
    {
        RetryPolicy policy = request.Options?.Retry ?? _retryPolicy;
        var call = new CallScope { Policy = policy, Caller = cancellationToken, Token = cancellationToken };
        if ((request.Options?.Timeout ?? policy.CallTimeout) is { } limit)
        {
            call.Limit = limit;
            call.Timer = new CancellationTokenSource(limit, policy.TimeProvider);
            call.Linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.Timer.Token);
            call.Token = call.Linked.Token;
        }

        call.Deadline = StartDeadline(policy, call.Token);
        return call;
    }

    private void EndCall(in CallScope call)
    {
        EndDeadline(call.Deadline);
        call.Linked?.Dispose();
        call.Timer?.Dispose();
    }

    // What the caller is told when the call's token ended it: its call timeout ran out, or the
    // caller cancelled: then with the caller's own token on the exception, whichever token the
    // cancellation went through (the call timeout's link, or the attempt deadline a body is read
    // under); null for neither.
    private static Exception? CallEnded(in CallScope call, ApiRequest request, OperationCanceledException exception)
    {
        if (call.TimedOut)
        {
            return new TimeoutException(request.Method.Method + " " + request.Path + " did not complete within its call timeout of " + Seconds(call.Limit!.Value) + " s.", exception);
        }

        return call.Caller.IsCancellationRequested && exception.CancellationToken != call.Caller
            ? new OperationCanceledException(exception.Message, exception, call.Caller)
            : null;
    }

    private static TimeoutException BodyTimeout(ApiRequest request, AttemptDeadline deadline, Exception inner)
        => new(request.Method.Method + " " + request.Path + " answered, but its body did not arrive within " + Seconds(deadline.Limit) + " s.", inner);

    private static string Seconds(TimeSpan limit) => limit.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    // One call's settings and timers: the retry policy in force, the attempt deadline, and the
    // call timeout, which is linked into the token the call runs on only when there is one.
    private struct CallScope
    {
        public RetryPolicy Policy;
        public AttemptDeadline? Deadline;
        public CancellationToken Caller;
        public CancellationToken Token;
        public CancellationTokenSource? Timer;
        public CancellationTokenSource? Linked;
        public TimeSpan? Limit;

        public readonly bool TimedOut => Timer?.IsCancellationRequested == true && !Caller.IsCancellationRequested;

        // A body read whole gets the attempt timeout again, from now.
        public readonly CancellationToken BodyToken()
        {
            Deadline?.Restart();
            return Deadline?.Token ?? Token;
        }
    }
}
