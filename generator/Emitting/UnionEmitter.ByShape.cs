using System.Linq;
using Baseten.Aot.Generator.Model;
using Names = Baseten.Aot.Generator.Model.TypeMemberNames;

namespace Baseten.Aot.Generator.Emitting;

// A union without a discriminator: a class holding one case, read by JSON token kind.
internal static partial class UnionEmitter
{
    private static void EmitByShape(SourceWriter writer, ApiSpec spec, UnionSpec union)
    {
        string self = Full(spec, union.Name);
        string cases = string.Join(", ", union.Cases.Select(c => "<see cref=\"" + c.MemberName + "\"/>"));
        string note = "Holds one of: " + cases + ". JSON that fits none is kept in Unmatched and written back unchanged.";
        CSharpText.WriteDoc(writer, union.Doc, union.Name);
        writer.WriteLine("/// <remarks>" + note + "</remarks>");
        writer.WriteLine(GeneratedFile.GeneratedCodeAttribute);
        writer.WriteLine("public sealed partial class " + union.Name);
        writer.OpenBlock();
        writer.WriteLine("// Which case this holds: 1 + its index, or 0 for JSON that matched none.");
        writer.WriteLine("private readonly int _case;");
        writer.WriteLine("private readonly " + Json + ".JsonElement _unmatched;");
        for (int i = 0; i < union.Cases.Count; i++)
        {
            writer.WriteLine("private readonly " + Type(spec, union.Cases[i].Type.WithNullable(!union.Cases[i].Type.IsValueType)) + " _case" + Index(i) + ";");
        }

        for (int i = 0; i < union.Cases.Count; i++)
        {
            UnionCaseSpec unionCase = union.Cases[i];
            string type = Type(spec, unionCase.Type);
            string check = unionCase.Type.IsValueType ? "value" : "value ?? throw new global::System.ArgumentNullException(nameof(value))";
            writer.WriteLine($$"""

                /// <summary>Holds a {{unionCase.MemberName}}.</summary>
                public {{union.Name}}({{type}} value)
                {
                    _case = {{Index(i + 1)}};
                    _case{{Index(i)}} = {{check}};
                }
                """);
        }

        writer.WriteLine($$"""

            private {{union.Name}}({{Json}}.JsonElement unmatched, bool _)
            {
                _unmatched = unmatched;
            }

            /// <summary>Holds JSON that matches none of the cases; it is written back unchanged.</summary>
            public static {{self}} {{Names.FromUnmatched}}({{Json}}.JsonElement json) => new(json, false);
            """);

        for (int i = 0; i < union.Cases.Count; i++)
        {
            UnionCaseSpec unionCase = union.Cases[i];
            string type = Type(spec, unionCase.Type);
            string nullableType = Type(spec, unionCase.Type.WithNullable(true));
            writer.WriteLine();
            if (unionCase.Type.Kind is not (TypeKind.Array or TypeKind.Map))
            {
                // C# allows no conversion from an interface type (IReadOnlyList, IReadOnlyDictionary).
                writer.WriteLine("/// <summary>Holds a " + unionCase.MemberName + ".</summary>");
                writer.WriteLine("public static implicit operator " + self + "(" + type + " value) => new(value);");
                writer.WriteLine();
            }

            writer.WriteLine($$"""
                /// <summary>Whether this holds a {{unionCase.MemberName}}.</summary>
                public bool {{Names.Is(unionCase.MemberName)}} => _case == {{Index(i + 1)}};

                /// <summary>The {{unionCase.MemberName}} this holds, or null.</summary>
                public {{nullableType}} {{unionCase.MemberName}} => _case == {{Index(i + 1)}} ? _case{{Index(i)}} : null;
                """);
        }

        writer.WriteLine($$"""

            /// <summary>Whether the JSON read matched none of the cases.</summary>
            public bool {{Names.IsUnmatched}} => _case == 0;

            /// <summary>The JSON read when it matched none of the cases, or null.</summary>
            public {{Json}}.JsonElement? {{Names.Unmatched}} => _case == 0 ? _unmatched : null;

            /// <summary>The value this holds, as text.</summary>
            public override string ToString() => _case switch
            {
            """);
        writer.Indent();
        for (int i = 0; i < union.Cases.Count; i++)
        {
            writer.WriteLine(Index(i + 1) + " => " + ToText(union.Cases[i].Type, "_case" + Index(i)) + ",");
        }

        writer.WriteLine("_ => _unmatched.ToString(),");
        writer.Unindent();
        writer.WriteLine($$"""
            };

            /// <summary>Reads the first case the JSON fits: by token kind, then (for objects) by which required properties are present.</summary>
            public sealed class {{Names.Converter}} : {{Json}}.Serialization.JsonConverter<{{self}}>
            {
            """);
        writer.Indent();
        for (int i = 0; i < union.Cases.Count; i++)
        {
            if (NeedsInfo(union.Cases[i].Type))
            {
                writer.WriteLine("private " + Metadata + ".JsonTypeInfo<" + Type(spec, union.Cases[i].Type) + ">? _info" + Index(i) + ";");
            }
        }

        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine("public override " + self + " Read(ref " + Json + ".Utf8JsonReader reader, global::System.Type typeToConvert, " + Json + ".JsonSerializerOptions options)");
        writer.OpenBlock();
        EmitShapeRead(writer, spec, union, (c, i) => TryRead(self, spec, c, i), Names.FromUnmatched);
        writer.CloseBlock();

        writer.WriteLine($$"""

            /// <inheritdoc/>
            public override void Write({{Json}}.Utf8JsonWriter writer, {{self}} value, {{Json}}.JsonSerializerOptions options)
            {
                switch (value._case)
                {
            """);
        writer.Indent();
        writer.Indent();
        for (int i = 0; i < union.Cases.Count; i++)
        {
            writer.WriteLine("case " + Index(i + 1) + ":");
            writer.WriteLine("    " + WriteCase(spec, union.Cases[i], i) + ";");
            writer.WriteLine("    return;");
        }

        writer.WriteLine("default:");
        writer.WriteLine("    value._unmatched.WriteTo(writer);");
        writer.WriteLine("    return;");
        writer.Unindent();
        writer.Unindent();
        writer.WriteLine("""
                }
            }
            """);
        WriteInfoHelper(writer);
        writer.WriteLine($$"""

            // Reads a case from a copy of the reader, so that a value that does not fit leaves the reader where it was.
            private static bool TryRead<T>(ref {{Json}}.Utf8JsonReader reader, {{Metadata}}.JsonTypeInfo<T> info, out T value)
            {
                {{Json}}.Utf8JsonReader copy = reader;
                try
                {
                    value = {{Json}}.JsonSerializer.Deserialize(ref copy, info)!;
                }
                catch ({{Json}}.JsonException)
                {
                    value = default!;
                    return false;
                }

                reader = copy;
                return value is not null;
            }
            """);
        writer.Unindent();
        writer.WriteLine("}");
        writer.CloseBlock();
    }

