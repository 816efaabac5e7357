using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Model;
using Names = Baseten.Aot.Generator.Model.TypeMemberNames;

namespace Baseten.Aot.Generator.Emitting;

// Generated readers: models, lists and maps read straight from the Utf8JsonReader.
internal sealed partial class JsonContextEmitter
{
    // The generated reader: property names matched as UTF-8 bytes (by length, then content), values read
    // with the reader's own getters (which System.Text.Json's converters for them use too) and nested
    // models, lists, maps and unions by their generated readers. What System.Text.Json's object converter does
    // is kept: members in any order, unknown ones skipped, the last of a repeated one wins, a missing
    // required one (or a null for one that cannot be null) is a JsonException.
    private void EmitModelReader(ModelSpec model, string type, string name)
    {
        string creator = model.HasRequiredMembers ? "new " + type + "(context: null)" : "new " + type + "()";
        var required = new List<PropertySpec>();
        int longest = 0;
        foreach (PropertySpec property in model.Properties)
        {
            longest = System.Math.Max(longest, Utf8Length(property.JsonName));
            if (property.IsRequiredToRead)
            {
                required.Add(property);
            }
        }

        _writer.WriteLine($$"""

            private static {{type}}? {{ContextMemberNames.Read(name)}}(ref {{Json}}.Utf8JsonReader reader, {{Json}}.JsonSerializerOptions options)
            {
                if (reader.TokenType != {{Json}}.JsonTokenType.StartObject)
                {
                    return reader.TokenType == {{Json}}.JsonTokenType.Null ? null : throw {{Helpers}}.NotA("an object", {{CSharpText.Literal(model.Name)}}, reader.TokenType);
                }

            """);
        _writer.Indent();
        if (model.IsBase)
        {
            EmitDerivedDispatch(model);
        }

        _writer.WriteLine("var value = " + creator + ";");
        for (int mask = 0; mask * 64 < required.Count; mask++)
        {
            _writer.WriteLine("ulong required" + Invariant(mask) + " = 0;");
        }

        _writer.WriteLine($$"""
            while (reader.Read() && reader.TokenType == {{Json}}.JsonTokenType.PropertyName)
            {
                int property = reader.HasValueSequence || reader.ValueIsEscaped
                    ? {{Helpers}}.UnescapedName(ref reader, {{Invariant(longest)}}) is { } unescaped ? {{ContextMemberNames.PropertyIndex(name)}}(unescaped) : -1
                    : {{ContextMemberNames.PropertyIndex(name)}}(reader.ValueSpan);
            """);
        if (model.KeepsUnknownMembers)
        {
            // The name of a member the document does not declare, read before the reader moves on to its value.
            _writer.WriteLine("    string? unknown = property < 0 ? reader.GetString() : null;");
        }

        _writer.WriteLine($$"""
                reader.Read();
                switch (property)
                {
            """);
        _writer.Indent();
        _writer.Indent();
        for (int i = 0; i < model.Properties.Count; i++)
        {
            PropertySpec property = model.Properties[i];
            _writer.WriteLine("case " + Invariant(i) + ":");
            _writer.Indent();
            if (property.IsDiscriminator)
            {
                // A derived class's value is its own; a base instance keeps the value read (one no derived class stands for).
                _writer.WriteLine(model.IsBase
                    ? "value._" + property.Name + " = reader.GetString() ?? throw " + Helpers + ".NotA(\"a string\", " + CSharpText.Literal(model.Name + "." + property.JsonName) + ", reader.TokenType);"
                    : "reader.Skip();");
                if (property.IsRequiredToRead)
                {
                    int bit = required.IndexOf(property);
                    _writer.WriteLine("required" + Invariant(bit / 64) + " |= " + ModelEmitter.AssignedBit(bit) + ";");
                }

                _writer.WriteLine("break;");
                _writer.Unindent();
                continue;
            }

            string read = ReadExpression(property.Type, "'" + property.JsonName + "' of " + model.Name);
            bool forgive = !property.Type.IsValueType && (!property.Type.IsNullable || ForgivingSuffix(property.Type).Length > 0);
            _writer.WriteLine(property.IsRequiredToRead && !property.Type.IsNullable && !property.Type.IsValueType
                ? "value." + property.Name + " = (" + read + " ?? throw " + Helpers + ".NullForRequired(" + CSharpText.Literal(property.JsonName) + ", " + CSharpText.Literal(model.Name) + "))" + ForgivingSuffix(property.Type) + ";"
                : "value." + property.Name + " = " + read + (forgive ? "!" : string.Empty) + ";");
            if (property.IsRequiredToRead)
            {
                int bit = required.IndexOf(property);
                _writer.WriteLine("required" + Invariant(bit / 64) + " |= " + ModelEmitter.AssignedBit(bit) + ";");
            }

            _writer.WriteLine("break;");
            _writer.Unindent();
        }

        _writer.WriteLine("default:");
        _writer.WriteLine(model.KeepsUnknownMembers
            ? "    (value." + ModelSpec.AdditionalPropertiesName + " ??= new global::System.Collections.Generic.Dictionary<string, global::System.Text.Json.JsonElement>(global::System.StringComparer.Ordinal))[unknown!] = global::System.Text.Json.JsonElement.ParseValue(ref reader);"
            : "    reader.Skip();");
        _writer.WriteLine("    break;");
        _writer.Unindent();
        _writer.Unindent();
        _writer.WriteLine("""
                }
            }

            """);
        _writer.WriteLine("if (reader.TokenType != " + Json + ".JsonTokenType.EndObject)");
        _writer.OpenBlock();
        _writer.WriteLine("throw " + Helpers + ".NotA(\"a complete object\", " + CSharpText.Literal(model.Name) + ", reader.TokenType);");
        _writer.CloseBlock();
        if (required.Count > 0)
        {
            var complete = new List<string>();
            for (int mask = 0; mask * 64 < required.Count; mask++)
            {
                int bits = System.Math.Min(64, required.Count - (mask * 64));
                ulong all = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
                complete.Add("required" + Invariant(mask) + " != 0x" + all.ToString("X", System.Globalization.CultureInfo.InvariantCulture) + "UL");
            }

            _writer.WriteLine();
            _writer.WriteLine("if (" + string.Join(" || ", complete) + ")");
            _writer.OpenBlock();
            _writer.WriteLine("throw " + Helpers + ".MissingRequired(" + CSharpText.Literal(model.Name) + ",");
            _writer.WriteLine("[");
            _writer.Indent();
            for (int bit = 0; bit < required.Count; bit++)
            {
                _writer.WriteLine("(required" + Invariant(bit / 64) + " & " + ModelEmitter.AssignedBit(bit) + ") == 0 ? " + CSharpText.Literal(required[bit].JsonName) + " : null,");
            }

            _writer.Unindent();
            _writer.WriteLine("]);");
            _writer.CloseBlock();
        }

        _writer.WriteLine();
        _writer.WriteLine("return value;");
        _writer.Unindent();
        _writer.WriteLine("}");

        // Names by UTF-8 length, then by their bytes.
        _writer.WriteLine();
        _writer.WriteLine("private static int " + ContextMemberNames.PropertyIndex(name) + "(global::System.ReadOnlySpan<byte> name)");
        _writer.OpenBlock();
        if (model.Properties.Count > 0)
        {
            _writer.WriteLine("switch (name.Length)");
            _writer.OpenBlock();
            foreach (IGrouping<int, (PropertySpec Property, int Index)> group in model.Properties
                .Select((p, i) => (Property: p, Index: i))
                .GroupBy(x => Utf8Length(x.Property.JsonName))
                .OrderBy(g => g.Key))
            {
                _writer.WriteLine("case " + Invariant(group.Key) + ":");
                _writer.Indent();
                foreach ((PropertySpec property, int index) in group)
                {
                    _writer.WriteLine("if (global::System.MemoryExtensions.SequenceEqual(name, " + Utf8Literal(property.JsonName) + "))");
                    _writer.OpenBlock();
                    _writer.WriteLine("return " + Invariant(index) + ";");
                    _writer.CloseBlock();
                    _writer.WriteLine();
                }

                _writer.WriteLine("break;");
                _writer.Unindent();
            }

            _writer.CloseBlock();
            _writer.WriteLine();
        }

        _writer.WriteLine("return -1;");
        _writer.CloseBlock();
    }

