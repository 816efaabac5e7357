using System;
using System.Collections.Generic;
using System.Text;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Parsing;

/// <summary>
/// Lists the other files a YAML or JSON file's <c>$ref</c>s name, from its text, without reading it as
/// YAML: the pipeline runs it over every AdditionalFile on each edit of that file, to know which files
/// a document depends on before it is parsed. It reads <c>$ref</c> keys with a plain, single-quoted or
/// double-quoted value, as YAML and JSON write them; what it lists is only a dependency, so a key named
/// <c>$ref</c> that is not a reference costs nothing but a cache comparison.
/// </summary>
internal static class ReferenceScanner
{
    private const string Key = "$ref";

    /// <summary>The normalized paths of the files <paramref name="text"/> (the file at <paramref name="path"/>) refers to, in order, each once.</summary>
    public static EquatableArray<string> Files(string path, string text)
    {
        var files = new List<string>();
        for (int at = text.IndexOf(Key, StringComparison.Ordinal); at >= 0; at = text.IndexOf(Key, at + Key.Length, StringComparison.Ordinal))
        {
            if (Value(text, at + Key.Length) is not { } reference || reference.Length == 0 || reference[0] == '#' || FilePaths.IsRemote(reference))
            {
                continue;
            }

            string file = FilePaths.FilePart(reference);
            if (file.Length == 0)
            {
                continue;
            }

            string target = FilePaths.Resolve(path, file);
            if (!files.Exists(f => FilePaths.Comparer.Equals(f, target)))
            {
                files.Add(target);
            }
        }

        return files.ToEquatableArray();
    }

    // The value after "$ref" at `at`: an optional closing quote of the key, then ':' and the scalar.
    private static string? Value(string text, int at)
    {
        int i = at;
        if (i < text.Length && (text[i] == '"' || text[i] == '\''))
        {
            i++;
        }

        i = SkipSpaces(text, i);
        if (i >= text.Length || text[i] != ':')
        {
            return null;
        }

        i = SkipSpaces(text, i + 1);
        if (i >= text.Length)
        {
            return null;
        }

        char quote = text[i];
        if (quote is '"' or '\'')
        {
            return Quoted(text, i + 1, quote);
        }

        int start = i;
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (',' or '}' or ']'))
        {
            i++;
        }

        return text.Substring(start, i - start);
    }

    private static string? Quoted(string text, int start, char quote)
    {
        var value = new StringBuilder();
        for (int i = start; i < text.Length && text[i] is not ('\n' or '\r'); i++)
        {
            char c = text[i];
            if (c == quote)
            {
                // YAML writes a single quote inside single quotes twice.
                if (quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
                {
                    value.Append('\'');
                    i++;
                    continue;
                }

                return value.ToString();
            }

            if (quote == '"' && c == '\\' && i + 1 < text.Length)
            {
                // JSON and YAML escapes a path may hold: \/ \\ \"; others are kept as written.
                char next = text[++i];
                if (next is not ('/' or '\\' or '"'))
                {
                    value.Append(c);
                }

                value.Append(next);

                continue;
            }

            value.Append(c);
        }

        return null;
    }

    private static int SkipSpaces(string text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }
}