    /// <summary>
    /// The statements that read a shape union at the reader's value (not a JSON null): by token kind,
    /// then, for objects, by which required properties are present; JSON that fits no case becomes
    /// the union's unmatched value. Its converter and the context's generated reader share them and
    /// differ only in <paramref name="tryRead"/>, the statement that attempts an array or object case
    /// (through that case's metadata, or its generated reader), and in how they name
    /// <paramref name="fromUnmatched"/>.
    /// </summary>
    internal static void EmitShapeRead(SourceWriter writer, ApiSpec spec, UnionSpec union, System.Func<UnionCaseSpec, int, string> tryRead, string fromUnmatched)
    {
        string self = Full(spec, union.Name);
        writer.WriteLine("switch (reader.TokenType)");
        writer.OpenBlock();
        EmitStringCases(writer, spec, union);
        // The narrowest integer first, then the exact decimal before the binary floats.
        EmitTokenCases(writer, union, "Number", [TypeKind.SByte, TypeKind.Byte, TypeKind.Int16, TypeKind.UInt16, TypeKind.Int32, TypeKind.UInt32, TypeKind.Int64, TypeKind.UInt64, TypeKind.Decimal, TypeKind.Single, TypeKind.Double], (c, i)
            => "if (reader.TryGet" + c.Type.Kind + "(out " + Type(spec, c.Type.WithNullable(false)) + " v" + Index(i) + "))\n{\n    return new " + self + "(v" + Index(i) + ");\n}");
        if (union.Cases.Any(c => c.Type.Kind == TypeKind.Boolean))
        {
            writer.WriteLine("case " + Json + ".JsonTokenType.True:");
            writer.WriteLine("case " + Json + ".JsonTokenType.False:");
            writer.WriteLine("    return new " + self + "(reader.GetBoolean());");
        }

        EmitTokenCases(writer, union, "StartArray", [TypeKind.Array], tryRead);
        EmitObjectCases(writer, union, tryRead);
        writer.CloseBlock();
        writer.WriteLine();
        int json = IndexOf(union, TypeKind.JsonElement);
        writer.WriteLine(json >= 0
            ? "return new " + self + "(" + Json + ".JsonElement.ParseValue(ref reader));"
            : "return " + fromUnmatched + "(" + Json + ".JsonElement.ParseValue(ref reader));");
    }

    private static string TryRead(string self, ApiSpec spec, UnionCaseSpec unionCase, int i)
        => "if (TryRead(ref reader, _info" + Index(i) + " ??= Info<" + Type(spec, unionCase.Type) + ">(options), out " + Type(spec, unionCase.Type) + " v" + Index(i) + "))\n"
           + "{\n    return new " + self + "(v" + Index(i) + ");\n}";

    private static string WriteCase(ApiSpec spec, UnionCaseSpec unionCase, int i)
    {
        string field = "value._case" + Index(i);
        return unionCase.Type.Kind switch
        {
            TypeKind.String => "writer.WriteStringValue(" + field + ")",
            TypeKind.DateTimeOffset or TypeKind.Guid => "writer.WriteStringValue(" + field + ")",
            TypeKind.DateOnly or TypeKind.TimeOnly => "writer.WriteStringValue(" + ScalarText.Of(unionCase.Type, field) + ")",
            TypeKind.Uri => "writer.WriteStringValue(" + field + "!.OriginalString)",
            TypeKind.ByteArray => "writer.WriteBase64StringValue(" + field + "!)",
            TypeKind.Enum => "writer.WriteStringValue(" + field + "!." + Names.Value + ")",
            TypeKind.Boolean => "writer.WriteBooleanValue(" + field + ")",
            _ when unionCase.Type.IsNumber => "writer.WriteNumberValue(" + field + ")",
            TypeKind.JsonElement => field + ".WriteTo(writer)",
            _ => Json + ".JsonSerializer.Serialize(writer, " + field + "!, _info" + Index(i) + " ??= Info<" + Type(spec, unionCase.Type) + ">(options))",
        };
    }

    private static string ToText(TypeRef type, string field) => type.IsScalar
        ? ScalarText.Of(type, type.IsValueType ? field : field + "!")
        : field + "!.ToString()!";
}
