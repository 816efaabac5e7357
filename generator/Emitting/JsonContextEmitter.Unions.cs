using Baseten.Aot.Generator.Model;
using Names = Baseten.Aot.Generator.Model.TypeMemberNames;

namespace Baseten.Aot.Generator.Emitting;

// A union as a member of a model, a list or a map, and as a case of another union: read and written
// by generated code in the context, the union's converter with its cases read and written by their
// generated readers and writers instead of through their metadata. The generated readers and writers
// are used only where nothing could customize a contract (see GeneratedJson.ReadsDirectly), so nothing differs but
// what a trimmed app keeps: going through the union's metadata would register its cases' object
// metadata, and that of every type under them, which no generated code asks for (benchmarks/README.md,
// "Chat"). The union's own metadata, and its converter, stay for everyone else.
internal sealed partial class JsonContextEmitter
{
    private void EmitUnionReader(UnionSpec union, string type, string name)
    {
        string self = Type(TypeRef.UnionNamed(union.Name));
        _writer.WriteLine($$"""

            private static {{type}}? {{ContextMemberNames.Read(name)}}(ref {{Json}}.Utf8JsonReader reader, {{Json}}.JsonSerializerOptions options)
            {
                if (reader.TokenType == {{Json}}.JsonTokenType.Null)
                {
                    return null;
                }

            """);
        _writer.Indent();
        if (union.IsDiscriminated)
        {
            // As the converter reads a variant whose metadata has the generated reader: by that reader.
            UnionEmitter.EmitDiscriminatedRead(_writer, union, (c, _) => ContextMemberNames.Read(InfoOf(c.Type)) + "(ref reader, options)!", self + "." + Names.Unknown);
        }
        else
        {
            UnionEmitter.EmitShapeRead(_writer, _spec, union, (c, i) => TryReadCase(self, c, i), self + "." + Names.FromUnmatched);
        }

        _writer.Unindent();
        _writer.WriteLine("}");
    }

    private string TryReadCase(string self, UnionCaseSpec unionCase, int i)
    {
        string local = "v" + Invariant(i);
        return "if (" + Helpers + ".TryReadCase<" + Type(unionCase.Type.MetadataKey) + ">(ref reader, " + ContextMemberNames.Read(InfoOf(unionCase.Type)) + ", options, out " + Type(unionCase.Type.MetadataKey) + "? " + local + "))\n"
            + "{\n    return new " + self + "(" + local + ForgivingSuffix(unionCase.Type) + ");\n}";
    }

    // What the converter writes, each case by its generated writer: the value it holds, or the JSON kept.
    private void EmitUnionHandler(UnionSpec union, string type, string name)
    {
        EmitHandler(type, name, () =>
        {
            if (union.IsDiscriminated)
            {
                _writer.WriteLine("switch (value)");
                _writer.OpenBlock();
                foreach (UnionCaseSpec unionCase in union.Cases)
                {
                    string local = NextLocal();
                    _writer.WriteLine("case " + Type(unionCase.Type) + " " + local + ":");
                    _writer.Indent();
                    WriteValue(unionCase.Type, local);
                    _writer.WriteLine("return;");
                    _writer.Unindent();
                }

                _writer.WriteLine("case " + type + "." + Names.Unknown + " unknown:");
                _writer.WriteLine("    unknown.Json.WriteTo(writer);");
                _writer.WriteLine("    return;");
                _writer.WriteLine("default:");
                _writer.WriteLine("    throw new " + Json + ".JsonException(\"" + union.Name + " has no variant \" + value.GetType() + \".\");");
                _writer.CloseBlock();
                return;
            }

            foreach (UnionCaseSpec unionCase in union.Cases)
            {
                _writer.WriteLine("if (value.Is" + unionCase.MemberName + ")");
                _writer.OpenBlock();
                WriteValue(unionCase.Type, "value." + unionCase.MemberName + (unionCase.Type.IsValueType ? ".GetValueOrDefault()" : string.Empty));
                _writer.WriteLine("return;");
                _writer.CloseBlock();
                _writer.WriteLine();
            }

            _writer.WriteLine("value." + Names.Unmatched + ".GetValueOrDefault().WriteTo(writer);");
        });
    }
}
