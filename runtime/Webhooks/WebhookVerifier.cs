using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Webhooks;

/// <summary>
/// Verifies the deliveries Baseten posts to an <c>async_predict</c>'s <c>webhook_endpoint</c>: the
/// <c>X-BASETEN-SIGNATURE</c> header holds one <c>v1=&lt;hex&gt;</c> entry per active webhook secret,
/// each the HMAC-SHA256 of the whole raw body keyed with that secret. A delivery passes when any entry
/// matches any secret (compared in constant time), and its <c>time</c> is within the tolerance of now.
/// Thread-safe; make one and keep it.
/// </summary>
/// <remarks>
/// For any body and header, <see cref="TryVerify(ReadOnlySpan{byte}, string?)"/> returns a reason and
/// <see cref="Verify(ReadOnlySpan{byte}, string?)"/> throws only <see cref="WebhookVerificationException"/>:
/// the header is bounded (<see cref="MaxSignatureHeaderLength"/>, <see cref="MaxSignatureEntries"/>), the body
/// by <see cref="WebhookVerifierOptions.MaxBodyBytes"/>, JSON nesting at 64. The signature is checked
/// before the body is parsed, so nothing unsigned is read as JSON. The secrets are held as key bytes
/// only and never appear in a message or <see cref="object.ToString"/>.
/// </remarks>
public sealed class WebhookVerifier
{
    /// <summary>The header Baseten signs deliveries in.</summary>
    public const string SignatureHeaderName = "X-BASETEN-SIGNATURE";

    /// <summary>The longest signature header read, in characters; a longer one is <see cref="WebhookFailureReason.MalformedSignature"/>.</summary>
    public const int MaxSignatureHeaderLength = 2048;

    /// <summary>The most comma-separated entries read from the signature header; more is <see cref="WebhookFailureReason.MalformedSignature"/>.</summary>
    public const int MaxSignatureEntries = 16;

    /// <summary>The largest body verified unless the options say otherwise: 16 MiB.</summary>
    public const int DefaultMaxBodyBytes = 16 * 1024 * 1024;

    private const int HashLength = SignatureHeader.SignatureLength;

    private readonly byte[][] _keys;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a verifier with these secrets and the defaults: the system clock, 300 s either way, 16 MiB.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="secrets"/> is null.</exception>
    /// <exception cref="ArgumentException">There is no secret, or one is null, empty or blank.</exception>
    public WebhookVerifier(params string[] secrets)
        : this(Options(secrets))
    {
    }

