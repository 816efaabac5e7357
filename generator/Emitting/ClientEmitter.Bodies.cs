using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

// Request bodies: JSON, text, binary, and the members of form and multipart bodies.
internal static partial class ClientEmitter
{
    private static void EmitBody(SourceWriter writer, ApiSpec spec, OperationSpec operation, string context)
    {
        if (operation.Body is not { } body)
        {
            return;
        }

        string media = CSharpText.Literal(body.MediaType);
        switch (body.Kind)
        {
            case BodyKind.Json:
                string json = "request.Content = " + Http + ".ApiContent.Json(" + body.ParameterName + JsonContextEmitter.ForgivingSuffix(body.Type) + ", " + context + "." + InfoName(spec, body.Type) + ");";
                writer.WriteLine(body.Type.IsNullable ? "if (" + body.ParameterName + " is not null)\n{\n    " + json + "\n}" : json);
                break;
            case BodyKind.Text:
            case BodyKind.Binary:
                string content = "request.Content = " + Http + ".ApiContent." + (body.Kind == BodyKind.Text ? "Text" : "Binary") + "(" + body.ParameterName + ", " + media + ");";
                writer.WriteLine(body.Type.IsNullable ? "if (" + body.ParameterName + " is not null)\n{\n    " + content + "\n}" : content);
                break;
            case BodyKind.FormUrlEncoded:
                writer.WriteLine("var form = new global::System.Collections.Generic.List<global::System.Collections.Generic.KeyValuePair<string, string>>();");
                foreach (FieldSpec field in body.Fields)
                {
                    EmitField(writer, spec, field, context, (key, text) => "form.Add(new global::System.Collections.Generic.KeyValuePair<string, string>(" + key + ", " + text + "));", null);
                }

                writer.WriteLine("request.Content = " + Http + ".ApiContent.FormUrlEncoded(form);");
                break;
            default:
                writer.WriteLine("var form = " + Http + ".ApiContent.Multipart();");
                writer.WriteLine("request.Content = form;");
                foreach (FieldSpec field in body.Fields)
                {
                    EmitField(
                        writer,
                        spec,
                        field,
                        context,
                        (key, text) => "form.Add(new global::System.Net.Http.StringContent(" + text + "), " + key + ");",
                        (key, json) => "form.Add(" + json + ", " + key + ");");
                }

                break;
        }
    }

    // One form or multipart member: scalars as text, lists one entry per item, files as streamed
    // parts, anything else as JSON (a JSON part in multipart, JSON text in a form).
    private static void EmitField(SourceWriter writer, ApiSpec spec, FieldSpec field, string context, System.Func<string, string, string> addText, System.Func<string, string, string>? addJson)
    {
        string key = CSharpText.Literal(field.WireName);
        TypeRef type = field.Type.WithNullable(false);
        string value = field.Type.IsNullable && field.Type.IsValueType ? field.ParameterName + ".Value" : field.ParameterName;
        string statement;
        if (field.IsFile)
        {
            statement = "form.Add(new global::System.Net.Http.StreamContent(" + field.ParameterName + "), " + key + ", " + key + ");";
        }
        else if (type.IsScalar)
        {
            statement = addText(key, ValueText(type, value));
        }
        else if (type.Kind == TypeKind.Array && type.Element!.IsScalar && !type.Element.IsNullable)
        {
            statement = "foreach (" + TypeNames.CSharp(type.Element, spec.Namespace) + " item in " + field.ParameterName + ")\n{\n    " + addText(key, ValueText(type.Element, "item")) + "\n}";
        }
        else
        {
            string info = context + "." + InfoName(spec, type);
            statement = addJson is not null
                ? addJson(key, Http + ".ApiContent.Json(" + value + ", " + info + ")")
                : addText(key, Json + ".JsonSerializer.Serialize(" + value + ", " + info + ")");
        }

        writer.WriteLine(field.Type.IsNullable ? "if (" + field.ParameterName + " is not null)\n{\n" + Indent(statement) + "\n}" : statement);
    }
}
