using Baseten.Aot.Generator.Model;
using Names = Baseten.Aot.Generator.Model.TypeMemberNames;

namespace Baseten.Aot.Generator.Emitting;

/// <summary>
/// The one table of "scalar to text" for every place a value is text: path segments, query, header,
/// cookie and form fields, and a union's <c>ToString</c>. Strings and enums are their own text; every
/// other scalar goes through <c>Baseten.Aot.Http.ParameterFormat.Text</c>, whose overloads are the table
/// (invariant culture, ISO 8601 dates, round-trip numbers, base64 bytes). Three hand-kept copies of it
/// drifted apart once (a date-time path segment went out in .NET's "G" format), so there is no other.
/// </summary>
internal static class ScalarText
{
    private const string ParameterFormat = "global::Baseten.Aot.Http.ParameterFormat";

    /// <summary>The text of <paramref name="expression"/>, a non-null value of the scalar <paramref name="type"/>.</summary>
    public static string Of(TypeRef type, string expression) => type.Kind switch
    {
        TypeKind.String => expression,
        TypeKind.Enum => expression + "." + Names.Value,
        _ => ParameterFormat + ".Text(" + expression + ")",
    };

    /// <summary>A path segment: the text, escaped (and refused when empty, <c>.</c> or <c>..</c>).</summary>
    public static string PathSegment(TypeRef type, string name)
        => "global::Baseten.Aot.Http.PathSegment.Escape(" + Of(type, name) + ", nameof(" + name + "))";
}
