using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Baseten.Aot.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Baseten.Aot.Lambda.Tests;

/// <summary>An event the stand-in hands out; its deadline is set when it is handed out, <see cref="DeadlineIn"/> from then.</summary>
internal sealed record LambdaEvent(string RequestId, string Body, TimeSpan? DeadlineIn = null, string? TraceId = null);

/// <summary>What the function posted: to <c>response</c>, <c>error</c> or <c>init/error</c>.</summary>
internal sealed record Posted(string Kind, string? RequestId, string? ErrorTypeHeader, string Body);

/// <summary>
/// Lambda's runtime API (2018-06-01) on a loopback socket: <c>/runtime/invocation/next</c> waits for
/// an event the test enqueues and hands it out with Lambda's headers; every post is kept for the test
/// to read, in order. Every wait is bounded.
/// </summary>
internal sealed class FakeLambdaRuntime : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly LoopbackServer _server;
    private readonly Channel<LambdaEvent> _events = Channel.CreateUnbounded<LambdaEvent>();
    private readonly Channel<Posted> _posted = Channel.CreateUnbounded<Posted>();

    private FakeLambdaRuntime(LoopbackServer server) => _server = server;

    /// <summary>The clock deadlines are set on: the real one, or the function's fake one.</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>What the stand-in answers a posted response with: 202 Accepted; 413 to refuse it; 500 to say the environment is broken.</summary>
    public int ResponseStatus { get; set; } = 202;

    /// <summary>The value of AWS_LAMBDA_RUNTIME_API: host:port, no scheme.</summary>
    public string Address => _server.BaseAddress.Authority;

    /// <summary>Every request the function made to the runtime API, bodies and headers included.</summary>
    public RecordedRequest[] Requests => [.. _server.Requests];

    public static async Task<FakeLambdaRuntime> StartAsync()
    {
        var runtime = new FakeLambdaRuntime(await LoopbackServer.StartAsync());
        runtime._server.Respond = runtime.RespondAsync;
        return runtime;
    }

    public void Enqueue(LambdaEvent lambdaEvent) => _events.Writer.TryWrite(lambdaEvent);

    /// <summary>The next thing the function posted, waiting at most <see cref="Bound"/>.</summary>
    public async Task<Posted> NextPostedAsync() => await _posted.Reader.ReadAsync().AsTask().WaitAsync(Bound);

    /// <summary>Whether nothing more has been posted so far.</summary>
    public bool NothingMorePosted => !_posted.Reader.TryPeek(out _);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task RespondAsync(HttpContext context)
    {
        // The raw target, as the function escaped it: the request id is a path segment.
        string path = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (context.Request.Method == "GET" && path == "/2018-06-01/runtime/invocation/next")
        {
            LambdaEvent next;
            try
            {
                next = await _events.Reader.ReadAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
            context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:baseten-predict";
            if (next.DeadlineIn is { } deadlineIn)
            {
                context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = (Now() + deadlineIn).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            }

            if (next.TraceId is not null)
            {
                context.Response.Headers["Lambda-Runtime-Trace-Id"] = next.TraceId;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(next.Body);
            return;
        }

        if (context.Request.Method == "POST" && path == "/2018-06-01/runtime/init/error")
        {
            Post(context, path, "init/error", null);
            return;
        }

        if (context.Request.Method == "POST" && segments is ["2018-06-01", "runtime", "invocation", var requestId, "response" or "error"])
        {
            Post(context, path, segments[4], Uri.UnescapeDataString(requestId));
            return;
        }

        context.Response.StatusCode = 404;
    }

    // The loopback server has read and recorded the body before answering: the post is the last
    // one recorded for this target (each target is posted to once).
    private void Post(HttpContext context, string target, string kind, string? requestId)
    {
        RecordedRequest request = _server.Requests.Last(r => r.Method == "POST" && r.RawTarget == target);
        _posted.Writer.TryWrite(new Posted(kind, requestId, request.Headers.TryGetValue("Lambda-Runtime-Function-Error-Type", out string? type) ? type : null, Encoding.UTF8.GetString(request.Body)));
        context.Response.StatusCode = kind == "response" ? ResponseStatus : 202;
    }
}
