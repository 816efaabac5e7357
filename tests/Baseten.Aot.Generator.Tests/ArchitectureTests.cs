using System.IO;
using System.Linq;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// The layering docs/architecture.md describes, held: Parsing reads the document and makes no C#
/// decision, Emitting reads only the model. A using or a call across a layer breaks these tests,
/// not just the document's claim.
/// </summary>
public sealed class ArchitectureTests
{
    [Theory]
    // Emitting names nothing itself: every name is Shaping's, handed over in the model.
    [InlineData("Emitting", "Generator.Shaping", "NameTable", "ReservedNames", "NameRules", "TypeShaper", "OperationShaper", "Generator.Parsing")]
    // Parsing is text in, document out: it never sees a C# name or emits a line.
    [InlineData("Parsing", "Generator.Shaping", "Generator.Emitting", "NameTable", "ReservedNames", "SourceWriter")]
    public void Layer_NeverNamesTheLayersItMustNotSee(string layer, params string[] forbidden)
    {
        string folder = Path.Combine(GeneratorHarness.RepositoryRoot, "generator", layer);
        string[] files = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories);
        Assert.NotEmpty(files);

        var crossings = (
            from file in files
            let lines = File.ReadAllLines(file)
            from index in Enumerable.Range(0, lines.Length)
            from name in forbidden
            where lines[index].Contains(name, System.StringComparison.Ordinal)
            select $"{Path.GetRelativePath(GeneratorHarness.RepositoryRoot, file)}:{index + 1} names {name}").ToList();

        Assert.True(crossings.Count == 0, string.Join("\n", crossings));
    }
}