    // A base schema's reader first looks for the discriminator among the object's own members (a copy
    // of the reader scans them: the caller, System.Text.Json or a converter, holds the whole value) and
    // hands a value that names a derived class to that class's reader. Anything else (no
    // discriminator, a value this client does not know) is read as the base, keeping the value.
    private void EmitDerivedDispatch(ModelSpec model)
    {
        _writer.WriteLine($$"""
            {{Json}}.Utf8JsonReader scan = reader;
            while (scan.Read() && scan.TokenType == {{Json}}.JsonTokenType.PropertyName)
            {
                if (scan.ValueTextEquals({{Utf8Literal(model.Discriminator!.JsonName)}}))
                {
                    if (scan.Read() && scan.TokenType == {{Json}}.JsonTokenType.String)
                    {
            """);
        const int InsideTheValueCheck = 3;
        for (int i = 0; i < InsideTheValueCheck; i++)
        {
            _writer.Indent();
        }

        foreach (DerivedSpec derived in model.Derived)
        {
            _writer.WriteLine("if (" + string.Join(" || ", derived.Values.Select(v => "scan.ValueTextEquals(" + Utf8Literal(v) + ")")) + ")");
            _writer.OpenBlock();
            _writer.WriteLine("return " + ContextMemberNames.Read(InfoOf(TypeRef.ModelNamed(derived.Model))) + "(ref reader, options);");
            _writer.CloseBlock();
            _writer.WriteLine();
        }

        for (int i = 0; i < InsideTheValueCheck; i++)
        {
            _writer.Unindent();
        }

        _writer.WriteLine("""
                    }

                    break;
                }

                if (!scan.Read() || !scan.TrySkip())
                {
                    break;
                }
            }

            """);
    }

