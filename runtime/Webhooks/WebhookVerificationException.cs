using System;

namespace Baseten.Aot.Webhooks;

/// <summary>
/// A webhook delivery failed verification: what <see cref="WebhookVerifier.Verify(ReadOnlySpan{byte}, string?)"/>
/// throws, and the only exception it throws for any body and header. <see cref="Reason"/> says why;
/// the message never holds a secret, the header or the body.
/// </summary>
public sealed class WebhookVerificationException : Exception
{
    /// <summary>Creates an exception for a reason, with the reason's standard message.</summary>
    public WebhookVerificationException(WebhookFailureReason reason)
        : base(WebhookVerification.Describe(reason))
    {
        Reason = reason;
    }

    /// <summary>Creates an exception with a message only; <see cref="Reason"/> is <see cref="WebhookFailureReason.None"/>.</summary>
    public WebhookVerificationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause; <see cref="Reason"/> is <see cref="WebhookFailureReason.None"/>.</summary>
    public WebhookVerificationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with a message only; <see cref="Reason"/> is <see cref="WebhookFailureReason.None"/>.</summary>
    public WebhookVerificationException()
        : base(WebhookVerification.Describe(WebhookFailureReason.None))
    {
    }

    /// <summary>Why the delivery was refused.</summary>
    public WebhookFailureReason Reason { get; }
}
