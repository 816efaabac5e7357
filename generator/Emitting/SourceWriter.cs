using System;
using System.Text;

namespace Baseten.Aot.Generator.Emitting;

/// <summary>
/// An indentation-aware text writer for generated C#. Multi-line strings are re-indented line by
/// line, so emitters can write blocks as raw string literals.
/// </summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void Indent() => _indent++;

    public void Unindent() => _indent = Math.Max(0, _indent - 1);

    public void OpenBlock()
    {
        WriteLine("{");
        _indent++;
    }

    public void CloseBlock(string suffix = "")
    {
        _indent = Math.Max(0, _indent - 1);
        WriteLine("}" + suffix);
    }

    public void WriteLine() => _builder.Append('\n');

    public void WriteLine(string text)
    {
        int start = 0;
        while (true)
        {
            int end = text.IndexOf('\n', start);
            string line = (end < 0 ? text.Substring(start) : text.Substring(start, end - start)).TrimEnd('\r');
            if (line.Length > 0)
            {
                for (int i = 0; i < _indent; i++)
                {
                    _builder.Append(IndentUnit);
                }

                _builder.Append(line);
            }

            _builder.Append('\n');
            if (end < 0)
            {
                return;
            }

            start = end + 1;
        }
    }

    public override string ToString() => _builder.ToString();
}
