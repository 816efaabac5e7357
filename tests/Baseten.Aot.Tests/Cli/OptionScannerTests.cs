using System;
using Baseten.Aot.Cli;

namespace Baseten.Aot.Tests;

/// <summary>
/// The grammar every command shares through <see cref="OptionScanner"/>, checked on every command
/// in process: the same input is read, and refused, the same way whichever command it follows.
/// </summary>
public sealed class OptionScannerTests
{
    // The shortest valid command line of each command, as [command words..., options...].
    public static TheoryData<string[]> ValidCommandLines => new()
    {
        { ["chains", "create-environment", "abc", "--name", "x"] },
        { ["predict", "--model", "m", "--body", "-"] },
        { ["embed", "--model", "m", "--input", "-"] },
        { ["chat", "--model-api", "m", "hi"] },
        { ["models"] },
    };

    [Theory]
    [MemberData(nameof(ValidCommandLines))]
    public void ValidCommandLine_IsUnderstood_WithNeitherDryRunNorVerbose(string[] args)
    {
        ParsedCommandLine parsed = CommandLine.Parse(args);

        Assert.Null(parsed.Error);
        Assert.Null(parsed.Help);
        Assert.Equal((false, false), DryRunAndVerbose(parsed));
    }

    [Theory]
    [MemberData(nameof(ValidCommandLines))]
    public void DryRunAndVerbose_AreFlagsOfEveryCommand_VerboseAlsoAsV(string[] args)
    {
        Assert.Equal((true, true), DryRunAndVerbose(CommandLine.Parse([.. args, "--dry-run", "--verbose"])));
        Assert.Equal((false, true), DryRunAndVerbose(CommandLine.Parse([.. args, "-v"])));
        Assert.StartsWith("unknown option '--dry-run' (see 'baseten ", CommandLine.Parse([.. args, "--dry-run=yes"]).Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ValidCommandLines))]
    public void HelpFlags_ShowTheCommandsOwnHelp_WhereverTheyStand(string[] args)
    {
        int words = args[0] == "chains" ? 2 : 1;
        string command = string.Join(' ', args[..words]);
        foreach (string flag in new[] { "-h", "--help", "-?" })
        {
            Assert.StartsWith("baseten " + command + ": ", CommandLine.Parse([.. args, flag]).Help, StringComparison.Ordinal);
            Assert.StartsWith("baseten " + command + ": ", CommandLine.Parse([.. args[..words], flag, .. args[words..]]).Help, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "predict", "--model=m", "--body=-" }, "m")]
    [InlineData(new[] { "predict", "--body", "-", "--model", "--chain" }, "--chain")]
    [InlineData(new[] { "predict", "--model=", "--body", "-" }, "")]
    public void Value_IsTheNextArgumentOrWhatFollowsTheEqualsSign_EvenWhenItLooksLikeAnOption(string[] args, string model)
    {
        Assert.Equal(model, CommandLine.Parse(args).Predict!.ModelId);
    }

    [Theory]
    [InlineData(new[] { "predict", "--model", "a", "--model=b", "--body", "-" }, "option --model is given twice (see 'baseten predict --help')")]
    [InlineData(new[] { "embed", "--model", "m", "--input" }, "option --input needs a value (see 'baseten embed --help')")]
    [InlineData(new[] { "chat", "--system", "a", "--model-api", "m", "--system", "b" }, "option --system is given twice (see 'baseten chat --help')")]
    [InlineData(new[] { "models", "--base-url" }, "option --base-url needs a value (see 'baseten models --help')")]
    [InlineData(new[] { "models", "--model-api", "m" }, "unknown option '--model-api' (see 'baseten models --help')")]
    [InlineData(new[] { "models", "--reasoning" }, "unknown option '--reasoning' (see 'baseten models --help')")]
    [InlineData(new[] { "chat", "--model-api", "m", "--reasoning=yes" }, "unknown option '--reasoning' (see 'baseten chat --help')")]
    [InlineData(new[] { "models", "extra" }, "unexpected argument 'extra' (see 'baseten models --help')")]
    [InlineData(new[] { "chat", "--model-api", "m", "one", "--", "two" }, "unexpected argument 'two': give one message (quote it) (see 'baseten chat --help')")]
    [InlineData(new[] { "chains", "create-environment", "a", "-", "--name", "x" }, "unexpected argument '-': give one CHAIN_ID (see 'baseten chains create-environment --help')")]
    [InlineData(new[] { "chains", "create-environment", "--name", "x" }, "missing CHAIN_ID (see 'baseten chains create-environment --help')")]
    [InlineData(new[] { "embed", "--model", "m", "--input", "-", "extra" }, "unexpected argument 'extra' (see 'baseten embed --help')")]
    [InlineData(new[] { "embed", "--model", "m", "--input", "-", "--batch-size", "x" }, "--batch-size must be a whole number from 1 to 1024 (see 'baseten embed --help')")]
    public void Error_IsOneSentence_EndingWithTheCommandsHelp(string[] args, string error)
    {
        Assert.Equal(error, CommandLine.Parse(args).Error);
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("embed")]
    public void CommandWithoutPositionalArguments_RefusesDashAndDoubleDashAsOptions(string command)
    {
        Assert.Equal("unknown option '-' (see 'baseten " + command + " --help')", CommandLine.Parse([command, "-"]).Error);
        Assert.Equal("unknown option '--' (see 'baseten " + command + " --help')", CommandLine.Parse([command, "--", "x"]).Error);
        Assert.Equal("unexpected argument 'a=b' (see 'baseten " + command + " --help')", CommandLine.Parse([command, "a=b"]).Error);
    }

    [Theory]
    [InlineData(new[] { "chat", "--model-api", "m", "--", "-h" }, "-h")]
    [InlineData(new[] { "chat", "--model-api", "m", "-" }, "-")]
    [InlineData(new[] { "chat", "--model-api", "m", "--", "--model-api" }, "--model-api")]
    public void AfterDoubleDash_EverythingIsTheMessage_AndDashIsAValue(string[] args, string message)
    {
        ParsedCommandLine parsed = CommandLine.Parse(args);

        Assert.Null(parsed.Error);
        Assert.Equal(message, parsed.Chat!.Message);
    }

    private static (bool DryRun, bool Verbose) DryRunAndVerbose(ParsedCommandLine parsed)
        => parsed.CreateEnvironment is { } c ? (c.DryRun, c.Verbose)
            : parsed.Predict is { } p ? (p.DryRun, p.Verbose)
            : parsed.Embed is { } e ? (e.DryRun, e.Verbose)
            : parsed.Chat is { } h ? (h.DryRun, h.Verbose)
            : throw new InvalidOperationException("nothing parsed: " + parsed.Error);
}
