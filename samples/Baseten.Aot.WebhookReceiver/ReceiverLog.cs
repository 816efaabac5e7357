using System.Net;
using Baseten.Aot.Webhooks;
using Microsoft.Extensions.Logging;

namespace Baseten.Aot.WebhookReceiver;

/// <summary>
/// Every line the receiver logs, source-generated. None takes a header, a body or a setting's value:
/// what a sender chose to send is never written out, and a secret never is.
/// </summary>
internal static partial class ReceiverLog
{
    [LoggerMessage(1, LogLevel.Information, "Listening on {Address}{Path}")]
    public static partial void Listening(ILogger logger, string address, string path);

    [LoggerMessage(2, LogLevel.Warning, "Refused a delivery from {Remote}: {Reason}")]
    public static partial void Refused(ILogger logger, IPAddress? remote, WebhookFailureReason reason);

    [LoggerMessage(3, LogLevel.Error, "Handling {RequestId} failed: {ExceptionType}: {ExceptionMessage}")]
    public static partial void HandlerFailed(ILogger logger, string requestId, string exceptionType, string exceptionMessage);

    [LoggerMessage(4, LogLevel.Information, "Handled {RequestId}: {Kind} output from deployment {DeploymentId}")]
    public static partial void Handled(ILogger logger, string requestId, string kind, string? deploymentId);

    [LoggerMessage(5, LogLevel.Warning, "Handled {RequestId}: the model failed with {Code}")]
    public static partial void HandledFailure(ILogger logger, string requestId, string code);
}
