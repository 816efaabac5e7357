using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Parsing;
using Xunit;

namespace Baseten.Aot.Generator.Tests;

// A failure of the generator itself is not a file that is not valid YAML (BTN0001): it has an id of
// its own that says whose fault it is, and it points at the file it was generating from.
public sealed class GeneratorFailureTests
{
    [Fact]
    public void AnExceptionInTheGenerator_IsBTN0013_ABugOfTheGenerator_AtTheFile()
    {
        // No text at all is a state MSBuild never passes: it makes the reader throw, as a bug would.
        var file = new OpenApiFile("/specs/broken.openapi.yaml", null!, "BrokenClient", "Broken");

        ParseResult result = OpenApiParser.Parse(file);

        DiagnosticInfo diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("BTN0013", diagnostic.Descriptor.Id);
        Assert.Contains("bug in the generator", diagnostic.ToDiagnostic().GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        Assert.Equal("/specs/broken.openapi.yaml", diagnostic.ToDiagnostic().Location.GetLineSpan().Path);
        Assert.Null(result.Document);
    }
}
