using System.Diagnostics.CodeAnalysis;

namespace Baseten.Aot.Webhooks;

/// <summary>
/// What <see cref="WebhookVerifier.TryVerify(System.ReadOnlySpan{byte}, string?)"/> found: the verified
/// <see cref="Result"/>, or the <see cref="Reason"/> the delivery was refused.
/// </summary>
public sealed class WebhookVerification
{
    private WebhookVerification(WebhookFailureReason reason, AsyncPredictResult? result)
    {
        Reason = reason;
        Result = result;
    }

    /// <summary>Whether the delivery is verified; <see cref="Result"/> is then set.</summary>
    [MemberNotNullWhen(true, nameof(Result))]
    public bool Succeeded => Result is not null;

    /// <summary><see cref="WebhookFailureReason.None"/> when verified, else why the delivery was refused.</summary>
    public WebhookFailureReason Reason { get; }

    /// <summary>The verified async predict result; null when the delivery was refused.</summary>
    public AsyncPredictResult? Result { get; }

    /// <summary>One sentence on <see cref="Reason"/>; never holds a secret, the header or the body.</summary>
    public string Message => Describe(Reason);

    /// <inheritdoc/>
    public override string ToString() => Succeeded ? $"verified: {Result}" : $"refused ({Reason}): {Message}";

    internal static WebhookVerification Verified(AsyncPredictResult result) => new(WebhookFailureReason.None, result);

    internal static WebhookVerification Refused(WebhookFailureReason reason) => new(reason, null);

    internal static string Describe(WebhookFailureReason reason) => reason switch
    {
        WebhookFailureReason.None => "The webhook delivery is verified.",
        WebhookFailureReason.MissingSignature => "The webhook delivery has no X-BASETEN-SIGNATURE header (Baseten sends one only while the workspace has a webhook secret).",
        WebhookFailureReason.MalformedSignature => "The X-BASETEN-SIGNATURE header is not a list of v1=<64 hex digits> entries, has no v1 entry, or is too long.",
        WebhookFailureReason.NoMatchingSignature => "No v1 signature in the X-BASETEN-SIGNATURE header matches the body under any of the webhook secrets.",
        WebhookFailureReason.TooOld => "The webhook delivery's time is older than the tolerance allows: stale, or a replay.",
        WebhookFailureReason.FromTheFuture => "The webhook delivery's time is further in the future than the tolerance allows.",
        WebhookFailureReason.BodyTooLarge => "The webhook delivery's body is larger than the verifier's limit (WebhookVerifierOptions.MaxBodyBytes).",
        WebhookFailureReason.NotJson => "The webhook delivery is correctly signed but its body is not JSON in UTF-8.",
        WebhookFailureReason.InvalidPayload => "The webhook delivery is correctly signed JSON but not an async predict result (request_id and time are required; errors must be a list of code and message objects).",
        _ => "The webhook delivery was refused.",
    };
}