    private void EmitArrayReader(TypeRef array, string type, string name)
    {
        string element = Type(array.Element!);
        _writer.WriteLine($$"""

            private static {{type}}? {{ContextMemberNames.Read(name)}}(ref {{Json}}.Utf8JsonReader reader, {{Json}}.JsonSerializerOptions options)
            {
                if (reader.TokenType != {{Json}}.JsonTokenType.StartArray)
                {
                    return reader.TokenType == {{Json}}.JsonTokenType.Null ? null : throw {{Helpers}}.NotA("an array", {{CSharpText.Literal(type)}}, reader.TokenType);
                }

                var list = new global::System.Collections.Generic.List<{{element}}>();
                while (reader.Read() && reader.TokenType != {{Json}}.JsonTokenType.EndArray)
                {
                    list.Add({{ReadExpression(array.Element!, "an item of " + type.Replace("global::", string.Empty))}}{{ElementSuffix(array.Element!)}});
                }

                return reader.TokenType == {{Json}}.JsonTokenType.EndArray ? list : throw {{Helpers}}.NotA("a complete array", {{CSharpText.Literal(type)}}, reader.TokenType);
            }
            """);
    }

    private void EmitMapReader(TypeRef map, string type, string name)
    {
        string element = Type(map.Element!);
        _writer.WriteLine($$"""

            private static {{type}}? {{ContextMemberNames.Read(name)}}(ref {{Json}}.Utf8JsonReader reader, {{Json}}.JsonSerializerOptions options)
            {
                if (reader.TokenType != {{Json}}.JsonTokenType.StartObject)
                {
                    return reader.TokenType == {{Json}}.JsonTokenType.Null ? null : throw {{Helpers}}.NotA("an object", {{CSharpText.Literal(type)}}, reader.TokenType);
                }

                var map = new global::System.Collections.Generic.Dictionary<string, {{element}}>();
                while (reader.Read() && reader.TokenType == {{Json}}.JsonTokenType.PropertyName)
                {
                    string key = reader.GetString()!;
                    reader.Read();
                    map[key] = {{ReadExpression(map.Element!, "a value of " + type.Replace("global::", string.Empty))}}{{ElementSuffix(map.Element!)}};
                }

                return reader.TokenType == {{Json}}.JsonTokenType.EndObject ? map : throw {{Helpers}}.NotA("a complete object", {{CSharpText.Literal(type)}}, reader.TokenType);
            }
            """);
    }

    // An element whose type cannot be null still takes a JSON null, as System.Text.Json's collections do.
    private static string ElementSuffix(TypeRef element) => element.IsValueType ? string.Empty : "!";

    // Reads the value at the reader as `type` (a JSON null as null where the type is a reference or Nullable);
    // `member` is what a format's reader names when the value does not parse ("'born' of Pet").
    private string ReadExpression(TypeRef type, string member)
    {
        if (type.IsNullable && type.IsValueType)
        {
            return "(reader.TokenType == " + Json + ".JsonTokenType.Null ? null : (" + Type(type) + ")" + ReadExpression(type.WithNullable(false), member) + ")";
        }

        string? format = type.Kind switch
        {
            TypeKind.DateOnly => "ReadDate",
            TypeKind.TimeOnly => "ReadTime",
            TypeKind.Guid => "ReadGuid",
            TypeKind.Uri => "ReadUri",
            TypeKind.ByteArray => "ReadBytes",
            TypeKind.Decimal or TypeKind.Single or TypeKind.SByte or TypeKind.Int16 or TypeKind.Byte or TypeKind.UInt16 or TypeKind.UInt32 or TypeKind.UInt64 => "Read" + type.Kind,
            _ => null,
        };
        if (format is not null)
        {
            return "global::Baseten.Aot.Http.JsonScalar." + format + "(ref reader, " + CSharpText.Literal(member) + ")";
        }

        return type.Kind switch
        {
            TypeKind.String => "reader.GetString()",
            TypeKind.Boolean => "reader.GetBoolean()",
            TypeKind.Int32 => "reader.GetInt32()",
            TypeKind.Int64 => "reader.GetInt64()",
            TypeKind.Double => "reader.GetDouble()",
            TypeKind.DateTimeOffset => "reader.GetDateTimeOffset()",
            TypeKind.JsonElement => Json + ".JsonElement.ParseValue(ref reader)",
            TypeKind.Enum => "(reader.TokenType == " + Json + ".JsonTokenType.Null ? null : " + Type(type.WithNullable(false)) + "." + Names.Converter + ".ReadValue(ref reader))",
            _ => ContextMemberNames.Read(InfoOf(type)) + "(ref reader, options)",
        };
    }
}
