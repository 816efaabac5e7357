using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baseten.Aot.WebhookReceiver;

/// <summary>What the receiver hands each verified result to, once per request id.</summary>
internal delegate Task DeliveryHandler(AsyncPredictResult result, ILogger logger, CancellationToken cancellationToken);

/// <summary>
/// The receiver: one POST endpoint that reads the body with a bound, verifies it, deduplicates by
/// request id and hands the result to a <see cref="DeliveryHandler"/>. Baseten retries only 500,
/// 502, 503 and 504 (twice in all, 10 seconds each), so the answers are: 200 for a result handled now
/// or before; 401 for a signature or time that does not verify, 413 for a body over the limit, 400
/// for signed JSON that is not a result (none of which a retry would fix); 500 when the handler
/// throws and 503 when another delivery of the same id is still being handled past the wait (both
/// worth Baseten's retry).
/// </summary>
internal static class ReceiverApp
{
    /// <summary>How long a repeated delivery waits for the first one's handler before answering 503.</summary>
    public static readonly TimeSpan DuplicateWait = TimeSpan.FromSeconds(5);

    /// <exception cref="ReceiverConfigurationException">A setting is missing or not valid.</exception>
    public static WebApplication Build(string[] args, DeliveryHandler handler, TimeProvider? timeProvider = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
        ReceiverSettings settings = ReceiverSettings.Read(builder.Configuration);
        TimeProvider clock = timeProvider ?? TimeProvider.System;
        var verifier = new WebhookVerifier(settings.VerifierOptions(clock));
        var ledger = new DeliveryLedger(clock, 2 * settings.Tolerance, settings.DedupCapacity);

        builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(ledger);

        WebApplication app = builder.Build();
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Baseten.Aot.WebhookReceiver");
        app.MapPost(settings.Path, context => ReceiveAsync(context, verifier, ledger, handler, clock, logger));
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (string address in app.Urls)
            {
                ReceiverLog.Listening(logger, address, settings.Path);
            }
        });
        return app;
    }

    private static async Task ReceiveAsync(HttpContext context, WebhookVerifier verifier, DeliveryLedger ledger, DeliveryHandler handler, TimeProvider clock, ILogger logger)
    {
        CancellationToken aborted = context.RequestAborted;
        if (context.Request.ContentLength > verifier.MaxBodyBytes)
        {
            await AnswerAsync(context, StatusCodes.Status413PayloadTooLarge, WebhookFailureReason.BodyTooLarge.ToString());
            return;
        }

        // The verifier stops reading at its own limit; Kestrel's (30 MB by default) is only raised to
        // let it get there, not lowered: what is left of a refused body is drained within Kestrel's,
        // so the sender reads the 413 instead of a reset connection.
        IHttpMaxRequestBodySizeFeature? limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is { IsReadOnly: false } && limit.MaxRequestBodySize < verifier.MaxBodyBytes + 1L)
        {
            limit.MaxRequestBodySize = verifier.MaxBodyBytes + 1L;
        }

        WebhookVerification verification;
        try
        {
            string? header = context.Request.Headers.TryGetValue(WebhookVerifier.SignatureHeaderName, out var values) ? values.ToString() : null;
            verification = await verifier.TryVerifyAsync(context.Request.Body, header, aborted);
        }
        catch (IOException)
        {
            // The sender went away or sent a broken body: nobody to answer.
            context.Abort();
            return;
        }

        if (!verification.Succeeded)
        {
            // The reason only: the header and body came from whoever sent them.
            ReceiverLog.Refused(logger, context.Connection.RemoteIpAddress, verification.Reason);
            int status = verification.Reason switch
            {
                WebhookFailureReason.BodyTooLarge => StatusCodes.Status413PayloadTooLarge,
                WebhookFailureReason.NotJson or WebhookFailureReason.InvalidPayload => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status401Unauthorized,
            };
            await AnswerAsync(context, status, verification.Reason.ToString());
            return;
        }

        AsyncPredictResult result = verification.Result;
        while (true)
        {
            switch (ledger.TryClaim(result.RequestId, out Task<bool>? outcome))
            {
                case DeliveryLedger.Claim.AlreadyHandled:
                    await AnswerAsync(context, StatusCodes.Status200OK, "already handled");
                    return;

                case DeliveryLedger.Claim.InProgress:
                    bool handled;
                    try
                    {
                        Task<bool> wait = outcome!.WaitAsync(DuplicateWait, clock, aborted);
                        ledger.OnWaiting(result.RequestId);
                        handled = await wait;
                    }
                    catch (TimeoutException)
                    {
                        await AnswerAsync(context, StatusCodes.Status503ServiceUnavailable, "still being handled");
                        return;
                    }

                    if (handled)
                    {
                        await AnswerAsync(context, StatusCodes.Status200OK, "already handled");
                        return;
                    }

                    // The first delivery's handler failed and let go: this one tries.
                    continue;

                default:
                    try
                    {
                        await handler(result, logger, aborted);
                    }
                    catch (Exception exception)
                    {
                        ledger.Abandon(result.RequestId);
                        if (aborted.IsCancellationRequested)
                        {
                            return;
                        }

                        ReceiverLog.HandlerFailed(logger, result.RequestId, exception.GetType().Name, exception.Message);
                        await AnswerAsync(context, StatusCodes.Status500InternalServerError, "handler failed");
                        return;
                    }

                    ledger.Complete(result.RequestId);
                    await AnswerAsync(context, StatusCodes.Status200OK, "handled");
                    return;
            }
        }
    }

    private static Task AnswerAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }
}
