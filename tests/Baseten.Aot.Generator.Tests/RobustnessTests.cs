using System;
using System.Linq;
using CsCheck;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// Randomly damaged specs: the generator never throws, never reports CS8785, and whatever it
/// accepts without an error compiles without warnings.
/// </summary>
public sealed class RobustnessTests
{
    private static readonly string s_seed = GeneratorHarness.ReadSeedSpec();
    private static readonly string[] s_lines = s_seed.Split('\n');

    private static readonly Gen<string> s_damaged = Gen.OneOf(
        Gen.Int[0, s_lines.Length - 1].Select(i => string.Join('\n', s_lines.Where((_, j) => j != i))),
        Gen.Int[0, s_lines.Length - 1].Select(i => string.Join('\n', s_lines.Take(i + 1).Concat(s_lines.Skip(i)))),
        Gen.Int[0, s_seed.Length].Select(i => s_seed.Substring(0, i)),
        Gen.Select(Gen.Int[0, s_seed.Length - 1], Gen.Char["{}[]:-'\"&*!|>#\t ~?@`%,\\"]).Select((i, c) => s_seed.Remove(i, 1).Insert(i, c.ToString())),
        Gen.Select(Gen.Int[0, s_lines.Length - 1], Gen.String[Gen.Char.AlphaNumeric, 1, 12]).Select((i, word) =>
            string.Join('\n', s_lines.Select((line, j) => j == i ? line.Replace("string", word, StringComparison.Ordinal).Replace("integer", word, StringComparison.Ordinal) : line))));

    [Fact]
    public void DamagedSeedSpec_NeverCrashes_AndAcceptedOutputCompiles()
    {
        s_damaged.Sample(spec =>
        {
            (GeneratorDriverRunResult run, Compilation output) = GeneratorHarness.Run(spec);
            Assert.Null(run.Results.Single().Exception);
            Assert.DoesNotContain(run.Diagnostics, d => d.Id == "CS8785");
            if (!run.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                Assert.True(GeneratorHarness.WarningsAndErrors(output).Count == 0, string.Join("\n", GeneratorHarness.WarningsAndErrors(output)));
            }
        }, iter: 120);
    }

    [Fact]
    public void RandomText_NeverCrashes()
    {
        Gen.String[Gen.Char["abc:{}[]-'\"&*!|>#\n\t ~?@`%,0123"], 0, 400].Sample(text =>
        {
            (GeneratorDriverRunResult run, _) = GeneratorHarness.Run(text);
            Assert.Null(run.Results.Single().Exception);
            Assert.DoesNotContain(run.Diagnostics, d => d.Id == "CS8785" || d.Id == "BTN0001" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("generator failed", StringComparison.Ordinal));
        }, iter: 500);
    }
}
