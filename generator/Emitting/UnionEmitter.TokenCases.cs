using System.Linq;
using Baseten.Aot.Generator.Model;
using Names = Baseten.Aot.Generator.Model.TypeMemberNames;

namespace Baseten.Aot.Generator.Emitting;

// The cases of a shape union read from a string, number or boolean token.
internal static partial class UnionEmitter
{
    private static void EmitStringCases(SourceWriter writer, ApiSpec spec, UnionSpec union)
    {
        string self = Full(spec, union.Name);
        int dateTime = IndexOf(union, TypeKind.DateTimeOffset);
        int enumCase = IndexOf(union, TypeKind.Enum);
        int text = IndexOf(union, TypeKind.String);
        // Formats carried as strings, the strictest first: a plain string or address takes almost anything.
        int[] formats = new[] { TypeKind.DateOnly, TypeKind.TimeOnly, TypeKind.Guid, TypeKind.ByteArray, TypeKind.Uri }
            .Select(kind => IndexOf(union, kind))
            .Where(index => index >= 0)
            .ToArray();
        if (dateTime < 0 && enumCase < 0 && text < 0 && formats.Length == 0)
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

        foreach (int index in formats)
        {
            string local = "v" + Index(index);
            string type = Type(spec, union.Cases[index].Type.WithNullable(false));
            writer.WriteLine(union.Cases[index].Type.Kind switch
            {
                TypeKind.Guid => "if (reader.TryGetGuid(out " + type + " " + local + "))",
                TypeKind.ByteArray => "if (reader.TryGetBytesFromBase64(out byte[]? " + local + "))",
                TypeKind.Uri => "if (global::Baseten.Aot.Http.JsonScalar.TryParse(reader.GetString(), out global::System.Uri? " + local + "))",
                _ => "if (global::Baseten.Aot.Http.JsonScalar.TryParse(reader.GetString(), out " + type + " " + local + "))",
            });
            writer.OpenBlock();
            writer.WriteLine("return new " + self + "(" + local + (union.Cases[index].Type.IsValueType ? string.Empty : "!") + ");");
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
                writer.WriteLine("if (known." + Names.IsKnown + ")");
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
}
