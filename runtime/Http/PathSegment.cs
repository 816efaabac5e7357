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
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, <c>.</c> or <c>..</c>.</exception>
    public static string Escape(string value, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (value.Length == 0 || value == "." || value == "..")
        {
            throw new ArgumentException("A path parameter cannot be empty, '.' or '..'.", parameterName);
        }

        return Uri.EscapeDataString(value);
    }
}
