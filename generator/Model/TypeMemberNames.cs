namespace Baseten.Aot.Generator.Model;

/// <summary>
/// The names the generator gives the members of an open enum class and of a union class, in one
/// place: Shaping reserves them (a value or case from the document that would take one is renamed),
/// Emitting writes them. A rename here renames both, so the two cannot drift apart.
/// </summary>
internal static class TypeMemberNames
{
    /// <summary>An open enum's wire text; also a union case's nested value.</summary>
    public const string Value = "Value";

    /// <summary>An open enum's known value, for <c>switch</c>.</summary>
    public const string KnownValue = "KnownValue";

    /// <summary>An open enum's nested C# enum of its known values.</summary>
    public const string Known = "Known";

    /// <summary>Whether an open enum's value is one the client knows.</summary>
    public const string IsKnown = "IsKnown";

    /// <summary>An open enum's lookup from wire text to known value.</summary>
    public const string KnownOf = "KnownOf";

    /// <summary>The known value that is none (in <c>Known</c>), and a discriminated union's variant for values the client does not know.</summary>
    public const string Unknown = "Unknown";

    /// <summary>The nested JSON converter of an enum or a union.</summary>
    public const string Converter = "Converter";

    /// <summary>The JSON a union by shape read that fits none of its cases.</summary>
    public const string Unmatched = "Unmatched";

    /// <summary>Whether a union by shape holds JSON that fits none of its cases.</summary>
    public const string IsUnmatched = "IsUnmatched";

    /// <summary>Makes a union by shape from JSON that fits none of its cases.</summary>
    public const string FromUnmatched = "FromUnmatched";

    /// <summary>A discriminated union's discriminator property name.</summary>
    public const string DiscriminatorProperty = "DiscriminatorProperty";

    /// <summary>Every member an open enum class declares besides its values.</summary>
    public static readonly string[] Enum = [Value, KnownValue, Known, IsKnown, KnownOf, Unknown, Converter];

    /// <summary>Every member a union class declares besides its cases (and their <c>Is...</c>).</summary>
    public static readonly string[] Union = [Converter, Unknown, Unmatched, IsUnmatched, FromUnmatched, DiscriminatorProperty];

    /// <summary>Whether a union by shape holds the case <paramref name="caseName"/>.</summary>
    public static string Is(string caseName) => "Is" + caseName;
}
