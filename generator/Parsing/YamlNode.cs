using System.Collections.Generic;

namespace Baseten.Aot.Generator.Parsing;

/// <summary>
/// A node of a YAML (or JSON) document, read once by <see cref="YamlTreeReader"/>. Parser-internal:
/// these never leave the parse step, so they need no value equality.
/// </summary>
internal abstract class YamlNode
{
    protected YamlNode(TextMark start, TextMark end)
    {
        Start = start;
        End = end;
    }

    public TextMark Start { get; }

    public TextMark End { get; }

    /// <summary>The file the node was read from when it is not the document itself (a file a <c>$ref</c> names); null in the document.</summary>
    public string? FilePath { get; set; }

    /// <summary>Nodes in this subtree, counting every alias use of a shared subtree again.</summary>
    public long ExpandedSize { get; set; } = 1;
}

internal sealed class YamlScalar : YamlNode
{
    public YamlScalar(string value, bool isPlain, TextMark start, TextMark end)
        : base(start, end)
    {
        Value = value;
        IsPlain = isPlain;
    }

    public string Value { get; }

    /// <summary>Unquoted: <c>null</c>, <c>true</c> and numbers mean themselves only when plain.</summary>
    public bool IsPlain { get; }

    public bool IsNull => IsPlain && (Value.Length == 0 || Value == "null" || Value == "~" || Value == "Null" || Value == "NULL");
}

internal sealed class YamlSequence : YamlNode
{
    public YamlSequence(TextMark start, TextMark end)
        : base(start, end)
    {
    }

    public List<YamlNode> Items { get; } = new();
}

internal sealed class YamlMapping : YamlNode
{
    private readonly Dictionary<string, int> _index = new();

    public YamlMapping(TextMark start, TextMark end)
        : base(start, end)
    {
    }

    public List<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = new();

    /// <summary>Adds an entry; false when the key is already there (the first one is kept).</summary>
    public bool TryAdd(YamlScalar key, YamlNode value)
    {
        if (_index.ContainsKey(key.Value))
        {
            return false;
        }

        _index.Add(key.Value, Entries.Count);
        Entries.Add(new KeyValuePair<YamlScalar, YamlNode>(key, value));
        return true;
    }

    public YamlNode? this[string key] => _index.TryGetValue(key, out int i) ? Entries[i].Value : null;

    public YamlScalar? KeyOf(string key) => _index.TryGetValue(key, out int i) ? Entries[i].Key : null;
}
