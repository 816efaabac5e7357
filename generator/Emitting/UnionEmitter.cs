using System.Globalization;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

/// <summary>
/// Emits a union. Discriminated: an abstract class its variants derive from, a nested
/// <c>Unknown</c> for values this client does not know, and a converter that finds the
/// discriminator anywhere in the object without buffering more than that object. Otherwise: a class
/// holding one case, read by JSON token kind and then by the required properties of an object.
/// Both keep JSON that fits no case and write it back unchanged.
/// </summary>
internal static partial class UnionEmitter
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
