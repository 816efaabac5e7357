using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Cli;

/// <summary>The arguments of <c>baseten chat</c> and <c>baseten models</c>.</summary>
internal sealed class ChatArguments(bool listModels, string? modelApi, string? modelId, string? environment, string? deployment, string? system, string? message, bool reasoning, string? baseUrl, bool dryRun, bool verbose)
{
    public bool ListModels { get; } = listModels;

    public string? ModelApi { get; } = modelApi;

    public string? ModelId { get; } = modelId;

    public string? Environment { get; } = environment;

    public string? Deployment { get; } = deployment;

    public string? System { get; } = system;

    /// <summary>The user's message; <c>-</c> (or none given) reads standard input.</summary>
    public string? Message { get; } = message;

    public bool Reasoning { get; } = reasoning;

    public string? BaseUrl { get; } = baseUrl;

    public bool DryRun { get; } = dryRun;

    public bool Verbose { get; } = verbose;
}

/// <summary>
/// <c>baseten chat</c>: one message to an LLM (a Model API or a dedicated deployment), its answer
/// written to standard output token by token as it arrives; <c>baseten models</c>: the Model APIs
/// catalog, one slug a line.
/// </summary>
internal static class ChatCommand
{
    public const string ChatHelp = """
        baseten chat: send one message to an LLM and print its answer as it is written.

        Usage:
          baseten chat (--model-api <SLUG>|--model <ID> [--environment <ENV>|--deployment <ID>]) [--system <TEXT>] [message|-] [options]

        Arguments:
          message               What to say; - or nothing reads it from standard input.

        Options:
          --model-api <SLUG>    A Model API, e.g. openai/gpt-oss-120b (https://inference.baseten.co/v1).
          --model <ID>          A dedicated LLM deployment (https://model-<ID>.api.baseten.co/environments/production/sync/v1).
          --environment <ENV>   With --model: the deployment promoted to this environment (default: production).
          --deployment <ID>     With --model: this deployment.
          --system <TEXT>       A system message before yours.
          --reasoning           Print the model's reasoning, as it is written, on standard error.
          --base-url <url>      Send to this address instead (a gateway, a stand-in; plain http only for loopback).
          --dry-run             Print the HTTP request that would be sent, key redacted, and send nothing.
          -v, --verbose         On standard error, a line per attempt and, at the end, the tokens used.
          -h, --help            Show this help.

        Environment:
          BASETEN_API_KEY       The API key, sent as 'Authorization: Bearer <key>'. Not needed for --dry-run.

        Exit codes:
          0 success, 1 the API answered with an error (also in the middle of the answer, or an answer cut short),
          2 bad command line or input, 3 the API could not be reached, 130 canceled (Ctrl+C).
        """;

    public const string ModelsHelp = """
        baseten models: list the Model APIs catalog, one model slug a line.

        Usage:
          baseten models [--base-url <url>] [--dry-run] [--verbose]

        Exit codes:
          0 success, 1 the API answered with an error, 2 bad command line, 3 the API could not be reached, 130 canceled.
        """;

    // The largest message read from standard input: a chat message, not a data set.
    private const int MaxMessageBytes = 4 * 1024 * 1024;

    public static ParsedCommandLine Parse(IReadOnlyList<string> args)
    {
        bool models = args[0] == "models";
        var scan = models
            ? new OptionScanner("models", ModelsHelp) { ValueOptions = ["--base-url"], TakesPositionals = true }
            : new OptionScanner("chat", ChatHelp)
            {
                ValueOptions = ["--base-url", "--model-api", "--model", "--environment", "--deployment", "--system"],
                Flags = ["--reasoning"],
                TakesPositionals = true,
                OnePositional = ": give one message (quote it)",
            };
        if (scan.Scan(args, 1) is { } stop)
        {
            return stop;
        }

        string? modelApi = scan.Value("--model-api");
        string? modelId = scan.Value("--model");
        string? environment = scan.Value("--environment");
        string? deployment = scan.Value("--deployment");
        if (!models && (modelApi is null) == (modelId is null))
        {
            return scan.Error("give one of --model-api and --model");
        }

        if ((environment is not null || deployment is not null) && modelId is null)
        {
            return scan.Error("--environment and --deployment choose a deployment of --model");
        }

        if (environment is not null && deployment is not null)
        {
            return scan.Error("give --environment or --deployment, not both");
        }

        return new ParsedCommandLine(null, null, null, chat: new ChatArguments(models, modelApi, modelId, environment, deployment, scan.Value("--system"), scan.Positional, scan.Has("--reasoning"), scan.Value("--base-url"), scan.DryRun, scan.Verbose));
    }

