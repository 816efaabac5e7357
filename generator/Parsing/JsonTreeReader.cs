using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Baseten.Aot.Generator.Parsing;

/// <summary>
/// A fast path of <see cref="YamlTreeReader"/> for plain JSON: the tree, marks, duplicate keys and
/// sizes YamlDotNet would give, several times faster (GitHub's 5.7 MB document took about 2 s of CPU
/// through YamlDotNet's event parser, most of the generator's time on it). It takes only text whose
/// reading it knows to match YamlDotNet's exactly, and gives up (returns false) on anything else: a
/// tab or a line break other than \n and \r\n, a control or YAML line-break character inside a
/// string, an escaped surrogate, a literal other than true, false, null or a JSON number, a key
/// YAML would refuse as too long, nesting past the depth limit, a syntax error. YamlDotNet then reads
/// the text as before, and reports whatever is wrong with it.
/// </summary>
internal static class JsonTreeReader
{
    // YAML 1.1 keeps a simple key within 1024 characters; a longer one is left to YamlDotNet to judge.
    private const int MaxKeyLength = 1024;

    /// <summary>Reads <paramref name="text"/> when it is JSON this reader matches YamlDotNet on; false otherwise.</summary>
    public static bool TryRead(string text, List<YamlTreeReader.Error> duplicateKeys, out YamlNode? root)
    {
        var reader = new Reader(text);
        root = reader.ReadDocument();
        if (root is null)
        {
            return false;
        }

        duplicateKeys.AddRange(reader.DuplicateKeys);
        return true;
    }

    private sealed class Reader
    {
        private readonly string _text;
        private readonly StringBuilder _builder = new();
        private int _at;
        private int _line;
        private int _lineStart;

        public Reader(string text) => _text = text;

        public List<YamlTreeReader.Error> DuplicateKeys { get; } = new();

        private TextMark Mark => new(_at, _line, _at - _lineStart);

        public YamlNode? ReadDocument()
        {
            if (!SkipSpace() || _at >= _text.Length || (_text[_at] != '{' && _text[_at] != '['))
            {
                return null;
            }

            YamlNode? root = ReadValue(0);
            if (root is null || !SkipSpace() || _at != _text.Length)
            {
                return null;
            }

            return root;
        }

        // Spaces and line breaks; false at a character YamlDotNet may read otherwise (a tab, a lone
        // \r, a YAML 1.1 line break, a comment).
        private bool SkipSpace()
        {
            while (_at < _text.Length)
            {
                char c = _text[_at];
                if (c == ' ')
                {
                    _at++;
                }
                else if (c == '\n')
                {
                    _at++;
                    _line++;
                    _lineStart = _at;
                }
                else if (c == '\r')
                {
                    if (_at + 1 >= _text.Length || _text[_at + 1] != '\n')
                    {
                        return false;
                    }

                    _at += 2;
                    _line++;
                    _lineStart = _at;
                }
                else
                {
                    return c is not ('\t' or '#' or '\u0085' or '\u2028' or '\u2029' or '\uFEFF');
                }
            }

            return true;
        }

        private YamlNode? ReadValue(int depth)
        {
            if (_at >= _text.Length)
            {
                return null;
            }

            return _text[_at] switch
            {
                '{' => ReadObject(depth),
                '[' => ReadArray(depth),
                '"' => ReadString(),
                _ => ReadLiteral(),
            };
        }

        private YamlMapping? ReadObject(int depth)
        {
            if (depth >= YamlTreeReader.MaxDepth)
            {
                return null;
            }

            TextMark start = Mark;
            _at++;
            var mapping = new YamlMapping(start, start);
            long size = 1;
            if (!SkipSpace())
            {
                return null;
            }

            if (_at < _text.Length && _text[_at] == '}')
            {
                _at++;
                return mapping;
            }

            while (true)
            {
                if (_at >= _text.Length || _text[_at] != '"')
                {
                    return null;
                }

                int keyStart = _at;
                if (ReadString() is not { } key || !SkipSpace() || _at >= _text.Length || _text[_at] != ':' || _at - keyStart > MaxKeyLength)
                {
                    return null;
                }

                _at++;
                if (!SkipSpace() || ReadValue(depth + 1) is not { } value)
                {
                    return null;
                }

                size += 1 + value.ExpandedSize;
                if (size > YamlTreeReader.MaxExpandedNodes)
                {
                    return null;
                }

                if (!mapping.TryAdd(key, value))
                {
                    DuplicateKeys.Add(new YamlTreeReader.Error(YamlTreeReader.Error.Kind.Structure, key.Value, key.Start, key.End));
                }

                if (!SkipSpace() || _at >= _text.Length)
                {
                    return null;
                }

                char next = _text[_at++];
                if (next == '}')
                {
                    mapping.ExpandedSize = size;
                    return mapping;
                }

                if (next != ',' || !SkipSpace())
                {
                    return null;
                }
            }
        }

