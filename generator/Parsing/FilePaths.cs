using System;
using System.Collections.Generic;

namespace Baseten.Aot.Generator.Parsing;

/// <summary>
/// The paths a <c>$ref</c> names, as plain text: the generator never touches the disk, it matches a
/// reference's target against the paths of the compilation's AdditionalFiles.
/// </summary>
internal static class FilePaths
{
    /// <summary>Paths compare without regard to case or separator, so a Windows checkout and a Linux one agree.</summary>
    public static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

    /// <summary>A reference's file part is remote (<c>https://...</c>, <c>//host/...</c>, <c>file:</c>), which is never followed.</summary>
    public static bool IsRemote(string reference)
        => reference.IndexOf("://", StringComparison.Ordinal) >= 0
           || reference.StartsWith("//", StringComparison.Ordinal)
           || reference.StartsWith("file:", StringComparison.OrdinalIgnoreCase);

    /// <summary>The file part of a reference (<c>./pet.yaml</c> of <c>./pet.yaml#/Pet</c>), empty for a local one.</summary>
    public static string FilePart(string reference)
    {
        int hash = reference.IndexOf('#');
        return hash < 0 ? reference : reference.Substring(0, hash);
    }

    /// <summary>The fragment of a reference without its <c>#</c> (a JSON pointer, or empty for the whole file).</summary>
    public static string Fragment(string reference)
    {
        int hash = reference.IndexOf('#');
        return hash < 0 ? string.Empty : reference.Substring(hash + 1);
    }

    /// <summary><paramref name="relative"/> (percent-escaped, as in a URI) taken from the directory of <paramref name="referrer"/>, normalized.</summary>
    public static string Resolve(string referrer, string relative)
    {
        string target = Uri.UnescapeDataString(relative).Replace('\\', '/');
        if (!IsRooted(target))
        {
            string from = Normalize(referrer);
            int slash = from.LastIndexOf('/');
            target = (slash < 0 ? string.Empty : from.Substring(0, slash + 1)) + target;
        }

        return Normalize(target);
    }

    /// <summary>Forward slashes, and no <c>.</c> or <c>..</c> segments (a <c>..</c> above the root is kept).</summary>
    public static string Normalize(string path)
    {
        string text = path.Replace('\\', '/');
        bool rooted = text.StartsWith("/", StringComparison.Ordinal);
        var segments = new List<string>();
        foreach (string segment in text.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == ".." && segments.Count > 0 && segments[segments.Count - 1] != ".." && !IsDrive(segments[segments.Count - 1]))
            {
                segments.RemoveAt(segments.Count - 1);
            }
            else
            {
                segments.Add(segment);
            }
        }

        return (rooted ? "/" : string.Empty) + string.Join("/", segments);
    }

    /// <summary>The file name without its directory and last extension: the name of a schema a whole-file reference reads.</summary>
    public static string Stem(string path)
    {
        string name = Normalize(path);
        name = name.Substring(name.LastIndexOf('/') + 1);
        int dot = name.IndexOf('.');
        return dot > 0 ? name.Substring(0, dot) : name;
    }

    /// <summary>A path that a project would glob for the file: its directory relative to the document's, with the file's extension.</summary>
    public static string Glob(string document, string file)
    {
        string from = Normalize(document);
        string to = Normalize(file);
        int slash = from.LastIndexOf('/');
        string directory = slash < 0 ? string.Empty : from.Substring(0, slash + 1);
        string relative = to.StartsWith(directory, StringComparison.OrdinalIgnoreCase) ? to.Substring(directory.Length) : to;
        int end = relative.LastIndexOf('/');
        int dot = relative.LastIndexOf('.');
        string extension = dot > end ? relative.Substring(dot) : string.Empty;
        return (end < 0 ? string.Empty : relative.Substring(0, end + 1)) + "*" + extension;
    }

    private static bool IsRooted(string path) => path.StartsWith("/", StringComparison.Ordinal) || (path.Length >= 2 && path[1] == ':' && char.IsLetter(path[0]));

    private static bool IsDrive(string segment) => segment.Length == 2 && segment[1] == ':';
}
