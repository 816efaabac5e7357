using Baseten.Aot.Generator.Model;
using Names = Baseten.Aot.Generator.Model.TypeMemberNames;

namespace Baseten.Aot.Generator.Emitting;

// Fast-path serialize handlers: values written with pre-encoded property names.
internal sealed partial class JsonContextEmitter
{
    // Handlers are instance methods: STJ calls them through a delegate, and a delegate to an
    // instance method avoids the shuffle thunk a static one needs.
    private void EmitHandler(string type, string name, System.Action body)
    {
        _writer.WriteLine($$"""

            private void {{ContextMemberNames.SerializeHandler(name)}}({{Json}}.Utf8JsonWriter writer, {{type}}? value)
            {
                if (value is null)
                {
                    writer.WriteNullValue();
                    return;
                }

            """);
        _writer.Indent();
        _locals = 0;
        body();
        _writer.Unindent();
        _writer.WriteLine("}");
    }

    private void WriteProperty(ModelSpec model, PropertySpec property)
    {
        string field = EncodedName(model, property);
        string access = "value." + property.Name;
        // A hierarchy's discriminator always has its value: the type's.
        if ((property.IsRequired || property.IsDiscriminator) && !property.Type.IsNullable)
        {
            WriteNamedValue(field, property.Type, access);
            return;
        }

        string local = NextLocal();
        _writer.WriteLine("if (" + access + " is { } " + local + ")");
        _writer.OpenBlock();
        WriteNamedValue(field, property.Type.WithNullable(false), local);
        _writer.CloseBlock();
        if (property.IsRequired)
        {
            _writer.WriteLine("else");
            _writer.OpenBlock();
            _writer.WriteLine("writer.WriteNull(" + field + ");");
            _writer.CloseBlock();
        }
        else if (property.TracksAssignment)
        {
            _writer.WriteLine("else if (" + IsAssigned(model, property, "value") + ")");
            _writer.OpenBlock();
            _writer.WriteLine("writer.WriteNull(" + field + ");");
            _writer.CloseBlock();
        }
    }

    // The members a model kept from a newer server (or a caller added), written back as they were read.
    // One whose name a declared property writes is refused rather than written a second time: servers
    // disagree on which of two members of one name counts. A read model never holds one (its reader
    // keeps only undeclared names), so the refusal costs one lookup per extra member.
    private void WriteKeptMembers(ModelSpec model)
    {
        string local = NextLocal();
        _writer.WriteLine("if (value." + ModelSpec.AdditionalPropertiesName + " is { } " + local + ")");
        _writer.OpenBlock();
        _writer.WriteLine("foreach (global::System.Collections.Generic.KeyValuePair<string, global::System.Text.Json.JsonElement> kept in " + local + ")");
        _writer.OpenBlock();
        _writer.WriteLine("if (" + Type(TypeRef.ModelNamed(model.Name)) + "." + ModelSpec.DeclaredPropertyOfName + "(kept.Key) is { } declared)");
        _writer.OpenBlock();
        _writer.WriteLine("throw " + Helpers + ".RepeatedMember(" + CSharpText.Literal(model.Name) + ", kept.Key, declared);");
        _writer.CloseBlock();
        _writer.WriteLine();
        _writer.WriteLine("writer.WritePropertyName(kept.Key);");
        _writer.WriteLine("kept.Value.WriteTo(writer);");
        _writer.CloseBlock();
        _writer.CloseBlock();
    }

    private static string IsAssigned(ModelSpec model, PropertySpec property, string instance)
    {
        int index = model.TrackingIndexOf(property);
        return "(" + instance + "." + ModelEmitter.AssignedMask(index / 64) + " & " + ModelEmitter.AssignedBit(index) + ") != 0";
    }

    // Writes "name": value, for a value whose type is not nullable (reference types may still hold null at run time).
    private void WriteNamedValue(string field, TypeRef type, string expression)
    {
        switch (type.Kind)
        {
            case TypeKind.String:
            case TypeKind.DateTimeOffset:
            case TypeKind.Guid:
                _writer.WriteLine("writer.WriteString(" + field + ", " + expression + ");");
                break;
            case TypeKind.Enum:
                _writer.WriteLine("writer.WriteString(" + field + ", " + expression + "?." + Names.Value + ");");
                break;
            case TypeKind.Boolean:
                _writer.WriteLine("writer.WriteBoolean(" + field + ", " + expression + ");");
                break;
            case TypeKind.DateOnly:
            case TypeKind.TimeOnly:
                _writer.WriteLine("writer.WriteString(" + field + ", " + ScalarText.Of(type, expression) + ");");
                break;
            case TypeKind.Uri:
                // As System.Text.Json's converter writes it: the address as given.
                _writer.WriteLine("writer.WriteString(" + field + ", " + expression + "?.OriginalString);");
                break;
            case var _ when type.IsNumber:
                _writer.WriteLine("writer.WriteNumber(" + field + ", " + expression + ");");
                break;
            default:
                _writer.WriteLine("writer.WritePropertyName(" + field + ");");
                WriteValue(type, expression);
                break;
        }
    }

    private void WriteValue(TypeRef type, string expression)
    {
        if (type.IsNullable && type.IsValueType)
        {
            string local = NextLocal();
            _writer.WriteLine("if (" + expression + " is { } " + local + ")");
            _writer.OpenBlock();
            WriteValue(type.WithNullable(false), local);
            _writer.CloseBlock();
            _writer.WriteLine("else");
            _writer.OpenBlock();
            _writer.WriteLine("writer.WriteNullValue();");
            _writer.CloseBlock();
            return;
        }

        if (type.Kind == TypeKind.ByteArray)
        {
            // A byte[] that is null at run time is written as null, not as an empty base64 string.
            _writer.WriteLine("if (" + expression + " is null)");
            _writer.OpenBlock();
            _writer.WriteLine("writer.WriteNullValue();");
            _writer.CloseBlock();
            _writer.WriteLine("else");
            _writer.OpenBlock();
            _writer.WriteLine("writer.WriteBase64StringValue(" + expression + ");");
            _writer.CloseBlock();
            return;
        }

        _writer.WriteLine(type.Kind switch
        {
            TypeKind.String or TypeKind.DateTimeOffset or TypeKind.Guid => "writer.WriteStringValue(" + expression + ");",
            TypeKind.DateOnly or TypeKind.TimeOnly => "writer.WriteStringValue(" + ScalarText.Of(type, expression) + ");",
            TypeKind.Uri => "writer.WriteStringValue(" + expression + "?.OriginalString);",
            _ when type.IsNumber => "writer.WriteNumberValue(" + expression + ");",
            TypeKind.Enum => "writer.WriteStringValue(" + expression + "?." + Names.Value + ");",
            TypeKind.Boolean => "writer.WriteBooleanValue(" + expression + ");",
            TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double => "writer.WriteNumberValue(" + expression + ");",
            TypeKind.JsonElement => expression + ".WriteTo(writer);",
            _ => ContextMemberNames.SerializeHandler(InfoOf(type)) + "(writer, " + expression + ForgivingSuffix(type) + ");",
        });
    }
}