    /// <summary>Creates a verifier from options.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or its time provider is null.</exception>
    /// <exception cref="ArgumentException">There is no secret, or one is null, empty or blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The tolerance is not positive, or the body limit is not between 1 and <see cref="Array.MaxLength"/> - 1.</exception>
    public WebhookVerifier(WebhookVerifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options) + "." + nameof(options.TimeProvider));
        if (options.Tolerance <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The tolerance must be positive.");
        }

        if (options.MaxBodyBytes <= 0 || options.MaxBodyBytes >= Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"MaxBodyBytes must be between 1 and {Array.MaxLength - 1}.");
        }

        if (options.Secrets.Count == 0)
        {
            throw new ArgumentException("At least one webhook secret is needed.", nameof(options));
        }

        var keys = new List<byte[]>(options.Secrets.Count);
        for (int i = 0; i < options.Secrets.Count; i++)
        {
            // Only the position is named: the value is a secret.
            string? secret = options.Secrets[i];
            if (string.IsNullOrWhiteSpace(secret))
            {
                throw new ArgumentException($"Webhook secret {i} is null, empty or blank.", nameof(options));
            }

            keys.Add(Encoding.UTF8.GetBytes(secret));
        }

        _keys = [.. keys];
        _timeProvider = options.TimeProvider;
        Tolerance = options.Tolerance;
        MaxBodyBytes = options.MaxBodyBytes;
    }

    /// <summary>The default tolerance for the payload's <c>time</c>, either way: 300 seconds, as in Baseten's guide.</summary>
    public static TimeSpan DefaultTolerance { get; } = TimeSpan.FromSeconds(300);

    /// <summary>How far the payload's <c>time</c> may be from now, either way.</summary>
    public TimeSpan Tolerance { get; }

    /// <summary>The largest body verified, in bytes.</summary>
    public int MaxBodyBytes { get; }

    /// <summary>
    /// Verifies a delivery: its raw body, exactly as received, and the value of its
    /// <c>X-BASETEN-SIGNATURE</c> header (null when absent). Never throws.
    /// </summary>
    public WebhookVerification TryVerify(ReadOnlySpan<byte> body, string? signatureHeader)
    {
        if (string.IsNullOrEmpty(signatureHeader))
        {
            return WebhookVerification.Refused(WebhookFailureReason.MissingSignature);
        }

        if (body.Length > MaxBodyBytes)
        {
            return WebhookVerification.Refused(WebhookFailureReason.BodyTooLarge);
        }

        Span<byte> signatures = stackalloc byte[MaxSignatureEntries * HashLength];
        if (!SignatureHeader.TryParse(signatureHeader, signatures, out int count))
        {
            return WebhookVerification.Refused(WebhookFailureReason.MalformedSignature);
        }

        if (!AnyMatches(body, signatures[..(count * HashLength)]))
        {
            return WebhookVerification.Refused(WebhookFailureReason.NoMatchingSignature);
        }

        WebhookFailureReason reason = AsyncPredictResultReader.Read(body, out AsyncPredictResult? result);
        if (result is null)
        {
            return WebhookVerification.Refused(reason);
        }

        TimeSpan age = _timeProvider.GetUtcNow() - result.Time;
        return age > Tolerance ? WebhookVerification.Refused(WebhookFailureReason.TooOld)
            : age < -Tolerance ? WebhookVerification.Refused(WebhookFailureReason.FromTheFuture)
            : WebhookVerification.Verified(result);
    }

    /// <summary>As <see cref="TryVerify(ReadOnlySpan{byte}, string?)"/>, throwing when the delivery is refused.</summary>
    /// <exception cref="WebhookVerificationException">The delivery is refused; <see cref="WebhookVerificationException.Reason"/> says why.</exception>
    public AsyncPredictResult Verify(ReadOnlySpan<byte> body, string? signatureHeader)
    {
        WebhookVerification verification = TryVerify(body, signatureHeader);
        return verification.Result ?? throw new WebhookVerificationException(verification.Reason);
    }

    /// <summary>
    /// Reads a delivery's body from a stream (an HTTP request's) and verifies it. Reads at most
    /// <see cref="MaxBodyBytes"/> + 1 bytes: a longer body is <see cref="WebhookFailureReason.BodyTooLarge"/>
    /// and the rest is left unread. The stream is not disposed.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="IOException">Reading the stream failed (the sender went away, say).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<WebhookVerification> TryVerifyAsync(Stream body, string? signatureHeader, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrEmpty(signatureHeader))
        {
            return WebhookVerification.Refused(WebhookFailureReason.MissingSignature);
        }

        int limit = MaxBodyBytes + 1;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit, 16 * 1024));
        try
        {
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length == limit)
                    {
                        break;
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit, 2L * buffer.Length));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length >= limit)
                {
                    return WebhookVerification.Refused(WebhookFailureReason.BodyTooLarge);
                }
            }

            return TryVerify(buffer.AsSpan(0, length), signatureHeader);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>As <see cref="TryVerifyAsync(Stream, string?, CancellationToken)"/>, throwing when the delivery is refused.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <exception cref="WebhookVerificationException">The delivery is refused; <see cref="WebhookVerificationException.Reason"/> says why.</exception>
    /// <exception cref="IOException">Reading the stream failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<AsyncPredictResult> VerifyAsync(Stream body, string? signatureHeader, CancellationToken cancellationToken = default)
    {
        WebhookVerification verification = await TryVerifyAsync(body, signatureHeader, cancellationToken).ConfigureAwait(false);
        return verification.Result ?? throw new WebhookVerificationException(verification.Reason);
    }

    /// <inheritdoc/>
    public override string ToString() => $"WebhookVerifier ({_keys.Length} secret(s), tolerance {Tolerance}, at most {MaxBodyBytes} bytes)";

    private static WebhookVerifierOptions Options(string[] secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var options = new WebhookVerifierOptions();
        foreach (string secret in secrets)
        {
            options.Secrets.Add(secret);
        }

        return options;
    }

    // Every secret against every entry, with no early exit: how long it takes says nothing about
    // which entry matched or how much of one did.
    private bool AnyMatches(ReadOnlySpan<byte> body, ReadOnlySpan<byte> signatures)
    {
        Span<byte> expected = stackalloc byte[HashLength];
        bool matched = false;
        foreach (byte[] key in _keys)
        {
            HMACSHA256.HashData(key, body, expected);
            for (int offset = 0; offset < signatures.Length; offset += HashLength)
            {
                matched |= CryptographicOperations.FixedTimeEquals(expected, signatures.Slice(offset, HashLength));
            }
        }

        CryptographicOperations.ZeroMemory(expected);
        return matched;
    }
}
