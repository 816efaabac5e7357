using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Model;
using Names = Baseten.Aot.Generator.Model.TypeMemberNames;

namespace Baseten.Aot.Generator.Emitting;

// Path, query, header and cookie parameters written into the request.
internal static partial class ClientEmitter
{
    // A scalar as the text a URL, header or form carries; the expression is not null.
    private static string ValueText(TypeRef type, string expression) => ScalarText.Of(type, expression);

    private static void EmitQuery(SourceWriter writer, ApiSpec spec, OperationSpec operation, string context)
    {
        if (!operation.Parameters.Any(p => p.Location == ParameterLocation.Query))
        {
            return;
        }

        writer.WriteLine("var query = new " + Http + ".QueryBuilder(path);");
        foreach (ParameterSpec p in operation.Parameters)
        {
            if (p.Location != ParameterLocation.Query)
            {
                continue;
            }

            string name = CSharpText.Literal(p.WireName);
            switch (p.Style)
            {
                case ParameterStyle.Default:
                    string value = p.Type.Kind switch
                    {
                        TypeKind.Enum => p.Name + (p.Type.IsNullable ? "?." : ".") + Names.Value,
                        TypeKind.Array when p.Type.Element!.Kind == TypeKind.Enum => p.Name + ", static v => v." + Names.Value,
                        TypeKind.Array when !HasQueryOverload(p.Type.Element!) => p.Name + ", static v => " + ValueText(p.Type.Element!, "v"),
                        TypeKind.Array => p.Name,
                        _ when HasQueryOverload(p.Type) => p.Name,
                        _ when p.Type.IsNullable => p.Name + " is { } " + p.Name + "_ ? " + ValueText(p.Type.WithNullable(false), p.Name + "_") + " : null",
                        _ => ValueText(p.Type, p.Name),
                    };
                    writer.WriteLine("query.Add(" + name + ", " + value + ");");
                    break;
                case ParameterStyle.CommaDelimited or ParameterStyle.SpaceDelimited or ParameterStyle.PipeDelimited:
                    string delimiter = p.Style == ParameterStyle.CommaDelimited ? "," : p.Style == ParameterStyle.SpaceDelimited ? " " : "|";
                    writer.WriteLine("query.Add(" + name + ", " + Http + ".ParameterFormat.Delimited(" + p.Name + ", static v => " + ValueText(p.Type.Element!, "v") + ", " + CSharpText.Literal(delimiter) + "));");
                    break;
                case ParameterStyle.DeepObject or ParameterStyle.ObjectMembers:
                    ModelSpec model = spec.Models.First(m => m.Name == p.Type.Name);
                    writer.WriteLine("if (" + p.Name + " is not null)");
                    writer.OpenBlock();
                    foreach (PropertySpec member in model.Properties)
                    {
                        string key = p.Style == ParameterStyle.DeepObject ? p.WireName + "[" + member.JsonName + "]" : member.JsonName;
                        string access = p.Name + "." + member.Name;
                        string memberValue = member.Type.Kind == TypeKind.Enum ? access + (member.Type.IsNullable ? "?." : ".") + Names.Value
                            : HasQueryOverload(member.Type) ? access
                            : member.Type.IsNullable ? access + " is { } " + p.Name + "_" + member.Name + " ? " + ValueText(member.Type.WithNullable(false), p.Name + "_" + member.Name) + " : null"
                            : ValueText(member.Type, access);
                        writer.WriteLine("query.Add(" + CSharpText.Literal(key) + ", " + memberValue + ");");
                    }

                    writer.CloseBlock();
                    break;
                default:
                    string json = Json + ".JsonSerializer.Serialize(" + p.Name + ", " + context + "." + InfoName(spec, p.Type) + ")";
                    writer.WriteLine("query.Add(" + name + ", " + (p.Type.IsNullable ? p.Name + " is null ? null : " + json : json) + ");");
                    break;
            }
        }

        writer.WriteLine("path = query.ToString();");
    }

    // QueryBuilder.Add takes these as they are (and formats them by ParameterFormat.Text); others are passed as text.
    private static bool HasQueryOverload(TypeRef type)
        => type.Kind is TypeKind.String or TypeKind.Boolean or TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double or TypeKind.DateTimeOffset;

    private static string PathExpression(OperationSpec operation)
    {
        var parts = new List<string>();
        foreach (PathSegmentSpec segment in operation.PathSegments)
        {
            if (segment.Literal is not null)
            {
                parts.Add(CSharpText.Literal(segment.Literal));
                continue;
            }

            ParameterSpec p = operation.Parameters[segment.ParameterIndex];
            parts.Add(ScalarText.PathSegment(p.Type, p.Name));
        }

        return parts.Count == 0 ? "\"/\"" : parts.Count == 1 ? parts[0] : "string.Concat(" + string.Join(", ", parts) + ")";
    }

    // Header and cookie parameters, set on the request (an optional one only when it has a value).
    private static void EmitHeaders(SourceWriter writer, ApiSpec spec, OperationSpec operation, string context)
    {
        foreach (ParameterSpec p in operation.Parameters)
        {
            if (p.Location is ParameterLocation.Header or ParameterLocation.Cookie)
            {
                string add = p.Location == ParameterLocation.Header ? "request.SetHeader" : "request.AddCookie";
                string text = p.Style == ParameterStyle.Json
                    ? Json + ".JsonSerializer.Serialize(" + p.Name + ", " + context + "." + InfoName(spec, p.Type) + ")"
                    : p.Type.Kind == TypeKind.Array
                        ? Http + ".ParameterFormat.Delimited(" + p.Name + ", static v => " + ValueText(p.Type.Element!, "v") + ", \",\")!"
                        : ValueText(p.Type.WithNullable(false), p.Type.IsNullable && p.Type.IsValueType ? p.Name + ".Value" : p.Name);
                string call = add + "(" + CSharpText.Literal(p.WireName) + ", " + text + ");";
                writer.WriteLine(p.Type.IsNullable ? "if (" + p.Name + " is not null)\n{\n    " + call + "\n}" : call);
            }
        }
    }
}
