using System;
using System.Collections.Generic;
using System.Text;

namespace Baseten.Aot.Generator.Shaping;

/// <summary>
/// How spec names become C# identifiers. Deterministic: the same spec always yields the same
/// names, whatever the machine's culture.
/// </summary>
internal static class NameRules
{
    private static readonly HashSet<string> s_keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit",
        "extern", "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int",
        "interface", "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out",
        "override", "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed",
        "short", "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try",
        "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
        // Contextual keywords that cannot name a parameter of an async method or iterator.
        "await", "yield",
    };

    private static readonly HashSet<string> s_articles = new(StringComparer.OrdinalIgnoreCase) { "a", "an", "the" };

    /// <summary><c>instance_type_id</c> -> <c>InstanceTypeId</c>; <c>SCALE_TO_ZERO</c> -> <c>ScaleToZero</c>.</summary>
    public static string ToPascalCase(string text, string fallback)
    {
        var builder = new StringBuilder(text.Length);
        foreach (string word in SplitWords(text))
        {
            AppendWord(builder, word);
        }

        return ToIdentifier(builder.ToString(), fallback);
    }

    /// <summary><c>chain_id</c> -> <c>chainId</c>, escaped with <c>@</c> when it is a keyword.</summary>
    public static string ToCamelCase(string text, string fallback)
    {
        string pascal = ToPascalCase(text, fallback);
        int upper = 0;
        while (upper < pascal.Length && char.IsUpper(pascal[upper]))
        {
            upper++;
        }

        // "URLPath" -> "urlPath", "Id" -> "id", "ID" -> "id".
        int lower = upper <= 1 || upper == pascal.Length ? upper : upper - 1;
        string camel = pascal.Substring(0, lower).ToLowerInvariant() + pascal.Substring(lower);
        return s_keywords.Contains(camel) ? "@" + camel : camel;
    }

    /// <summary>
    /// "Create a chain environment" -> "CreateChainEnvironment", "Deletes a secret" -> "DeleteSecret":
    /// articles carry no meaning in a method name, and a summary's leading verb is made imperative.
    /// </summary>
    public static string FromSentence(string sentence, string fallback, bool imperative = true)
    {
        var builder = new StringBuilder(sentence.Length);
        bool first = true;
        foreach (string word in SplitWords(sentence))
        {
            if (!s_articles.Contains(word))
            {
                AppendWord(builder, first && imperative ? Imperative(word) : word);
                first = false;
            }
        }

        return ToIdentifier(builder.ToString(), fallback);
    }

    /// <summary>"Gets" -> "Get", "Retries" -> "Retry", "Patches" -> "Patch"; other words unchanged.</summary>
    public static string Imperative(string verb)
    {
        if (verb.Length < 4 || !char.IsLetter(verb[0]) || s_notThirdPerson.Contains(verb))
        {
            return verb;
        }

        string lower = verb.ToLowerInvariant();
        if (lower.EndsWith("ies", StringComparison.Ordinal))
        {
            return verb.Substring(0, verb.Length - 3) + "y";
        }

        foreach (string ending in s_esEndings)
        {
            if (lower.EndsWith(ending, StringComparison.Ordinal))
            {
                return verb.Substring(0, verb.Length - 2);
            }
        }

        return lower.EndsWith("s", StringComparison.Ordinal) && !lower.EndsWith("ss", StringComparison.Ordinal)
            && !lower.EndsWith("us", StringComparison.Ordinal) && !lower.EndsWith("is", StringComparison.Ordinal)
            ? verb.Substring(0, verb.Length - 1)
            : verb;
    }

    private static readonly string[] s_esEndings = ["ches", "shes", "sses", "xes", "zes"];

    // Leading words that end in s but are not a verb in the third person.
    private static readonly HashSet<string> s_notThirdPerson = new(StringComparer.OrdinalIgnoreCase) { "Status", "News", "Alias", "Bonus", "Canvas", "Analysis", "Access", "Process", "Address", "Series", "Species" };

    /// <summary>"teams" -> "Team", "policies" -> "Policy", "statuses" -> "Status": the singular of a path's collection segment.</summary>
    public static string Singular(string pascal)
    {
        if (pascal.EndsWith("ies", StringComparison.Ordinal) && pascal.Length > 4)
        {
            return pascal.Substring(0, pascal.Length - 3) + "y";
        }

        if (pascal.EndsWith("sses", StringComparison.Ordinal) || pascal.EndsWith("uses", StringComparison.Ordinal) || pascal.EndsWith("xes", StringComparison.Ordinal))
        {
            return pascal.Substring(0, pascal.Length - 2);
        }

        return pascal.EndsWith("s", StringComparison.Ordinal) && !pascal.EndsWith("ss", StringComparison.Ordinal) && pascal.Length > 1
            ? pascal.Substring(0, pascal.Length - 1)
            : pascal;
    }

    /// <summary>
    /// Keeps a spec name as it is where it is already a valid identifier (schema names users search
    /// for), but with a capital first letter: a lower-case type name is a contextual keyword today
    /// (<c>file</c>, <c>record</c>, <c>var</c>) or may be one tomorrow (CS8981).
    /// </summary>
    public static string ToTypeName(string text, string fallback)
    {
        string name = IsIdentifier(text) && !s_keywords.Contains(text) ? text : ToPascalCase(text, fallback);
        return char.IsLower(name[0]) ? char.ToUpperInvariant(name[0]) + name.Substring(1) : name;
    }

    public static bool IsIdentifier(string text)
    {
        if (text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_'))
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An HTTP token (a header name, an auth scheme): visible ASCII without separators.</summary>
    public static bool IsToken(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c <= ' ' || c > '~' || "()<>@,;:\\\"/[]?={}".IndexOf(c) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A dotted namespace whose every part is an identifier and not a keyword.</summary>
    public static bool IsNamespace(string text)
    {
        foreach (string part in text.Split('.'))
        {
            if (!IsIdentifier(part) || s_keywords.Contains(part))
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> SplitWords(string text)
    {
        var word = new StringBuilder();
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (c is '\'' or '\u2019')
            {
                // "group's" is one word, not "Group S".
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    private static void AppendWord(StringBuilder builder, string word)
    {
        bool shouting = true;
        foreach (char c in word)
        {
            if (char.IsLower(c))
            {
                shouting = false;
                break;
            }
        }

        builder.Append(char.ToUpperInvariant(word[0]));
        string rest = word.Substring(1);
        builder.Append(shouting ? rest.ToLowerInvariant() : rest);
    }

    private static string ToIdentifier(string candidate, string fallback)
    {
        if (candidate.Length == 0)
        {
            return fallback;
        }

        return char.IsDigit(candidate[0]) ? "_" + candidate : candidate;
    }
}
