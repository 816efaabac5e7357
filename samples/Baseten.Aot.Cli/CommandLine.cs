using System;
using System.Collections.Generic;

namespace Baseten.Aot.Cli;

// Plain classes, not records: nothing compares or prints them, and a record's generated members
// would cost the NativeAOT binary size for nothing.

/// <summary>The arguments of <c>baseten chains create-environment</c>.</summary>
internal sealed class CreateEnvironmentArguments(string chainId, string name, string? bodyPath, string? baseUrl, bool dryRun, bool verbose)
{
    public string ChainId { get; } = chainId;

    public string Name { get; } = name;

    public string? BodyPath { get; } = bodyPath;

    public string? BaseUrl { get; } = baseUrl;

    public bool DryRun { get; } = dryRun;

    public bool Verbose { get; } = verbose;
}

/// <summary>The arguments of <c>baseten predict</c>: a model or a chain, the target, the input.</summary>
internal sealed class PredictArguments(string? modelId, string? chainId, string? environment, string? deployment, string bodyPath, string? baseUrl, bool dryRun, bool verbose)
{
    public string? ModelId { get; } = modelId;

    public string? ChainId { get; } = chainId;

    public string? Environment { get; } = environment;

    public string? Deployment { get; } = deployment;

    public string BodyPath { get; } = bodyPath;

    public string? BaseUrl { get; } = baseUrl;

    public bool DryRun { get; } = dryRun;

    public bool Verbose { get; } = verbose;
}

/// <summary>What the command line asks for: help text to print, an error, or a command to run.</summary>
internal sealed class ParsedCommandLine(string? help, string? error, CreateEnvironmentArguments? createEnvironment, PredictArguments? predict = null, ChatArguments? chat = null)
{
    public string? Help { get; } = help;

    public string? Error { get; } = error;

    public CreateEnvironmentArguments? CreateEnvironment { get; } = createEnvironment;

    public PredictArguments? Predict { get; } = predict;

    public EmbedArguments? Embed { get; init; }
    public ChatArguments? Chat { get; } = chat;
}

/// <summary>
/// Parses the command line. Written here rather than with System.CommandLine: that library adds
/// about 670 KB to the native binary, more than the whole budget this CLI has over a hand-written
/// HttpClient call (benchmarks/README.md). The grammar is small: GNU-style long options,
/// <c>--opt value</c> or <c>--opt=value</c>, <c>--</c> ends options, <c>-</c> is a value.
/// </summary>
internal static class CommandLine
{
    public const string RootHelp = """
        baseten: command-line client for Baseten: its management API and your deployed models and chains.

        Usage:
          baseten chains create-environment <CHAIN_ID> --name <NAME> [options]
          baseten predict (--model <ID>|--chain <ID>) --body <file.json>|- [options]
          baseten embed --model <ID> --input <file>|- [--output <file>] [options]
          baseten chat (--model-api <SLUG>|--model <ID>) [message|-] [options]
          baseten models [options]

        Commands:
          chains create-environment   Create a chain environment and print it as JSON.
          predict                     Call a model (or run a chain) and stream its output.
          embed                       Embed each line of a file with a BEI model, as JSON lines.
          chat                        Send a message to an LLM and stream its answer.
          models                      List the Model APIs catalog.

        Options:
          -h, --help      Show help.
          --version       Show the version.

        The API key is read from the BASETEN_API_KEY environment variable. Each command takes
        --verbose (each attempt on standard error) and --help (its options and exit codes).
        """;

    public const string CreateEnvironmentHelp = """
        baseten chains create-environment: create a chain environment and print it as JSON.

        Usage:
          baseten chains create-environment <CHAIN_ID> --name <NAME> [--body <file.json>|-] [--base-url <url>] [--dry-run] [--verbose]

        Arguments:
          <CHAIN_ID>            The chain to create the environment in.

        Options:
          --name <NAME>         Name of the new environment, e.g. staging. Required.
          --body <file.json>    The rest of the request (CreateChainEnvironmentRequestV1) as JSON;
                                - reads standard input. --name overrides a name in it.
          --base-url <url>      The API address (default https://api.baseten.co; plain http only for loopback).
          --dry-run             Print the HTTP request that would be sent, key redacted, and send nothing.
          -v, --verbose         On standard error, a line per attempt (status or failure, time, request id)
                                and per retry; the key is never shown. Standard output is unchanged.
          -h, --help            Show this help.

        Environment:
          BASETEN_API_KEY       The API key, sent as 'Authorization: Api-Key <key>'. Not needed for --dry-run.

        Exit codes:
          0 success, 1 the API answered with an error, 2 bad command line or input, 3 the API could not be reached, 130 canceled.
        """;

    public const string PredictHelp = """
        baseten predict: call a deployed model (or run a chain) and print its output as it arrives.

        Usage:
          baseten predict (--model <ID>|--chain <ID>) --body <file.json>|- [--environment <ENV>|--deployment <ID>] [--base-url <url>] [--dry-run] [--verbose]

        Options:
          --model <ID>          The model to call (https://model-<ID>.api.baseten.co, /predict).
          --chain <ID>          The chain to run instead (https://chain-<ID>.api.baseten.co, /run_remote).
          --body <file.json>    The input as JSON; - reads standard input. Required.
          --environment <ENV>   Call the deployment promoted to this environment (default: production).
          --deployment <ID>     Call this deployment.
          --base-url <url>      Send to this address instead (plain http only for loopback).
          --dry-run             Print the HTTP request that would be sent, key redacted, and send nothing.
          -v, --verbose         On standard error, a line per attempt (status or failure, time, request id)
                                and per retry; the key is never shown. Standard output is unchanged.
          -h, --help            Show this help.

        Environment:
          BASETEN_API_KEY       The API key, sent as 'Authorization: Bearer <key>'. Not needed for --dry-run.

        Exit codes:
          0 success, 1 the API answered with an error, 2 bad command line or input, 3 the API could not be reached, 130 canceled.
        """;

