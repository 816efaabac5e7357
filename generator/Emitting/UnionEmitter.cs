using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

/// <summary>
/// Emits a union. Discriminated: an abstract class its variants derive from, a nested
/// <c>Unknown</c> for values this client does not know, and a converter that finds the
/// discriminator anywhere in the object without buffering more than that object. Otherwise: a class
/// holding one case, read by JSON token kind and then by the required properties of an object.
/// Both keep JSON that fits no case and write it back unchanged.
/// </summary>
internal static class UnionEmitter
{
    private const string Json = "global::System.Text.Json";
    private const string Metadata = "global::System.Text.Json.Serialization.Metadata";

    public static string Emit(ApiSpec spec, UnionSpec union)
    {
        SourceWriter writer = GeneratedFile.Start(spec);
        if (union.IsDiscriminated)
        {
            EmitDiscriminated(writer, spec, union);
        }
        else
        {
            EmitByShape(writer, spec, union);
        }

        return GeneratedFile.Finish(writer);
    }

    private static string Full(ApiSpec spec, string name) => "global::" + spec.Namespace + "." + name;

    private static string Type(ApiSpec spec, TypeRef type) => TypeNames.CSharp(type, spec.Namespace);

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static void EmitDiscriminated(SourceWriter writer, ApiSpec spec, UnionSpec union)
    {
        string self = Full(spec, union.Name);
        string variants = string.Join(", ", union.Cases.Select(c => "<see cref=\"" + Type(spec, c.Type) + "\"/>"));
        const string Note = "Switch on the variant's type; a discriminator value this client does not know is read as Unknown, which keeps the JSON and writes it back unchanged.";
        CSharpText.WriteDoc(writer, union.Doc with { Remarks = union.Doc.Remarks is null ? Note : union.Doc.Remarks + "\n" + Note }, union.Name);
        writer.WriteLine(GeneratedFile.GeneratedCodeAttribute);
        writer.WriteLine("public abstract partial class " + union.Name);
        writer.OpenBlock();
        writer.WriteLine($$"""
            /// <summary>The name of the property whose value tells the variants apart.</summary>
            public const string DiscriminatorProperty = {{CSharpText.Literal(union.DiscriminatorProperty!)}};

            /// <summary>Only the variants ({{variants}}) and <see cref="Unknown"/> derive from this class.</summary>
            private protected {{union.Name}}()
            {
            }

            /// <summary>A variant this client does not know: its JSON is kept, and written back unchanged.</summary>
            public sealed class Unknown : {{self}}
            {
                /// <summary>Wraps JSON read (or to be sent) as a variant of <see cref="{{self}}"/> this client does not know.</summary>
                public Unknown({{Json}}.JsonElement json)
                {
                    Json = json;
                    DiscriminatorValue = json.ValueKind == {{Json}}.JsonValueKind.Object
                        && json.TryGetProperty(DiscriminatorProperty, out {{Json}}.JsonElement value)
                        && value.ValueKind == {{Json}}.JsonValueKind.String ? value.GetString() : null;
                }

                /// <summary>The discriminator's value, when the JSON is an object that has one as a string.</summary>
                public string? DiscriminatorValue { get; }

                /// <summary>The JSON as read.</summary>
                public {{Json}}.JsonElement Json { get; }
            }

            /// <summary>Reads a variant by its discriminator, wherever it is in the object; writes each variant with its own metadata.</summary>
            public sealed class Converter : {{Json}}.Serialization.JsonConverter<{{self}}>
            {
            """);
        writer.Indent();
        for (int i = 0; i < union.Cases.Count; i++)
        {
            writer.WriteLine("private " + Metadata + ".JsonTypeInfo<" + Type(spec, union.Cases[i].Type) + ">? _info" + Index(i) + ";");
        }

        writer.WriteLine($$"""

            /// <inheritdoc/>
            public override {{self}} Read(ref {{Json}}.Utf8JsonReader reader, global::System.Type typeToConvert, {{Json}}.JsonSerializerOptions options)
            {
                if (reader.TokenType == {{Json}}.JsonTokenType.StartObject)
                {
                    // A copy scans this object's own properties for the discriminator; System.Text.Json
                    // has buffered the whole object before calling a converter, and nothing more.
                    {{Json}}.Utf8JsonReader scan = reader;
                    while (scan.Read() && scan.TokenType == {{Json}}.JsonTokenType.PropertyName)
                    {
                        if (scan.ValueTextEquals({{U8(union.DiscriminatorProperty!)}}))
                        {
                            if (scan.Read() && scan.TokenType == {{Json}}.JsonTokenType.String)
                            {
            """);
        const int InsideTheValueCheck = 5;
        for (int i = 0; i < InsideTheValueCheck; i++)
        {
            writer.Indent();
        }

        for (int i = 0; i < union.Cases.Count; i++)
        {
            UnionCaseSpec unionCase = union.Cases[i];
            string condition = string.Join(" || ", unionCase.DiscriminatorValues.Select(v => "scan.ValueTextEquals(" + U8(v) + ")"));
            writer.WriteLine("if (" + condition + ")");
            writer.OpenBlock();
            writer.WriteLine("return ReadVariant(ref reader, _info" + Index(i) + " ??= Info<" + Type(spec, unionCase.Type) + ">(options), options);");
            writer.CloseBlock();
            writer.WriteLine();
        }

        for (int i = 0; i < InsideTheValueCheck; i++)
        {
            writer.Unindent();
        }

        writer.WriteLine($$"""
                            }

                            break;
                        }

                        if (!scan.Read() || !scan.TrySkip())
                        {
                            break;
                        }
                    }
                }

                return new Unknown({{Json}}.JsonElement.ParseValue(ref reader));
            }

            // A variant with the context's generated reader is read by it directly; otherwise through its metadata.
            private static T ReadVariant<T>(ref {{Json}}.Utf8JsonReader reader, {{Metadata}}.JsonTypeInfo<T> info, {{Json}}.JsonSerializerOptions options)
                where T : class
                => info.Converter is global::{{spec.Namespace}}.{{spec.ContextName}}.GeneratedConverter<T> generated
                    ? generated.ReadValue(ref reader, options)!
                    : {{Json}}.JsonSerializer.Deserialize(ref reader, info)!;

            /// <inheritdoc/>
            public override void Write({{Json}}.Utf8JsonWriter writer, {{self}} value, {{Json}}.JsonSerializerOptions options)
            {
                switch (value)
                {
            """);
        writer.Indent();
        writer.Indent();
        for (int i = 0; i < union.Cases.Count; i++)
        {
            string type = Type(spec, union.Cases[i].Type);
            writer.WriteLine("case " + type + " variant:");
            writer.WriteLine("    " + Json + ".JsonSerializer.Serialize(writer, variant, _info" + Index(i) + " ??= Info<" + type + ">(options));");
            writer.WriteLine("    return;");
        }

        writer.WriteLine("case Unknown unknown:");
        writer.WriteLine("    unknown.Json.WriteTo(writer);");
        writer.WriteLine("    return;");
        writer.WriteLine("default:");
        writer.WriteLine("    throw new " + Json + ".JsonException(\"" + union.Name + " has no variant \" + value.GetType() + \".\");");
        writer.Unindent();
        writer.Unindent();
        writer.WriteLine("""
                }
            }
            """);
        WriteInfoHelper(writer);
        writer.Unindent();
        writer.WriteLine("}");
        writer.CloseBlock();
    }

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
            public static {{self}} FromUnmatched({{Json}}.JsonElement json) => new(json, false);
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
                public bool Is{{unionCase.MemberName}} => _case == {{Index(i + 1)}};

