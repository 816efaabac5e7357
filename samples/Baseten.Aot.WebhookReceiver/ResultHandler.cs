using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Webhooks;
using Microsoft.Extensions.Logging;

namespace Baseten.Aot.WebhookReceiver;

/// <summary>
/// Your code: what to do with a verified result. It runs once per request id (a delivery Baseten
/// repeats is answered without calling it again). Return when the result is safe (stored, queued);
/// throw to have the delivery answered 500, which Baseten retries once, about 2 seconds later.
/// Baseten waits 10 seconds per attempt: hand long work to a queue rather than doing it here.
/// </summary>
internal static class ResultHandler
{
    public static Task HandleAsync(AsyncPredictResult result, ILogger logger, CancellationToken cancellationToken)
    {
        if (!result.Succeeded)
        {
            ReceiverLog.HandledFailure(logger, result.RequestId, result.Errors[0].Code.Value);
            return Task.CompletedTask;
        }

        // Replace JsonElement with your model's output type, declared in ReceiverJson below.
        JsonElement output = result.ReadData(ReceiverJson.Default.JsonElement);
        ReceiverLog.Handled(logger, result.RequestId, output.ValueKind.ToString(), result.DeploymentId);
        return Task.CompletedTask;
    }
}

/// <summary>The JSON metadata of your model's output, generated at build time: no reflection in the native binary.</summary>
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ReceiverJson : JsonSerializerContext;
