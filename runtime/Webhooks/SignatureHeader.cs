using System;

namespace Baseten.Aot.Webhooks;

/// <summary>
/// Reads <c>X-BASETEN-SIGNATURE</c>: comma-separated <c>scheme=value</c> entries, of which the
/// <c>v1</c> ones (one per active secret) are 64 hex digits, an HMAC-SHA256. Bounded in length and
/// entries, so a hostile header costs nothing; throws nothing.
/// </summary>
internal static class SignatureHeader
{
    public const int SignatureLength = 32;

    /// <summary>
    /// Decodes every <c>v1</c> entry into <paramref name="signatures"/> (room for
    /// <see cref="WebhookVerifier.MaxSignatureEntries"/>); false when the header is malformed or has none.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> header, Span<byte> signatures, out int count)
    {
        count = 0;
        if (header.Length > WebhookVerifier.MaxSignatureHeaderLength)
        {
            return false;
        }

        int entries = 0;
        while (true)
        {
            int comma = header.IndexOf(',');
            ReadOnlySpan<char> entry = (comma < 0 ? header : header[..comma]).Trim(" \t");
            if (++entries > WebhookVerifier.MaxSignatureEntries || !TryEntry(entry, signatures, ref count))
            {
                return false;
            }

            if (comma < 0)
            {
                return count > 0;
            }

            header = header[(comma + 1)..];
        }
    }

    private static bool TryEntry(ReadOnlySpan<char> entry, Span<byte> signatures, ref int count)
    {
        int equals = entry.IndexOf('=');
        if (equals <= 0 || equals == entry.Length - 1)
        {
            return false;
        }

        ReadOnlySpan<char> scheme = entry[..equals];
        ReadOnlySpan<char> value = entry[(equals + 1)..];
        if (scheme.SequenceEqual("v1"))
        {
            return value.Length == SignatureLength * 2 && TryDecodeHex(value, signatures.Slice(count++ * SignatureLength, SignatureLength));
        }

        // Another scheme (a later version Baseten may add beside v1) is skipped, if it is a plain token.
        foreach (char c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        foreach (char c in value)
        {
            if (c <= ' ' || c > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryDecodeHex(ReadOnlySpan<char> hex, Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            int high = HexValue(hex[2 * i]);
            int low = HexValue(hex[(2 * i) + 1]);
            if ((high | low) < 0)
            {
                return false;
            }

            destination[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
