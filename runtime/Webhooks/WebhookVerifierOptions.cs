using System;
using System.Collections.Generic;

namespace Baseten.Aot.Webhooks;

/// <summary>What a <see cref="WebhookVerifier"/> checks deliveries with.</summary>
public sealed class WebhookVerifierOptions
{
    /// <summary>
    /// The workspace's webhook secrets (<c>whsec_...</c>, from Baseten's Secrets tab), each used whole
    /// as the HMAC key. Give both while Baseten rotates a secret (the old one stays valid for 24 hours
    /// and Baseten signs with each): a delivery passes when any <c>v1</c> entry matches any secret.
    /// </summary>
    public IList<string> Secrets { get; } = new List<string>();

    /// <summary>The clock the payload's <c>time</c> is checked against; <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// How far the payload's <c>time</c> may be from now, either way (Baseten's guide uses 300 seconds,
    /// the default). Must be positive.
    /// </summary>
    public TimeSpan Tolerance { get; set; } = WebhookVerifier.DefaultTolerance;

    /// <summary>
    /// The largest body verified, in bytes (<see cref="WebhookVerifier.DefaultMaxBodyBytes"/>, 16 MiB,
    /// by default): a longer one is <see cref="WebhookFailureReason.BodyTooLarge"/>, and the stream
    /// overloads stop reading past it. Baseten documents no limit on a result's size, so raise it for a
    /// model with larger outputs: a delivery refused for its size is lost.
    /// </summary>
    public int MaxBodyBytes { get; set; } = WebhookVerifier.DefaultMaxBodyBytes;
}