        private YamlSequence? ReadArray(int depth)
        {
            if (depth >= YamlTreeReader.MaxDepth)
            {
                return null;
            }

            TextMark start = Mark;
            _at++;
            var sequence = new YamlSequence(start, start);
            long size = 1;
            if (!SkipSpace())
            {
                return null;
            }

            if (_at < _text.Length && _text[_at] == ']')
            {
                _at++;
                return sequence;
            }

            while (true)
            {
                if (ReadValue(depth + 1) is not { } item)
                {
                    return null;
                }

                size += item.ExpandedSize;
                if (size > YamlTreeReader.MaxExpandedNodes)
                {
                    return null;
                }

                sequence.Items.Add(item);
                if (!SkipSpace() || _at >= _text.Length)
                {
                    return null;
                }

                char next = _text[_at++];
                if (next == ']')
                {
                    sequence.ExpandedSize = size;
                    return sequence;
                }

                if (next != ',' || !SkipSpace())
                {
                    return null;
                }
            }
        }

        private YamlScalar? ReadString()
        {
            TextMark start = Mark;
            int at = _at + 1;
            int run = at;
            _builder.Clear();
            while (true)
            {
                if (at >= _text.Length)
                {
                    return null;
                }

                char c = _text[at];
                if (c == '"')
                {
                    string value = _builder.Length == 0 ? _text.Substring(run, at - run) : _builder.Append(_text, run, at - run).ToString();
                    _at = at + 1;
                    return new YamlScalar(value, isPlain: false, start, Mark);
                }

                if (c < ' ' || (c >= '\u007F' && c <= '\u009F') || c is '\u2028' or '\u2029' or '\uFEFF' or '\uFFFE' or '\uFFFF')
                {
                    // Characters YAML reads as a line break or refuses as not printable.
                    return null;
                }

                if (c != '\\')
                {
                    at++;
                    continue;
                }

                _builder.Append(_text, run, at - run);
                if (at + 1 >= _text.Length)
                {
                    return null;
                }

                char escaped = _text[at + 1];
                at += 2;
                switch (escaped)
                {
                    case '"': _builder.Append('"'); break;
                    case '\\': _builder.Append('\\'); break;
                    case '/': _builder.Append('/'); break;
                    case 'b': _builder.Append('\b'); break;
                    case 'f': _builder.Append('\f'); break;
                    case 'n': _builder.Append('\n'); break;
                    case 'r': _builder.Append('\r'); break;
                    case 't': _builder.Append('\t'); break;
                    case 'u':
                        if (at + 4 > _text.Length
                            || !int.TryParse(_text.Substring(at, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code)
                            || (code >= 0xD800 && code <= 0xDFFF))
                        {
                            return null;
                        }

                        _builder.Append((char)code);
                        at += 4;
                        break;
                    default:
                        return null;
                }

                run = at;
            }
        }

        // true, false, null or a JSON number, read as YAML reads them: plain scalars holding their text.
        private YamlScalar? ReadLiteral()
        {
            TextMark start = Mark;
            int at = _at;
            while (at < _text.Length && _text[at] is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '+' or '.')
            {
                at++;
            }

            string value = _text.Substring(_at, at - _at);
            if (value is not ("true" or "false" or "null") && !IsNumber(value))
            {
                return null;
            }

            _at = at;
            return new YamlScalar(value, isPlain: true, start, Mark);
        }

        // JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        private static bool IsNumber(string value)
        {
            int i = 0;
            if (i < value.Length && value[i] == '-')
            {
                i++;
            }

            if (i >= value.Length || !IsDigit(value[i]))
            {
                return false;
            }

            if (value[i] == '0')
            {
                i++;
            }
            else
            {
                while (i < value.Length && IsDigit(value[i]))
                {
                    i++;
                }
            }

            if (i < value.Length && value[i] == '.')
            {
                i++;
                int digits = i;
                while (i < value.Length && IsDigit(value[i]))
                {
                    i++;
                }

                if (i == digits)
                {
                    return false;
                }
            }

            if (i < value.Length && (value[i] == 'e' || value[i] == 'E'))
            {
                i++;
                if (i < value.Length && (value[i] == '+' || value[i] == '-'))
                {
                    i++;
                }

                int digits = i;
                while (i < value.Length && IsDigit(value[i]))
                {
                    i++;
                }

                if (i == digits)
                {
                    return false;
                }
            }

            return i == value.Length;
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';
    }
}
