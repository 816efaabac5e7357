using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Baseten.Aot.Generator.Parsing;

/// <summary>
/// Reads YAML or JSON text into a <see cref="YamlNode"/> tree with YamlDotNet's event parser.
/// Iterative, so no input can overflow the stack; bounded in depth and in size counted with
/// alias expansion, so no input (a "billion laughs" document, say) can make the walk that
/// follows take unbounded time.
/// </summary>
internal static class YamlTreeReader
{
    public const int MaxDepth = 256;
    public const long MaxExpandedNodes = 4_000_000;

    public sealed class Error
    {
        public Error(Kind kind, string message, TextMark start, TextMark end)
        {
            ErrorKind = kind;
            Message = message;
            Start = start;
            End = end;
        }

        public enum Kind
        {
            Syntax,
            Structure,
            Limit,
        }

        public Kind ErrorKind { get; }

        public string Message { get; }

        public TextMark Start { get; }

        public TextMark End { get; }
    }

    private sealed class Frame
    {
        public Frame(YamlNode node) => Node = node;

        public YamlNode Node { get; }

        public YamlScalar? PendingKey { get; set; }

        public long Size { get; set; } = 1;
    }

    /// <summary>
    /// Reads the first document of <paramref name="text"/>; on failure returns null and the error.
    /// <paramref name="duplicateKeys"/> receives each key that repeats within a mapping (the first one is kept).
    /// </summary>
    public static YamlNode? Read(string text, out Error? error, List<Error> duplicateKeys)
    {
        error = null;
        return JsonTreeReader.TryRead(text, duplicateKeys, out YamlNode? json) ? json : ReadEvents(text, out error, duplicateKeys);
    }

    /// <summary>Reads with YamlDotNet's event parser, whatever the text (JSON too): what <see cref="JsonTreeReader"/> must match.</summary>
    internal static YamlNode? ReadEvents(string text, out Error? error, List<Error> duplicateKeys)
    {
        error = null;
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        YamlNode? root = null;
        TextMark lastMark = default;

        var parser = new Parser(new StringReader(text));
        while (true)
        {
            if (!TryMoveNext(parser, lastMark, out bool moved, out error))
            {
                return null;
            }

            if (!moved)
            {
                break;
            }

            ParsingEvent current = parser.Current!;
            lastMark = ToMark(current.End);
            YamlNode? completed = null;
            switch (current)
            {
                case DocumentEnd when root is not null:
                    return root;

                case Scalar scalar:
                    completed = new YamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain && !scalar.IsQuotedImplicit, ToMark(scalar.Start), ToMark(scalar.End));
                    Remember(anchors, scalar.Anchor, completed);
                    break;

                case AnchorAlias alias:
                    if (!anchors.TryGetValue(alias.Value.Value, out completed))
                    {
                        error = new Error(Error.Kind.Syntax, $"the alias '*{alias.Value.Value}' names no anchor", ToMark(alias.Start), ToMark(alias.End));
                        return null;
                    }

                    break;

                case MappingStart mappingStart:
                {
                    var mapping = new YamlMapping(ToMark(mappingStart.Start), ToMark(mappingStart.End));
                    if (!Push(stack, mapping, out error))
                    {
                        return null;
                    }

                    Remember(anchors, mappingStart.Anchor, mapping);
                    continue;
                }

                case SequenceStart sequenceStart:
                {
                    var sequence = new YamlSequence(ToMark(sequenceStart.Start), ToMark(sequenceStart.End));
                    if (!Push(stack, sequence, out error))
                    {
                        return null;
                    }

                    Remember(anchors, sequenceStart.Anchor, sequence);
                    continue;
                }

                case MappingEnd:
                case SequenceEnd:
                {
                    Frame frame = stack.Pop();
                    frame.Node.ExpandedSize = frame.Size;
                    completed = frame.Node;
                    break;
                }

                default:
                    continue;
            }

            if (stack.Count == 0)
            {
                root ??= completed;
                continue;
            }

            if (!Attach(stack.Peek(), completed!, duplicateKeys, out error))
            {
                return null;
            }
        }

