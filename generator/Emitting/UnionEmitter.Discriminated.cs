using System.Linq;
using Baseten.Aot.Generator.Model;
using Names = Baseten.Aot.Generator.Model.TypeMemberNames;

namespace Baseten.Aot.Generator.Emitting;

// A union with a discriminator: an abstract base class, an Unknown variant, and a converter that
// finds the discriminator anywhere in the object.
internal static partial class UnionEmitter
{
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
            public const string {{Names.DiscriminatorProperty}} = {{CSharpText.Literal(union.DiscriminatorProperty!)}};

            /// <summary>Only the variants ({{variants}}) and <see cref="{{Names.Unknown}}"/> derive from this class.</summary>
            private protected {{union.Name}}()
            {
            }

            /// <summary>A variant this client does not know: its JSON is kept, and written back unchanged.</summary>
            public sealed class {{Names.Unknown}} : {{self}}
            {
                /// <summary>Wraps JSON read (or to be sent) as a variant of <see cref="{{self}}"/> this client does not know.</summary>
                public {{Names.Unknown}}({{Json}}.JsonElement json)
                {
                    Json = json;
                    DiscriminatorValue = json.ValueKind == {{Json}}.JsonValueKind.Object
                        && json.TryGetProperty({{Names.DiscriminatorProperty}}, out {{Json}}.JsonElement value)
                        && value.ValueKind == {{Json}}.JsonValueKind.String ? value.GetString() : null;
                }

                /// <summary>The discriminator's value, when the JSON is an object that has one as a string.</summary>
                public string? DiscriminatorValue { get; }

                /// <summary>The JSON as read.</summary>
                public {{Json}}.JsonElement Json { get; }
            }

            /// <summary>Reads a variant by its discriminator, wherever it is in the object; writes each variant with its own metadata.</summary>
            public sealed class {{Names.Converter}} : {{Json}}.Serialization.JsonConverter<{{self}}>
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
            """);
        writer.Indent();
        EmitDiscriminatedRead(writer, union, (c, i) => "ReadVariant(ref reader, _info" + Index(i) + " ??= Info<" + Type(spec, c.Type) + ">(options), options)", Names.Unknown);
        writer.Unindent();
        writer.WriteLine($$"""
            }

            // A variant with the context's generated reader is read by it directly; otherwise through its metadata.
            private static T ReadVariant<T>(ref {{Json}}.Utf8JsonReader reader, {{Metadata}}.JsonTypeInfo<T> info, {{Json}}.JsonSerializerOptions options)
                where T : class
                => info.Converter is {{JsonContextEmitter.Converter}}<T> generated
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

        writer.WriteLine("case " + Names.Unknown + " unknown:");
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

    /// <summary>
    /// The statements that read a discriminated union at the reader's value (not a JSON null): the
    /// discriminator found among the object's own members picks the variant, read by
    /// <paramref name="readVariant"/> (through its metadata in the converter, by its generated
    /// reader in the context); anything else is kept as <paramref name="unknown"/>.
    /// </summary>
    internal static void EmitDiscriminatedRead(SourceWriter writer, UnionSpec union, System.Func<UnionCaseSpec, int, string> readVariant, string unknown)
    {
        writer.WriteLine($$"""
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
        const int InsideTheValueCheck = 4;
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
            writer.WriteLine("return " + readVariant(unionCase, i) + ";");
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

            return new {{unknown}}({{Json}}.JsonElement.ParseValue(ref reader));
            """);
    }
}
