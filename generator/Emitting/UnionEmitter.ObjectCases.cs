using System.Globalization;
using System.Linq;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

// The object cases of a shape union, told apart by their required properties.
internal static partial class UnionEmitter
{
    private static void EmitObjectCases(SourceWriter writer, UnionSpec union, System.Func<UnionCaseSpec, int, string> tryRead)
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
                writer.WriteLine(tryRead(unionCase, index));
                writer.CloseBlock();
            }
            else
            {
                writer.WriteLine(tryRead(unionCase, index));
            }

            writer.WriteLine();
        }

        writer.WriteLine("break;");
        writer.CloseBlock();
    }
}
