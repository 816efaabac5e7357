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
/// <c>--opt value</c> or <c>--opt=value</c>, <c>--</c> ends options, <c>-</c> is a value; every
/// command reads its arguments through <see cref="OptionScanner"/>.
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
            return Error("no command given");
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
            return Error("unknown command '" + args[0] + "'");
        }

        if (args.Count == 1 || IsHelp(args[1]))
        {
            return new ParsedCommandLine(RootHelp, null, null);
        }

        if (args[1] != "create-environment")
        {
            return Error("unknown command 'chains " + args[1] + "'");
        }

        return ParseCreateEnvironment(args);
    }

    private static ParsedCommandLine ParseCreateEnvironment(IReadOnlyList<string> args)
    {
        var scan = new OptionScanner("chains create-environment", CreateEnvironmentHelp)
        {
            ValueOptions = ["--name", "--body", "--base-url"],
            TakesPositionals = true,
            OnePositional = ": give one CHAIN_ID",
        };
        if (scan.Scan(args, 2) is { } stop)
        {
            return stop;
        }

        if (scan.Positional is not { } chainId)
        {
            return scan.Error("missing CHAIN_ID");
        }

        if (scan.Value("--name") is not { } name)
        {
            return scan.Error("option --name is required");
        }

        return new ParsedCommandLine(null, null, new CreateEnvironmentArguments(chainId, name, scan.Value("--body"), scan.Value("--base-url"), scan.DryRun, scan.Verbose));
    }

    private static ParsedCommandLine ParsePredict(IReadOnlyList<string> args)
    {
        var scan = new OptionScanner("predict", PredictHelp)
        {
            ValueOptions = ["--model", "--chain", "--environment", "--deployment", "--body", "--base-url"],
        };
        if (scan.Scan(args, 1) is { } stop)
        {
            return stop;
        }

        string? model = scan.Value("--model");
        string? chain = scan.Value("--chain");
        string? environment = scan.Value("--environment");
        string? deployment = scan.Value("--deployment");
        if ((model is null) == (chain is null))
        {
            return scan.Error("give one of --model and --chain");
        }

        if (environment is not null && deployment is not null)
        {
            return scan.Error("give --environment or --deployment, not both");
        }

        if (scan.Value("--body") is not { } body)
        {
            return scan.Error("option --body is required");
        }

        return new ParsedCommandLine(null, null, null, new PredictArguments(model, chain, environment, deployment, body, scan.Value("--base-url"), scan.DryRun, scan.Verbose));
    }

    private static bool IsHelp(string arg) => arg is "-h" or "--help" or "-?";

    // Before a command is known, the root help is the one to read.
    private static ParsedCommandLine Error(string message) => new(null, message + " (see 'baseten --help')", null);
}