    public static ParsedCommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            return Error("no command given", null);
        }

        if (IsHelp(args[0]))
        {
            return new ParsedCommandLine(RootHelp, null, null);
        }

        if (args[0] == "--version")
        {
            return new ParsedCommandLine(typeof(CommandLine).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", null, null);
        }

        if (args[0] == "predict")
        {
            return ParsePredict(args);
        }

        if (args[0] == "embed")
        {
            return EmbedCommand.Parse(args);
        }

        if (args[0] is "chat" or "models")
        {
            return ChatCommand.Parse(args);
        }

        if (args[0] != "chains")
        {
            return Error("unknown command '" + args[0] + "'", null);
        }

        if (args.Count == 1 || IsHelp(args[1]))
        {
            return new ParsedCommandLine(RootHelp, null, null);
        }

        if (args[1] != "create-environment")
        {
            return Error("unknown command 'chains " + args[1] + "'", null);
        }

        return ParseCreateEnvironment(args);
    }

    private static ParsedCommandLine ParseCreateEnvironment(IReadOnlyList<string> args)
    {
        const string Command = "chains create-environment";
        string? chainId = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool dryRun = false;
        bool verbose = false;
        bool optionsEnded = false;
        for (int i = 2; i < args.Count; i++)
        {
            string arg = args[i];
            if (optionsEnded || arg == "-" || !arg.StartsWith('-'))
            {
                if (chainId is not null)
                {
                    return Error("unexpected argument '" + arg + "': give one CHAIN_ID", Command);
                }

                chainId = arg;
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            if (IsHelp(arg))
            {
                return new ParsedCommandLine(CreateEnvironmentHelp, null, null);
            }

            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            string option = equals < 0 ? arg : arg.Substring(0, equals);
            switch (option)
            {
                case "--dry-run" when equals < 0:
                    dryRun = true;
                    break;

                case "--verbose" or "-v" when equals < 0:
                    verbose = true;
                    break;

                case "--name":
                case "--body":
                case "--base-url":
                    if (TakeValue(args, ref i, equals, option, values, Command) is { } invalid)
                    {
                        return invalid;
                    }

                    break;

                default:
                    return Error("unknown option '" + option + "'", Command);
            }
        }

        if (chainId is null)
        {
            return Error("missing CHAIN_ID", Command);
        }

        if (!values.TryGetValue("--name", out string? name))
        {
            return Error("option --name is required", Command);
        }

        values.TryGetValue("--body", out string? body);
        values.TryGetValue("--base-url", out string? baseUrl);
        return new ParsedCommandLine(null, null, new CreateEnvironmentArguments(chainId, name, body, baseUrl, dryRun, verbose));
    }

    private static ParsedCommandLine ParsePredict(IReadOnlyList<string> args)
    {
        const string Command = "predict";
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool dryRun = false;
        bool verbose = false;
        for (int i = 1; i < args.Count; i++)
        {
            string arg = args[i];
            if (IsHelp(arg))
            {
                return new ParsedCommandLine(PredictHelp, null, null);
            }

            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            string option = equals < 0 ? arg : arg.Substring(0, equals);
            switch (option)
            {
                case "--dry-run" when equals < 0:
                    dryRun = true;
                    break;

                case "--verbose" or "-v" when equals < 0:
                    verbose = true;
                    break;

                case "--model" or "--chain" or "--environment" or "--deployment" or "--body" or "--base-url":
                    if (TakeValue(args, ref i, equals, option, values, Command) is { } invalid)
                    {
                        return invalid;
                    }

                    break;

                default:
                    return Error(arg.StartsWith('-') ? "unknown option '" + option + "'" : "unexpected argument '" + arg + "'", Command);
            }
        }

        values.TryGetValue("--model", out string? model);
        values.TryGetValue("--chain", out string? chain);
        values.TryGetValue("--environment", out string? environment);
        values.TryGetValue("--deployment", out string? deployment);
        values.TryGetValue("--base-url", out string? baseUrl);
        if ((model is null) == (chain is null))
        {
            return Error("give one of --model and --chain", Command);
        }

        if (environment is not null && deployment is not null)
        {
            return Error("give --environment or --deployment, not both", Command);
        }

        if (!values.TryGetValue("--body", out string? body))
        {
            return Error("option --body is required", Command);
        }

        return new ParsedCommandLine(null, null, null, new PredictArguments(model, chain, environment, deployment, body, baseUrl, dryRun, verbose));
    }

    private static bool IsHelp(string arg) => arg is "-h" or "--help" or "-?";

    // An option's value, from "--option=value" or the next argument, recorded once: the error when
    // it is missing or given twice, else null.
    private static ParsedCommandLine? TakeValue(IReadOnlyList<string> args, ref int i, int equals, string option, Dictionary<string, string> values, string command)
    {
        string? value = equals >= 0 ? args[i].Substring(equals + 1) : i + 1 < args.Count ? args[++i] : null;
        if (value is null)
        {
            return Error("option " + option + " needs a value", command);
        }

        return values.TryAdd(option, value) ? null : Error("option " + option + " is given twice", command);
    }

    private static ParsedCommandLine Error(string message, string? command)
        => new(null, message + " (see 'baseten " + (command is null ? string.Empty : command + " ") + "--help')", null);
}
