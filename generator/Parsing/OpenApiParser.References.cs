using System;
using System.Collections.Generic;
using Baseten.Aot.Generator.Diagnostics;

namespace Baseten.Aot.Generator.Parsing;

// $ref: local JSON pointers followed through the document.
internal sealed partial class OpenApiParser
{
    // Follows "$ref: '#/components/<section>/<name>'", or any other local JSON pointer ('#/paths/...'),
    // through references to references, without looping.
    private YamlNode? Resolve(YamlNode node)
    {
        var seen = new HashSet<YamlNode>();
        while (node is YamlMapping mapping && mapping["$ref"] is { } reference)
        {
            if (!seen.Add(node)
                || reference is not YamlScalar { Value: { } text }
                || ResolvePointer(text) is not { } target)
            {
                _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, reference, (reference as YamlScalar)?.Value ?? "(not a string)");
                return null;
            }

            node = target;
        }

        return node;
    }

    /// <summary>The node a local JSON pointer (<c>#/components/parameters/id</c>, <c>#/paths/~1a/get</c>) names, or null.</summary>
    private YamlNode? ResolvePointer(string pointer)
    {
        if (!pointer.StartsWith("#/", StringComparison.Ordinal) || _root is null)
        {
            return null;
        }

        YamlNode? node = _root;
        foreach (string segment in pointer.Substring(2).Split('/'))
        {
            string key = UnescapePointer(segment);
            node = node switch
            {
                YamlMapping mapping => mapping[key],
                YamlSequence sequence when int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index) && index < sequence.Items.Count => sequence.Items[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>A JSON pointer segment as written in a <c>$ref</c>: percent-escapes, then <c>~1</c> and <c>~0</c>.</summary>
    public static string UnescapePointer(string segment)
        => Uri.UnescapeDataString(segment).Replace("~1", "/").Replace("~0", "~");
}