                /// <summary>The {{unionCase.MemberName}} this holds, or null.</summary>
                public {{nullableType}} {{unionCase.MemberName}} => _case == {{Index(i + 1)}} ? _case{{Index(i)}} : null;
                """);
        }

        writer.WriteLine($$"""

            /// <summary>Whether the JSON read matched none of the cases.</summary>
            public bool IsUnmatched => _case == 0;

            /// <summary>The JSON read when it matched none of the cases, or null.</summary>
            public {{Json}}.JsonElement? Unmatched => _case == 0 ? _unmatched : null;

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
            public sealed class Converter : {{Json}}.Serialization.JsonConverter<{{self}}>
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
        writer.WriteLine("switch (reader.TokenType)");
        writer.OpenBlock();
        EmitStringCases(writer, spec, union);
        EmitTokenCases(writer, union, "Number", [TypeKind.Int32, TypeKind.Int64, TypeKind.Double], (c, i) => c.Type.Kind switch
        {
            TypeKind.Int32 => "if (reader.TryGetInt32(out int v" + Index(i) + "))\n{\n    return new " + self + "(v" + Index(i) + ");\n}",
            TypeKind.Int64 => "if (reader.TryGetInt64(out long v" + Index(i) + "))\n{\n    return new " + self + "(v" + Index(i) + ");\n}",
            _ => "if (reader.TryGetDouble(out double v" + Index(i) + "))\n{\n    return new " + self + "(v" + Index(i) + ");\n}",
        });
        if (union.Cases.Any(c => c.Type.Kind == TypeKind.Boolean))
        {
            writer.WriteLine("case " + Json + ".JsonTokenType.True:");
            writer.WriteLine("case " + Json + ".JsonTokenType.False:");
            writer.WriteLine("    return new " + self + "(reader.GetBoolean());");
        }

