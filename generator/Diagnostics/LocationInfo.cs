using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Baseten.Aot.Generator.Diagnostics;

/// <summary>
/// A place in an OpenAPI file, kept as plain values so that pipeline outputs stay equatable and
/// hold no <see cref="Location"/>; turned into a real location only when reported.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}