        if (root is null)
        {
            error = new Error(Error.Kind.Structure, "the file holds no document", default, default);
        }

        return root;
    }

    // Only YamlDotNet runs in here: whatever it throws is about the input. Besides YamlException it
    // throws InvalidOperationException, ArgumentException and others on some malformed text (found by RobustnessTests).
    private static bool TryMoveNext(Parser parser, TextMark lastMark, out bool moved, out Error? error)
    {
        error = null;
        moved = false;
        try
        {
            moved = parser.MoveNext();
            return true;
        }
        catch (YamlException exception) when (exception.Start.Index == 0 && lastMark.Offset > 0)
        {
            // Some errors (a tab as indentation, for one) come without a position: point at the last
            // token read, which is just before the trouble, rather than at the top of the file.
            error = new Error(Error.Kind.Syntax, Describe(exception) + " (just after this point)", lastMark, lastMark);
        }
        catch (YamlException exception)
        {
            error = new Error(Error.Kind.Syntax, Describe(exception), ToMark(exception.Start), ToMark(exception.End));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            error = new Error(Error.Kind.Syntax, "the text just after this point is malformed (an unclosed '{', '[' or quote is a common cause), and the YAML reader gave up: " + exception.Message, lastMark, lastMark);
        }

        return false;
    }

    private static bool Push(Stack<Frame> stack, YamlNode node, out Error? error)
    {
        if (stack.Count >= MaxDepth)
        {
            error = new Error(Error.Kind.Limit, $"it nests more than {MaxDepth.ToString(CultureInfo.InvariantCulture)} levels deep", node.Start, node.End);
            return false;
        }

        if (stack.Count == 0 || stack.Peek().Node is not YamlMapping || stack.Peek().PendingKey is not null)
        {
            stack.Push(new Frame(node));
            error = null;
            return true;
        }

        error = new Error(Error.Kind.Structure, "mapping keys must be plain scalars", node.Start, node.End);
        return false;
    }

    private static bool Attach(Frame parent, YamlNode child, List<Error> warnings, out Error? error)
    {
        error = null;
        parent.Size += child.ExpandedSize;
        if (parent.Size > MaxExpandedNodes)
        {
            error = new Error(Error.Kind.Limit, $"it expands to more than {MaxExpandedNodes.ToString(CultureInfo.InvariantCulture)} nodes (aliases included)", child.Start, child.End);
            return false;
        }

        switch (parent.Node)
        {
            case YamlSequence sequence:
                sequence.Items.Add(child);
                return true;

            case YamlMapping mapping when parent.PendingKey is null:
                if (child is not YamlScalar newKey)
                {
                    error = new Error(Error.Kind.Structure, "mapping keys must be plain scalars", child.Start, child.End);
                    return false;
                }

                parent.PendingKey = newKey;
                return true;

            case YamlMapping mapping:
                if (!mapping.TryAdd(parent.PendingKey!, child))
                {
                    YamlScalar duplicate = parent.PendingKey!;
                    warnings.Add(new Error(Error.Kind.Structure, duplicate.Value, duplicate.Start, duplicate.End));
                }

                parent.PendingKey = null;
                return true;

            default:
                return true;
        }
    }

    private static void Remember(Dictionary<string, YamlNode> anchors, AnchorName anchor, YamlNode node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }

    // YamlDotNet's messages start with "(Line: 3, Col: 5, Idx: 20) - (...): "; the diagnostic carries the location itself.
    private static string Describe(YamlException exception)
    {
        string message = exception.Message;
        int separator = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && separator >= 0 ? message.Substring(separator + 3) : message;
    }

    private static TextMark ToMark(Mark mark)
        => new((int)Math.Max(0, mark.Index), (int)Math.Max(0, mark.Line - 1), (int)Math.Max(0, mark.Column - 1));
}
