using Baseten.Aot.Generator.Model;
using Names = Baseten.Aot.Generator.Model.TypeMemberNames;

namespace Baseten.Aot.Generator.Emitting;

/// <summary>Emits one open enum class per string enum: its known values, the text of any other, and its converter.</summary>
internal static class EnumEmitter
{
    private const string JsonSerialization = "global::System.Text.Json.Serialization";

    public static string Emit(ApiSpec spec, EnumSpec enumSpec)
    {
        string name = enumSpec.Name;
        SourceWriter writer = GeneratedFile.Start(spec);
        const string OpenEnumNote = "An open enum: a value this client does not know is kept in Value and sent back unchanged. Switch on KnownValue to handle the known ones.";
        CSharpText.WriteDoc(writer, enumSpec.Doc with { Remarks = enumSpec.Doc.Remarks is null ? OpenEnumNote : enumSpec.Doc.Remarks + "\n" + OpenEnumNote }, name);
        writer.WriteLine(GeneratedFile.GeneratedCodeAttribute);
        // A class rather than a struct: known values are cached instances, so reading one allocates
        // nothing, and System.Text.Json's generic code is shared across reference types instead of
        // being specialized for every enum and its Nullable<T> (a large share of a NativeAOT binary).
        // No [JsonConverter] attribute: the generated context hands the converter out where a type
        // needs it, while an attribute would keep every enum's converter in a trimmed app that
        // touches the type's metadata at all (measured: 185 KB for Baseten's live document).
        writer.WriteLine("public sealed partial class " + name + " : global::System.IEquatable<" + name + ">");
        writer.OpenBlock();
        writer.WriteLine($$"""
            private readonly string _value;
            private readonly {{Names.Known}} _known;

            /// <summary>Creates a value from its wire text; text this client does not know is allowed and kept.</summary>
            /// <exception cref="global::System.ArgumentNullException"><paramref name="value"/> is null.</exception>
            public {{name}}(string value)
            {
                _value = value ?? throw new global::System.ArgumentNullException(nameof(value));
                _known = {{Names.KnownOf}}(value);
            }

            private {{name}}(string value, {{Names.Known}} known)
            {
                _value = value;
                _known = known;
            }

            /// <summary>The known values of <see cref="{{name}}"/>, for <c>switch</c>.</summary>
            public enum {{Names.Known}}
            {
                /// <summary>A value this version of the client does not know; see <see cref="{{Names.Value}}"/>.</summary>
                {{Names.Unknown}} = 0,
            """);
        writer.Indent();
        foreach (EnumMemberSpec member in enumSpec.Members)
        {
            writer.WriteLine("/// <summary><c>" + CSharpText.XmlLine(member.Value) + "</c></summary>");
            writer.WriteLine(member.Name + ",");
        }

        writer.Unindent();
        writer.WriteLine("}");
        foreach (EnumMemberSpec member in enumSpec.Members)
        {
            writer.WriteLine();
            writer.WriteLine("/// <summary><c>" + CSharpText.XmlLine(member.Value) + "</c></summary>");
            writer.WriteLine("public static " + name + " " + member.Name + " { get; } = new(" + CSharpText.Literal(member.Value) + ", " + Names.Known + "." + member.Name + ");");
        }

        writer.WriteLine($$"""

            /// <summary>The text sent on the wire.</summary>
            public string {{Names.Value}} => _value;

            /// <summary>Which known value this is, or <see cref="{{Names.Known}}.{{Names.Unknown}}"/>.</summary>
            public {{Names.Known}} {{Names.KnownValue}} => _known;

            /// <summary>Whether this client knows the value.</summary>
            public bool {{Names.IsKnown}} => _known != {{Names.Known}}.{{Names.Unknown}};

            private static {{Names.Known}} {{Names.KnownOf}}(string value) => value switch
            {
            """);
        writer.Indent();
        foreach (EnumMemberSpec member in enumSpec.Members)
        {
            writer.WriteLine(CSharpText.Literal(member.Value) + " => " + Names.Known + "." + member.Name + ",");
        }

        writer.WriteLine("_ => " + Names.Known + "." + Names.Unknown + ",");
        writer.Unindent();
        writer.WriteLine($$"""
            };

            /// <inheritdoc/>
            public bool Equals({{name}}? other) => other is not null && string.Equals(_value, other._value, global::System.StringComparison.Ordinal);

            /// <inheritdoc/>
            public override bool Equals(object? obj) => Equals(obj as {{name}});

            /// <inheritdoc/>
            public override int GetHashCode() => global::System.StringComparer.Ordinal.GetHashCode(_value);

            /// <summary>The wire text.</summary>
            public override string ToString() => _value;

            /// <summary>Compares the wire texts, ordinally.</summary>
            public static bool operator ==({{name}}? left, {{name}}? right) => left is null ? right is null : left.Equals(right);

            /// <summary>Compares the wire texts, ordinally.</summary>
            public static bool operator !=({{name}}? left, {{name}}? right) => !(left == right);

            """);
        writer.WriteLine("/// <summary>Reads and writes the wire text; known values are read without allocating.</summary>");
        writer.WriteLine("public sealed class " + Names.Converter + " : " + JsonSerialization + ".JsonConverter<" + name + ">");
        writer.OpenBlock();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine("public override " + name + " Read(ref global::System.Text.Json.Utf8JsonReader reader, global::System.Type typeToConvert, global::System.Text.Json.JsonSerializerOptions options)");
        writer.WriteLine("    => ReadValue(ref reader);");
        writer.WriteLine();
        writer.WriteLine("// Also what the generated model readers call, without a converter instance.");
        writer.WriteLine("internal static " + name + " ReadValue(ref global::System.Text.Json.Utf8JsonReader reader)");
        writer.OpenBlock();
        writer.WriteLine($$"""
            if (reader.TokenType != global::System.Text.Json.JsonTokenType.String)
            {
                throw new global::System.Text.Json.JsonException("{{name}} must be a JSON string.");
            }
            """);
        foreach (EnumMemberSpec member in enumSpec.Members)
        {
            // A u8 literal cannot hold a lone surrogate; such a value is compared as a string.
            string literal = CSharpText.Literal(member.Value) + (HasSurrogate(member.Value) ? string.Empty : "u8");
            writer.WriteLine();
            writer.WriteLine("if (reader.ValueTextEquals(" + literal + "))");
            writer.OpenBlock();
            writer.WriteLine("return global::" + spec.Namespace + "." + name + "." + member.Name + ";");
            writer.CloseBlock();
        }

        writer.WriteLine();
        writer.WriteLine("return new global::" + spec.Namespace + "." + name + "(reader.GetString()!);");
        writer.CloseBlock();
        writer.WriteLine();
        writer.WriteLine("/// <inheritdoc/>");
        writer.WriteLine("public override void Write(global::System.Text.Json.Utf8JsonWriter writer, " + name + " value, global::System.Text.Json.JsonSerializerOptions options)");
        writer.WriteLine("    => writer.WriteStringValue(value." + Names.Value + ");");
        writer.CloseBlock();
        writer.CloseBlock();
        return GeneratedFile.Finish(writer);
    }

    /// <summary>A property's starting value (a const, or the discriminator value of a variant) as a C# expression.</summary>

    private static bool HasSurrogate(string value)
    {
        foreach (char c in value)
        {
            if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