    public static async Task<int> RunAsync(ChatArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var options = new BasetenChatClientOptions
            {
                Model = arguments.ModelApi,
                ModelId = arguments.ModelId,
                Target = CallSetup.Target(arguments.Environment, arguments.Deployment),
                BaseAddress = CreateEnvironmentCommand.ParseBaseUrl(arguments.BaseUrl),
            };
            CallSetup.Read(arguments.DryRun, arguments.Verbose, error, cancellationToken).ApplyTo(options);

            using HttpClient httpClient = Failures.CreateHttpClient(arguments.DryRun, output);
            using var client = new BasetenChatClient(httpClient, options);
            if (arguments.ListModels)
            {
                ChatModelList models = await client.ListModelsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                foreach (ChatModelInfo model in models.Data)
                {
                    await output.WriteLineAsync(Failures.SafeLine(model.Id)).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }

            string text = arguments.Message is null or "-" ? ReadStandardInput() : arguments.Message;
            var messages = new List<ChatMessage>(2);
            if (arguments.System is { } systemText)
            {
                messages.Add(ChatMessage.FromSystem(systemText));
            }

            messages.Add(ChatMessage.FromUser(text));
            var request = new ChatCompletionRequest { Messages = messages };
            var answer = new ChatCompletionAccumulator();
            bool endsWithNewline = true, reasoningEndsWithNewline = true;
            await foreach (ChatCompletionChunk chunk in client.CompleteStreamingAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                string piece = answer.Add(chunk);
                if (arguments.Reasoning && chunk.Choices is [{ Delta: { } delta }, ..] && (delta.ReasoningContent ?? delta.Reasoning) is { Length: > 0 } thought)
                {
                    await error.WriteAsync(thought.AsMemory(), cancellationToken).ConfigureAwait(false);
                    await error.FlushAsync(cancellationToken).ConfigureAwait(false);
                    reasoningEndsWithNewline = thought[^1] == '\n';
                }

                if (piece.Length > 0)
                {
                    await output.WriteAsync(piece.AsMemory(), cancellationToken).ConfigureAwait(false);
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    endsWithNewline = piece[^1] == '\n';
                }
            }

            if (!endsWithNewline)
            {
                await output.WriteLineAsync().ConfigureAwait(false);
            }

            if (!reasoningEndsWithNewline)
            {
                await error.WriteLineAsync().ConfigureAwait(false);
            }

            if (arguments.Verbose)
            {
                ChatUsage? usage = answer.Usage;
                error.WriteLine("baseten: finish: " + Failures.SafeLine(answer.FinishReason?.Value ?? "(none)")
                    + (usage is null ? ", usage not reported" : ", tokens: " + usage.PromptTokens + " prompt, " + usage.CompletionTokens + " completion"
                        + (usage.CompletionTokensDetails?.ReasoningTokens is { } thinking ? " (" + thinking + " reasoning)" : string.Empty) + ", " + usage.TotalTokens + " total"));
            }

            return ExitCodes.Success;
        }
        catch (Exception exception) when (Failures.IsExpected(exception))
        {
            return Failures.Report(exception, error, cancellationToken);
        }
    }

    private static string ReadStandardInput()
    {
        byte[] bytes = CreateEnvironmentCommand.ReadBounded("-", "standard input", "a chat message");
        if (bytes.Length > MaxMessageBytes)
        {
            throw new CreateEnvironmentCommand.InputException("standard input is larger than " + (MaxMessageBytes / (1024 * 1024)) + " MiB: too long for a chat message");
        }

        string text = new UTF8Encoding(false, true).GetString(bytes).TrimEnd('\r', '\n');
        return text.Length > 0 ? text : throw new CreateEnvironmentCommand.InputException("no message: give one as an argument or on standard input");
    }
}
