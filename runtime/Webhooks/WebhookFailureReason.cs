namespace Baseten.Aot.Webhooks;

/// <summary>
/// Why a webhook delivery was refused. <see cref="WebhookVerifier"/> checks in this order: the header is
/// there, the body's size, the header's form, the signature, the JSON, the payload, then the time. A
/// receiver answers every one of them with a 4xx (Baseten retries only 500, 502, 503 and 504, and a
/// retry would not change any of them).
/// </summary>
public enum WebhookFailureReason
{
    /// <summary>Not a failure: the delivery is verified.</summary>
    None = 0,

    /// <summary>
    /// No <c>X-BASETEN-SIGNATURE</c> header, or an empty one. Baseten sends it only while the
    /// workspace has a webhook secret; without one, deliveries cannot be told from forgeries.
    /// </summary>
    MissingSignature,

    /// <summary>
    /// The header is not a comma-separated list of <c>v1=&lt;64 hex digits&gt;</c> entries (entries of
    /// another scheme, <c>name=value</c>, are skipped), holds no <c>v1</c> entry, or is longer than
    /// <see cref="WebhookVerifier.MaxSignatureHeaderLength"/> characters or
    /// <see cref="WebhookVerifier.MaxSignatureEntries"/> entries.
    /// </summary>
    MalformedSignature,

    /// <summary>
    /// No <c>v1</c> entry is the HMAC-SHA256 of the body under any of the secrets: a forged or altered
    /// body, a tampered header, or a secret the verifier was not given (after a rotation, say).
    /// </summary>
    NoMatchingSignature,

    /// <summary>The payload's <c>time</c> is more than the tolerance before now: a stale delivery or a replay.</summary>
    TooOld,

    /// <summary>The payload's <c>time</c> is more than the tolerance after now: a clock far off, or a forgery made to outlive the window.</summary>
    FromTheFuture,

    /// <summary>The body is longer than <see cref="WebhookVerifierOptions.MaxBodyBytes"/>; it is neither hashed nor parsed.</summary>
    BodyTooLarge,

    /// <summary>The body is correctly signed but is not one JSON value in UTF-8 (or nests deeper than 64 levels).</summary>
    NotJson,

    /// <summary>
    /// The body is correctly signed JSON but not an async predict result: not an object, no string
    /// <c>request_id</c>, no <c>time</c> with a date and time, a property given twice, or a field of the
    /// wrong type (<c>errors</c> not a list of <c>{"code", "message"}</c> objects, say).
    /// </summary>
    InvalidPayload,
}
