using System;
using System.ComponentModel;

namespace Baseten.Aot.Http;

/// <summary>Escapes path parameters for generated clients.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PathSegment
{
    /// <summary>
    /// Escapes <paramref name="value"/> as one path segment: <c>abc/def</c> becomes <c>abc%2Fdef</c>.
    /// Empty values and the dot segments <c>.</c> and <c>..</c> are refused: a URL normalizer would
    /// drop or climb over them and send the request to another resource.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, <c>.</c> or <c>..</c>, or holds a lone surrogate.</exception>
    public static string Escape(string value, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (value.Length == 0 || value == "." || value == "..")
        {
            throw new ArgumentException("A path parameter cannot be empty, '.' or '..'.", parameterName);
        }

        // Half of a UTF-16 pair has no UTF-8 form: escaped, it would become U+FFFD, and "a\uD800"
        // would name the same resource as "a\uDBFF" or "a\uFFFD".
        if (HasLoneSurrogate(value))
        {
            throw new ArgumentException("A path parameter cannot hold a lone surrogate (half of a UTF-16 pair): it has no UTF-8 form, and would be sent as U+FFFD.", parameterName);
        }

        return Uri.EscapeDataString(value);
    }

    private static bool HasLoneSurrogate(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }
}
