using System;
using System.Threading.Tasks;

namespace Baseten.Aot.Tests;

/// <summary>The key every command that calls the API needs, by the same rule for each: as a user runs them, in a process.</summary>
[Collection(ProcessEnvironment.Name)]
public sealed class CallSetupTests
{
    [Theory]
    [InlineData(null, new[] { "chains", "create-environment", "abc", "--name", "x" })]
    [InlineData("{}", new[] { "predict", "--model", "m", "--body", "-" })]
    [InlineData("one\ntwo\n", new[] { "embed", "--model", "m", "--input", "-" })]
    [InlineData(null, new[] { "chat", "--model-api", "m", "hi" })]
    [InlineData(null, new[] { "models" })]
    public async Task NoKey_OutsideADryRun_IsOneLine_ExitCode2(string? stdin, string[] args)
    {
        CliResult result = await CliProcessTests.RunAsync(null, stdin, args);

        Assert.Equal((2, string.Empty), (result.ExitCode, result.Output));
        Assert.Equal("baseten: error: no API key: set the BASETEN_API_KEY environment variable (or use --dry-run)", result.Error.TrimEnd());
    }

    [Theory]
    [InlineData(null, new[] { "chains", "create-environment", "abc", "--name", "x", "--dry-run", "--verbose" })]
    [InlineData("{}", new[] { "predict", "--model", "m", "--body", "-", "--dry-run", "-v" })]
    [InlineData(null, new[] { "chat", "--model-api", "m", "hi", "--dry-run", "--verbose" })]
    public async Task NoKey_InADryRun_PrintsTheRequest_WithTheKeyRedacted_AndLogsNoAttempt(string? stdin, string[] args)
    {
        CliResult result = await CliProcessTests.RunAsync(null, stdin, args);

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.Contains("Authorization: ", result.Output, StringComparison.Ordinal);
        Assert.Contains(" ***\n", result.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("dry-run", result.Output, StringComparison.Ordinal);
    }
}
