using System;
using System.Collections.Generic;

namespace Baseten.Aot.Http;

// RFC 8288 Link header values: `<target>; name=value; name="quoted"` links, several to a value and
// several values to a response. Only the target of rel="next" is wanted, so nothing else is kept.
internal static class LinkHeader
{
    /// <summary>
    /// The target of the first link whose <c>rel</c> holds <c>next</c> (relation types compare
    /// case-insensitively, and one <c>rel</c> may list several, space-separated), or null for none.
    /// </summary>
    /// <exception cref="FormatException">A value is not a list of links. The message never quotes the value: its URLs may carry a credential.</exception>
    public static string? FindNext(IEnumerable<string> values)
    {
        string? next = null;
        foreach (string value in values)
        {
            string? found = FindNext(value);
            next ??= found;
        }

        return next;
    }

    /// <inheritdoc cref="FindNext(IEnumerable{string})"/>
    public static string? FindNext(string value)
    {
        string? next = null;
        int i = 0;
        while (true)
        {
            // Empty list elements (", ,") are allowed by the list syntax of RFC 9110.
            while (i < value.Length && (IsSpace(value[i]) || value[i] == ','))
            {
                i++;
            }

            if (i == value.Length)
            {
                return next;
            }

            if (value[i] != '<')
            {
                throw new FormatException("A link does not start with '<' at character " + i + ".");
            }

            // The target ends at the first '>': a URI reference cannot hold one, but may hold commas and semicolons.
            int close = value.IndexOf('>', i + 1);
            if (close < 0)
            {
                throw new FormatException("A link's '<' at character " + i + " has no closing '>'.");
            }

            string target = value.Substring(i + 1, close - i - 1).Trim();
            i = close + 1;
            string? rel = null;
            while (true)
            {
                SkipSpace(value, ref i);
                if (i == value.Length || value[i] == ',')
                {
                    break;
                }

                if (value[i] != ';')
                {
                    throw new FormatException("Expected ';' or ',' after a link at character " + i + ".");
                }

                i++;
                SkipSpace(value, ref i);
                string name = Token(value, ref i, "parameter name");
                SkipSpace(value, ref i);
                string? parameter = null;
                if (i < value.Length && value[i] == '=')
                {
                    i++;
                    SkipSpace(value, ref i);
                    parameter = i < value.Length && value[i] == '"' ? Quoted(value, ref i) : Token(value, ref i, "parameter value");
                }

                // RFC 8288 3.3: occurrences of rel after the first are ignored.
                if (rel is null && string.Equals(name, "rel", StringComparison.OrdinalIgnoreCase))
                {
                    rel = parameter ?? string.Empty;
                }
            }

            if (next is null && rel is not null && HasNext(rel))
            {
                next = target;
            }
        }
    }

    private static bool HasNext(string rel)
    {
        foreach (string type in rel.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(type, "next", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t';

    private static void SkipSpace(string value, ref int i)
    {
        while (i < value.Length && IsSpace(value[i]))
        {
            i++;
        }
    }

    // An RFC 9110 token: visible ASCII but the delimiters.
    private static string Token(string value, ref int i, string what)
    {
        int start = i;
        while (i < value.Length && value[i] > ' ' && value[i] < 0x7F && "\"(),/:;<=>?@[\\]{}".IndexOf(value[i], StringComparison.Ordinal) < 0)
        {
            i++;
        }

        if (i == start)
        {
            throw new FormatException("Expected a " + what + " at character " + start + ".");
        }

        return value.Substring(start, i - start);
    }

    // An RFC 9110 quoted-string: a backslash takes the next character as it is.
    private static string Quoted(string value, ref int i)
    {
        int start = i;
        var text = new System.Text.StringBuilder();
        i++;
        while (i < value.Length)
        {
            char c = value[i++];
            if (c == '"')
            {
                return text.ToString();
            }

            if (c == '\\')
            {
                if (i == value.Length)
                {
                    break;
                }

                c = value[i++];
            }

            text.Append(c);
        }

        throw new FormatException("The quoted string at character " + start + " has no closing quote.");
    }
}