        EmitTokenCases(writer, union, "StartArray", [TypeKind.Array], (c, i) => TryRead(self, spec, c, i));
        EmitObjectCases(writer, spec, union, self);
        writer.CloseBlock();
        writer.WriteLine();
        int json = IndexOf(union, TypeKind.JsonElement);
        writer.WriteLine(json >= 0
            ? "return new " + self + "(" + Json + ".JsonElement.ParseValue(ref reader));"
            : "return FromUnmatched(" + Json + ".JsonElement.ParseValue(ref reader));");
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

    private static void EmitStringCases(SourceWriter writer, ApiSpec spec, UnionSpec union)
    {
        string self = Full(spec, union.Name);
        int dateTime = IndexOf(union, TypeKind.DateTimeOffset);
        int enumCase = IndexOf(union, TypeKind.Enum);
        int text = IndexOf(union, TypeKind.String);
        if (dateTime < 0 && enumCase < 0 && text < 0)
        {
            return;
        }

        writer.WriteLine("case " + Json + ".JsonTokenType.String:");
        writer.OpenBlock();
        if (dateTime >= 0)
        {
            writer.WriteLine("if (reader.TryGetDateTimeOffset(out global::System.DateTimeOffset moment))");
            writer.OpenBlock();
            writer.WriteLine("return new " + self + "(moment);");
            writer.CloseBlock();
            writer.WriteLine();
        }

        if (enumCase >= 0 || text >= 0)
        {
            writer.WriteLine("string text = reader.GetString()!;");
        }

        if (enumCase >= 0)
        {
            // With a plain string case too, only a value the enum knows is read as the enum.
            string enumType = Type(spec, union.Cases[enumCase].Type);
            if (text >= 0)
            {
                writer.WriteLine("var known = new " + enumType + "(text);");
                writer.WriteLine("if (known.IsKnown)");
                writer.OpenBlock();
                writer.WriteLine("return new " + self + "(known);");
                writer.CloseBlock();
                writer.WriteLine();
            }
            else
            {
                writer.WriteLine("return new " + self + "(new " + enumType + "(text));");
            }
        }

        if (text >= 0)
        {
            writer.WriteLine("return new " + self + "(text);");
        }
        else if (enumCase < 0)
        {
            writer.WriteLine("break;");
        }

        writer.CloseBlock();
    }

    private static void EmitTokenCases(SourceWriter writer, UnionSpec union, string token, TypeKind[] kinds, System.Func<UnionCaseSpec, int, string> read)
    {
        // Integers before numbers: 3 reads as the integer case, 3.5 as the number case.
        var matching = union.Cases.Select((c, i) => (Case: c, Index: i))
            .Where(x => System.Array.IndexOf(kinds, x.Case.Type.Kind) >= 0)
            .OrderBy(x => System.Array.IndexOf(kinds, x.Case.Type.Kind))
            .ToList();
        if (matching.Count == 0)
        {
            return;
        }

        writer.WriteLine("case " + Json + ".JsonTokenType." + token + ":");
        writer.OpenBlock();
        foreach ((UnionCaseSpec unionCase, int index) in matching)
        {
            writer.WriteLine(read(unionCase, index));
            writer.WriteLine();
        }

        writer.WriteLine("break;");
        writer.CloseBlock();
    }

