using System.Collections.Generic;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Baseten.Aot.Generator.Parsing;

/// <summary>Collects the diagnostics of one parse, each pointing at the YAML node it is about.</summary>
internal sealed class DiagnosticBag
{
    private readonly string _filePath;
    private readonly List<DiagnosticInfo> _items = new();

    public DiagnosticBag(string filePath) => _filePath = filePath;

    public bool HasErrors { get; private set; }

    // A node or span read from another file (through a $ref) is reported in that file, at its line.
    public void Add(DiagnosticDescriptor descriptor, YamlNode? node, params string[] arguments)
        => AddIn(node?.FilePath, descriptor, node is null ? default : node.Start, node is null ? default : node.End, arguments);

    public void Add(DiagnosticDescriptor descriptor, Document.SourceSpan span, params string[] arguments)
        => AddIn(span.FilePath, descriptor, span.Start, span.End, arguments);

    public void Add(DiagnosticDescriptor descriptor, TextMark start, TextMark end, params string[] arguments)
        => AddIn(null, descriptor, start, end, arguments);

    /// <summary>Adds a diagnostic in <paramref name="filePath"/>, or in the document when it is null.</summary>
    public void AddIn(string? filePath, DiagnosticDescriptor descriptor, TextMark start, TextMark end, params string[] arguments)
    {
        HasErrors |= descriptor.DefaultSeverity == DiagnosticSeverity.Error;
        int length = end.Offset > start.Offset ? end.Offset - start.Offset : 0;
        var location = new LocationInfo(
            filePath ?? _filePath,
            new TextSpan(start.Offset, length),
            new LinePositionSpan(new LinePosition(start.Line, start.Column), new LinePosition(end.Line, end.Column)));
        _items.Add(new DiagnosticInfo(descriptor, new EquatableArray<string>(arguments), location));
    }

    public EquatableArray<DiagnosticInfo> ToEquatableArray() => _items.ToEquatableArray();

    /// <summary>Adds diagnostics reported by an earlier step (the parse, before shaping).</summary>
    public void AddRange(EquatableArray<DiagnosticInfo> items)
    {
        foreach (DiagnosticInfo item in items)
        {
            HasErrors |= item.Descriptor.DefaultSeverity == DiagnosticSeverity.Error;
            _items.Add(item);
        }
    }
}
