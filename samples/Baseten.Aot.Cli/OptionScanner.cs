using System;
using System.Collections.Generic;

namespace Baseten.Aot.Cli;

/// <summary>
/// The one loop every command's arguments go through: GNU-style long options, <c>--opt value</c> or
/// <c>--opt=value</c>, each value option at most once, <c>--dry-run</c> and <c>--verbose</c>/<c>-v</c>
/// on every command, <c>-h</c>/<c>--help</c>/<c>-?</c> for the command's help. A command then checks
/// what it requires from <see cref="Value"/>, <see cref="Has"/> and <see cref="Positional"/>, and
/// reports through <see cref="Error"/>, so every message ends the same way.
/// </summary>
internal sealed class OptionScanner(string command, string help)
{
    private readonly Dictionary<string, string> _seen = new(StringComparer.Ordinal);

    /// <summary>The options that take a value.</summary>
    public string[] ValueOptions { get; init; } = [];

    /// <summary>Flags beyond <c>--dry-run</c> and <c>--verbose</c>; a flag takes no <c>=value</c>.</summary>
    public string[] Flags { get; init; } = [];

    /// <summary>
    /// Whether a bare word, <c>-</c>, and all after <c>--</c> are positional arguments. Otherwise the
    /// command takes none and each is refused as the argument or option it looks like.
    /// </summary>
    public bool TakesPositionals { get; init; }

    /// <summary>
    /// With <see cref="TakesPositionals"/>: the command takes one positional argument, and this is
    /// added to the error for a second (what to give instead); <see langword="null"/>: it takes none.
    /// </summary>
    public string? OnePositional { get; init; }

    /// <summary>The positional argument, when one was given.</summary>
    public string? Positional { get; private set; }

    /// <summary>Whether <c>--dry-run</c> was given.</summary>
    public bool DryRun => Has("--dry-run");

    /// <summary>Whether <c>--verbose</c> or <c>-v</c> was given.</summary>
    public bool Verbose => Has("--verbose") || Has("-v");

    /// <summary>Reads <paramref name="args"/> from <paramref name="start"/>: <see langword="null"/> when they are all understood, else the help or the error to show.</summary>
    public ParsedCommandLine? Scan(IReadOnlyList<string> args, int start)
    {
        bool optionsEnded = false;
        for (int i = start; i < args.Count; i++)
        {
            string arg = args[i];
            if (TakesPositionals && (optionsEnded || arg == "-" || !arg.StartsWith('-')))
            {
                if (OnePositional is null || Positional is not null)
                {
                    return Error("unexpected argument '" + arg + "'" + OnePositional);
                }

                Positional = arg;
                continue;
            }

            if (TakesPositionals && arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            if (arg is "-h" or "--help" or "-?")
            {
                return new ParsedCommandLine(help, null, null);
            }

            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            string option = equals < 0 ? arg : arg.Substring(0, equals);
            if (equals < 0 && (option is "--dry-run" or "--verbose" or "-v" || Array.IndexOf(Flags, option) >= 0))
            {
                _seen[option] = string.Empty;
                continue;
            }

            if (Array.IndexOf(ValueOptions, option) < 0)
            {
                return Error(arg.StartsWith('-') ? "unknown option '" + option + "'" : "unexpected argument '" + arg + "'");
            }

            string? value = equals >= 0 ? arg.Substring(equals + 1) : i + 1 < args.Count ? args[++i] : null;
            if (value is null)
            {
                return Error("option " + option + " needs a value");
            }

            if (!_seen.TryAdd(option, value))
            {
                return Error("option " + option + " is given twice");
            }
        }

        return null;
    }

    /// <summary>The value given to <paramref name="option"/>, or <see langword="null"/>.</summary>
    public string? Value(string option) => _seen.GetValueOrDefault(option);

    /// <summary>Whether <paramref name="option"/> (a flag or a value option) was given.</summary>
    public bool Has(string option) => _seen.ContainsKey(option);

    /// <summary>A bad command line: the message and where to read more, for exit code 2.</summary>
    public ParsedCommandLine Error(string message) => new(null, message + " (see 'baseten " + command + " --help')", null);
}
