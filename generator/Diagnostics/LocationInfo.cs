using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Baseten.Aot.Generator.Diagnostics;

/// <summary>
/// A place in an OpenAPI file, kept as plain values so that pipeline outputs stay equatable and
/// hold no <see cref="Location"/>; turned into a real location only when reported.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>The file itself, for what has no place in it (its start, as the parser reports such things).</summary>
    public static LocationInfo AtFile(string filePath) => new(filePath, default, default);

    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}
