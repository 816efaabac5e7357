using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Baseten.Aot.Generator.Parsing;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// The JSON fast path must read exactly what YamlDotNet reads (values, plain or quoted, marks, sizes,
/// duplicate keys), or decline and leave the text to YamlDotNet: diagnostics point at the same lines
/// either way. Checked node by node on every JSON document of the corpus and on small cases.
/// </summary>
public sealed class JsonTreeReaderTests
{
    public static TheoryData<string> CorpusJson()
    {
        var data = new TheoryData<string>();
        string corpus = Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "corpus");
        foreach (string line in File.ReadAllLines(Path.Combine(corpus, "corpus.txt")))
        {
            string path = line.Split('#', 2)[0].Trim();
            if (path.EndsWith(".json", StringComparison.Ordinal))
            {
                data.Add(path);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusJson))]
    public void CorpusDocument_ReadsAsYamlDotNetReadsIt(string path)
    {
        string file = Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "corpus", "node_modules", path);
        Assert.True(File.Exists(file), "The corpus is not installed: run `npm ci --prefix tests/corpus`");
        string text = File.ReadAllText(file);

        // Every corpus document is plain JSON: the fast path must take it, not fall back.
        AssertSameAsYamlDotNet(text, expectFastPath: true);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"a\": 1, \"b\": [true, false, null, -0.5e+3, 0, 12.25E-2], \"c\": {\"d\": \"x\"}}")]
    [InlineData("{\"a\":1,\"b\":{\"c\":[1,2,{}],\"d\":[]}}")]
    [InlineData("{\r\n  \"a\": \"one\",\r\n  \"b\": \"two\"\r\n}\r\n")]
    [InlineData("{\n  \"escapes\": \"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u0041\",\n  \"é\": \"ü – 中文\"\n}")]
    [InlineData("{\"a\": 1, \"a\": 2, \"b\": {\"c\": 3, \"c\": 4}}")]
    [InlineData("{\"emoji\": \"a 😀 b\", \"after\": \"x\"}")]
    [InlineData("  \n\n {\"a\": \"\"}  \n")]
    public void SmallDocuments_ReadAsYamlDotNetReadsThem(string text) => AssertSameAsYamlDotNet(text, expectFastPath: true);

    [Theory]
    [InlineData("openapi: 3.1.0\ninfo: {}\n")] // YAML
    [InlineData("{\n\t\"a\": 1\n}")] // a tab
    [InlineData("{\"a\": 1,}")] // a trailing comma
    [InlineData("{\"a\": 'one'}")] // single quotes
    [InlineData("{\"a\": yes}")] // a YAML literal
    [InlineData("{\"a\": 01}")] // not a JSON number
    [InlineData("{\"a\": 1} # comment")]
    [InlineData("{\"a\": 1}\n---\n{}")] // a second document
    [InlineData("{\"a\": \"\\ud83d\\ude00\"}")] // an escaped surrogate
    [InlineData("{\"a\": \"line\u2028break\"}")]
    [InlineData("{\"a\": 1\r}")] // a lone carriage return
    [InlineData("{\"a\": [1, 2}")]
    [InlineData("{\"a\": \"unterminated}")]
    public void OtherText_IsLeftToYamlDotNet(string text)
    {
        Assert.False(JsonTreeReader.TryRead(text, new List<YamlTreeReader.Error>(), out _));

        // And Read gives what YamlDotNet gives, an error included.
        var fromRead = new List<YamlTreeReader.Error>();
        var fromEvents = new List<YamlTreeReader.Error>();
        YamlNode? read = YamlTreeReader.Read(text, out YamlTreeReader.Error? readError, fromRead);
        YamlNode? events = YamlTreeReader.ReadEvents(text, out YamlTreeReader.Error? eventsError, fromEvents);
        Assert.Equal(Describe(events), Describe(read));
        Assert.Equal(eventsError?.Message, readError?.Message);
        Assert.Equal(eventsError?.Start, readError?.Start);
    }

    [Fact]
    public void DeepNesting_IsLeftToYamlDotNet_WhichRefusesIt()
    {
        string text = new string('[', YamlTreeReader.MaxDepth + 1) + new string(']', YamlTreeReader.MaxDepth + 1);
        Assert.False(JsonTreeReader.TryRead(text, new List<YamlTreeReader.Error>(), out _));
        Assert.Null(YamlTreeReader.Read(text, out YamlTreeReader.Error? error, new List<YamlTreeReader.Error>()));
        Assert.Equal(YamlTreeReader.Error.Kind.Limit, error!.ErrorKind);
    }

    private static void AssertSameAsYamlDotNet(string text, bool expectFastPath)
    {
        var fastDuplicates = new List<YamlTreeReader.Error>();
        bool fast = JsonTreeReader.TryRead(text, fastDuplicates, out YamlNode? fastRoot);
        Assert.Equal(expectFastPath, fast);

        var duplicates = new List<YamlTreeReader.Error>();
        YamlNode? expected = YamlTreeReader.ReadEvents(text, out YamlTreeReader.Error? error, duplicates);
        Assert.Null(error?.Message);
        Assert.NotNull(expected);
        AssertSameNode(expected!, fastRoot!, "$");
        Assert.Equal(duplicates.Select(d => (d.Message, d.Start, d.End)), fastDuplicates.Select(d => (d.Message, d.Start, d.End)));
    }

    // Iterative: the corpus documents nest deep enough that recursion in a test would be fragile.
    private static void AssertSameNode(YamlNode expectedRoot, YamlNode actualRoot, string rootPath)
    {
        var pending = new Stack<(YamlNode Expected, YamlNode Actual, string Path)>();
        pending.Push((expectedRoot, actualRoot, rootPath));
        while (pending.Count > 0)
        {
            (YamlNode expected, YamlNode actual, string path) = pending.Pop();
            Assert.True(expected.GetType() == actual.GetType(), $"{path}: {actual.GetType().Name} where YamlDotNet reads {expected.GetType().Name}");
            Assert.True(expected.Start == actual.Start, $"{path}: starts at {actual.Start}, YamlDotNet {expected.Start}");
            Assert.True(expected.End == actual.End, $"{path}: ends at {actual.End}, YamlDotNet {expected.End}");
            Assert.True(expected.ExpandedSize == actual.ExpandedSize, $"{path}: size {actual.ExpandedSize}, YamlDotNet {expected.ExpandedSize}");
            switch (expected)
            {
                case YamlScalar scalar:
                    var actualScalar = (YamlScalar)actual;
                    Assert.True(scalar.Value == actualScalar.Value, $"{path}: '{actualScalar.Value}', YamlDotNet '{scalar.Value}'");
                    Assert.True(scalar.IsPlain == actualScalar.IsPlain, $"{path}: plain {actualScalar.IsPlain}, YamlDotNet {scalar.IsPlain}");
                    break;
                case YamlSequence sequence:
                    var actualSequence = (YamlSequence)actual;
                    Assert.True(sequence.Items.Count == actualSequence.Items.Count, $"{path}: {actualSequence.Items.Count} items, YamlDotNet {sequence.Items.Count}");
                    for (int i = 0; i < sequence.Items.Count; i++)
                    {
                        pending.Push((sequence.Items[i], actualSequence.Items[i], path + "[" + i + "]"));
                    }

                    break;
                case YamlMapping mapping:
                    var actualMapping = (YamlMapping)actual;
                    Assert.True(mapping.Entries.Count == actualMapping.Entries.Count, $"{path}: {actualMapping.Entries.Count} entries, YamlDotNet {mapping.Entries.Count}");
                    for (int i = 0; i < mapping.Entries.Count; i++)
                    {
                        string key = path + "." + mapping.Entries[i].Key.Value;
                        pending.Push((mapping.Entries[i].Key, actualMapping.Entries[i].Key, key + " (key)"));
                        pending.Push((mapping.Entries[i].Value, actualMapping.Entries[i].Value, key));
                    }

                    break;
            }
        }
    }

    private static string Describe(YamlNode? node)
    {
        if (node is null)
        {
            return "null";
        }

        var text = new StringBuilder();
        var pending = new Stack<YamlNode>();
        pending.Push(node);
        while (pending.Count > 0)
        {
            YamlNode next = pending.Pop();
            text.Append(next.GetType().Name).Append(next.Start).Append(next.End).Append(next.ExpandedSize);
            switch (next)
            {
                case YamlScalar scalar:
                    text.Append(scalar.Value).Append(scalar.IsPlain);
                    break;
                case YamlSequence sequence:
                    sequence.Items.ForEach(pending.Push);
                    break;
                case YamlMapping mapping:
                    mapping.Entries.ForEach(e =>
                    {
                        pending.Push(e.Key);
                        pending.Push(e.Value);
                    });
                    break;
            }

            text.Append(';');
        }

        return text.ToString();
    }
}