    private static void EmitObjectCases(SourceWriter writer, ApiSpec spec, UnionSpec union, string self)
    {
        // The most specific case first: the one that requires the most properties.
        var objects = union.Cases.Select((c, i) => (Case: c, Index: i))
            .Where(x => x.Case.Type.Kind is TypeKind.Model or TypeKind.Union or TypeKind.Map)
            .OrderBy(x => x.Case.Type.Kind == TypeKind.Map ? 1 : 0)
            .ThenByDescending(x => x.Case.RequiredProperties.Count)
            .ToList();
        if (objects.Count == 0)
        {
            return;
        }

        writer.WriteLine("case " + Json + ".JsonTokenType.StartObject:");
        writer.OpenBlock();
        var names = objects.SelectMany(x => x.Case.RequiredProperties).Distinct().Take(64).ToList();
        if (names.Count > 0)
        {
            writer.WriteLine("// Which of the properties some case requires are present, one bit each.");
            writer.WriteLine("ulong present = 0;");
            writer.WriteLine(Json + ".Utf8JsonReader scan = reader;");
            writer.WriteLine("while (scan.Read() && scan.TokenType == " + Json + ".JsonTokenType.PropertyName)");
            writer.OpenBlock();
            for (int i = 0; i < names.Count; i++)
            {
                writer.WriteLine((i == 0 ? "if" : "else if") + " (scan.ValueTextEquals(" + U8(names[i]) + "))");
                writer.OpenBlock();
                writer.WriteLine("present |= " + Bit(i) + ";");
                writer.CloseBlock();
            }

            writer.WriteLine();
            writer.WriteLine("if (!scan.Read() || !scan.TrySkip())");
            writer.OpenBlock();
            writer.WriteLine("break;");
            writer.CloseBlock();
            writer.CloseBlock();
            writer.WriteLine();
        }

        foreach ((UnionCaseSpec unionCase, int index) in objects)
        {
            ulong mask = 0;
            foreach (string required in unionCase.RequiredProperties)
            {
                int bit = names.IndexOf(required);
                mask |= bit >= 0 ? 1UL << bit : 0;
            }

            if (mask != 0)
            {
                string literal = "0x" + mask.ToString("X", CultureInfo.InvariantCulture) + "UL";
                writer.WriteLine("if ((present & " + literal + ") == " + literal + ")");
                writer.OpenBlock();
                writer.WriteLine(TryRead(self, spec, unionCase, index));
                writer.CloseBlock();
            }
            else
            {
                writer.WriteLine(TryRead(self, spec, unionCase, index));
            }

            writer.WriteLine();
        }

        writer.WriteLine("break;");
        writer.CloseBlock();
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
            TypeKind.DateTimeOffset => "writer.WriteStringValue(" + field + ")",
            TypeKind.Enum => "writer.WriteStringValue(" + field + "!.Value)",
            TypeKind.Boolean => "writer.WriteBooleanValue(" + field + ")",
            TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double => "writer.WriteNumberValue(" + field + ")",
            TypeKind.JsonElement => field + ".WriteTo(writer)",
            _ => Json + ".JsonSerializer.Serialize(writer, " + field + "!, _info" + Index(i) + " ??= Info<" + Type(spec, unionCase.Type) + ">(options))",
        };
    }

    private static string ToText(TypeRef type, string field) => type.Kind switch
    {
        TypeKind.String => field + "!",
        TypeKind.Int32 or TypeKind.Int64 => field + ".ToString(global::System.Globalization.CultureInfo.InvariantCulture)",
        TypeKind.Double => field + ".ToString(\"R\", global::System.Globalization.CultureInfo.InvariantCulture)",
        TypeKind.DateTimeOffset => field + ".ToString(\"O\", global::System.Globalization.CultureInfo.InvariantCulture)",
        TypeKind.Boolean => "(" + field + " ? \"true\" : \"false\")",
        _ => field + "!.ToString()!",
    };

    private static bool NeedsInfo(TypeRef type) => type.Kind is TypeKind.Model or TypeKind.Union or TypeKind.Array or TypeKind.Map;

    private static int IndexOf(UnionSpec union, TypeKind kind)
    {
        for (int i = 0; i < union.Cases.Count; i++)
        {
            if (union.Cases[i].Type.Kind == kind)
            {
                return i;
            }
        }

        return -1;
    }

    private static void WriteInfoHelper(SourceWriter writer)
        => writer.WriteLine($$"""

            // The case's metadata from the options in use: registered by the context when it built this union's.
            private static {{Metadata}}.JsonTypeInfo<T> Info<T>({{Json}}.JsonSerializerOptions options)
                => ({{Metadata}}.JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
            """);

    private static string Bit(int index) => "0x" + (1UL << index).ToString("X", CultureInfo.InvariantCulture) + "UL";

    /// <summary>A UTF-8 literal for a property name or value; one with a lone surrogate stays a string.</summary>
    private static string U8(string value)
    {
        foreach (char c in value)
        {
            if (char.IsSurrogate(c))
            {
                return CSharpText.Literal(value);
            }
        }

        return CSharpText.Literal(value) + "u8";
    }
}
