using System;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Baseten.Aot;

/// <summary>
/// Reads the numbers of one JSON array of floats (an embedding in a float answer) straight from the
/// bytes. A profile of a 100,000-input job showed nine tenths of its CPU in Utf8JsonReader's
/// per-token work and in the general decimal parser, one number at a time; here the array is
/// scanned once, each number checked against JSON's grammar, and the common numbers (at most 19
/// significant digits, a power of ten within 10^±22) converted with one exact double operation.
/// Every other number goes to the same parser Utf8JsonReader uses, so the values are the same
/// float bit for bit.
/// </summary>
internal static class JsonFloatArray
{
    private const string NotANumber = "An embedding holds something other than a number.";

    // 10^0 .. 10^22: every one is a double exactly, so m * 10^k and m / 10^k round once.
    private static readonly double[] s_powersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// How many values the array holds, for the first vector of an answer, whose width is not known
    /// yet: the commas before the closing bracket, plus one. Numbers hold neither ',' nor ']', so
    /// this is exact for a well-formed array; a malformed one fails in <see cref="Read"/> afterwards.
    /// </summary>
    /// <param name="text">The bytes after the array's '['.</param>
    public static int Count(ReadOnlySpan<byte> text)
    {
        int close = text.IndexOf((byte)']');
        if (close < 0)
        {
            throw new JsonException("The answer ends early.");
        }

        ReadOnlySpan<byte> inside = text[..close];
        return inside.TrimStart(" \t\r\n"u8).IsEmpty ? 0 : inside.Count((byte)',') + 1;
    }

    /// <summary>
    /// Reads the array's numbers into <paramref name="destination"/>, which must be exactly filled.
    /// </summary>
    /// <param name="text">The bytes after the array's '['.</param>
    /// <param name="destination">Where the values go; the array must hold exactly this many.</param>
    /// <param name="dimensions">The expected width, for the error message.</param>
    /// <returns>The offset in <paramref name="text"/> of the closing ']'.</returns>
    /// <exception cref="JsonException">The array is malformed, holds something other than numbers, or is not exactly as long as <paramref name="destination"/>.</exception>
    public static int Read(ReadOnlySpan<byte> text, Span<float> destination, int dimensions)
    {
        int i = SkipWhiteSpace(text, 0);
        int filled = 0;
        if (At(text, i) == ']')
        {
            return destination.Length == 0 ? i : throw NotAllLong(dimensions);
        }

        while (true)
        {
            if (filled == destination.Length)
            {
                throw NotAllLong(dimensions);
            }

            destination[filled++] = Number(text, ref i);
            i = SkipWhiteSpace(text, i);
            byte next = At(text, i);
            if (next == ',')
            {
                i = SkipWhiteSpace(text, i + 1);
                continue;
            }

            if (next == ']')
            {
                return filled == destination.Length ? i : throw NotAllLong(dimensions);
            }

            throw new JsonException(NotANumber);
        }
    }

    // One number per JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    private static float Number(ReadOnlySpan<byte> text, ref int i)
    {
        int start = i;
        bool negative = At(text, i) == '-';
        if (negative)
        {
            i++;
        }

        ulong mantissa = 0;
        int digits = 0;
        int scale = 0;
        bool exact = true;
        byte first = At(text, i);
        if (first == '0')
        {
            i++;
        }
        else if (first is >= (byte)'1' and <= (byte)'9')
        {
            while (i < text.Length && text[i] - (uint)'0' <= 9)
            {
                Accumulate(text[i++], ref mantissa, ref digits, ref scale, ref exact, fraction: false);
            }
        }
        else
        {
            throw new JsonException(NotANumber);
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (At(text, i) - (uint)'0' > 9)
            {
                throw new JsonException(NotANumber);
            }

            while (i < text.Length && text[i] - (uint)'0' <= 9)
            {
                Accumulate(text[i++], ref mantissa, ref digits, ref scale, ref exact, fraction: true);
            }
        }

        if (i < text.Length && (text[i] | 0x20) == 'e')
        {
            i++;
            bool negativeExponent = false;
            if (At(text, i) is (byte)'+' or (byte)'-')
            {
                negativeExponent = text[i] == '-';
                i++;
            }

            if (At(text, i) - (uint)'0' > 9)
            {
                throw new JsonException(NotANumber);
            }

            int exponent = 0;
            while (i < text.Length && text[i] - (uint)'0' <= 9)
            {
                // Past this the number is far outside float's range; the general parser decides.
                if (exponent < 100_000)
                {
                    exponent = (exponent * 10) + (text[i] - '0');
                }

                i++;
            }

            scale += negativeExponent ? -exponent : exponent;
        }

        if (exact && mantissa <= (1UL << 53) && scale is >= -22 and <= 22)
        {
            // m and 10^|scale| are exact doubles, so d is the double nearest the number. Float's
            // rounding of d equals float's rounding of the number unless d sits exactly halfway
            // between two floats (then the number may lie either side of it): left to the general parser.
            double d = scale < 0 ? mantissa / s_powersOfTen[-scale] : mantissa * s_powersOfTen[scale];
            if ((BitConverter.DoubleToInt64Bits(d) & 0x1FFF_FFFF) != 0x1000_0000)
            {
                float value = (float)d;
                return negative ? -value : value;
            }
        }

        ReadOnlySpan<byte> token = text[start..i];
        if (!Utf8Parser.TryParse(token, out float parsed, out int consumed) || consumed != token.Length || !float.IsFinite(parsed))
        {
            throw new JsonException(NotANumber);
        }

        return parsed;
    }

    // Significant digits into the mantissa while it has room (19 always fit a ulong); a fraction's
    // digit scales it down by ten. Leading zeros are not significant. Inlined, as At is: as calls
    // they took a third of the job's CPU in a profile.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(byte digit, ref ulong mantissa, ref int digits, ref int scale, ref bool exact, bool fraction)
    {
        if (mantissa == 0 && digit == '0')
        {
            scale -= fraction ? 1 : 0;
            return;
        }

        if (digits == 19)
        {
            exact = false;
            return;
        }

        mantissa = (mantissa * 10) + (uint)(digit - '0');
        digits++;
        scale -= fraction ? 1 : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte At(ReadOnlySpan<byte> text, int i)
    {
        if ((uint)i >= (uint)text.Length)
        {
            EndsEarly();
        }

        return text[i];
    }

    [DoesNotReturn]
    private static void EndsEarly() => throw new JsonException("The answer ends early.");

    private static int SkipWhiteSpace(ReadOnlySpan<byte> text, int i)
    {
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }

    private static JsonException NotAllLong(int dimensions) => new("The embeddings are not all " + dimensions + " long.");
}
