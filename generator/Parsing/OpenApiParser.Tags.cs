using System.Collections.Generic;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Parsing;

// An operation's tags: only names, read for scoping and sub-clients, so a malformed list is read
// for what it holds rather than reported (a tag changes no type on the wire).
internal sealed partial class OpenApiParser
{
    private static EquatableArray<string> ReadTags(YamlNode? node)
    {
        if (node is not YamlSequence sequence)
        {
            return EquatableArray<string>.Empty;
        }

        var tags = new List<string>(sequence.Items.Count);
        foreach (YamlNode item in sequence.Items)
        {
            if (DocReader.Text(item) is { } tag && !tags.Contains(tag))
            {
                tags.Add(tag);
            }
        }

        return tags.ToEquatableArray();
    }
}
