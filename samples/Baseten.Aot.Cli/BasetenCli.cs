using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Cli;

/// <summary>The entry point of <c>baseten</c>: parse, dispatch, and turn a bad command line into exit code 2.</summary>
internal static class BasetenCli
{
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ParsedCommandLine parsed = CommandLine.Parse(args);
        if (parsed.Error is not null)
        {
            return Task.FromResult(Failures.Fail(error, ExitCodes.Usage, parsed.Error));
        }

        if (parsed.Help is not null)
        {
            output.WriteLine(parsed.Help);
            return Task.FromResult(ExitCodes.Success);
        }

        if (parsed.Embed is { } embed)
        {
            return EmbedCommand.RunAsync(embed, output, error, cancellationToken);
        }

        if (parsed.Predict is { } predict)
        {
            return PredictCommand.RunAsync(predict, output, error, cancellationToken);
        }

        if (parsed.Chat is { } chat)
        {
            return ChatCommand.RunAsync(chat, output, error, cancellationToken);
        }

        return CreateEnvironmentCommand.RunAsync(parsed.CreateEnvironment!, output, error, cancellationToken);
    }
}

/// <summary>What <c>baseten</c> exits with; the README lists them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The API answered with an error status, or with a body that is not the documented JSON.</summary>
    public const int ApiError = 1;

    /// <summary>Bad command line or bad input: unknown option, unreadable file, JSON that does not match the schema, no API key.</summary>
    public const int Usage = 2;

    /// <summary>The API could not be reached, or did not answer in time.</summary>
    public const int Network = 3;

    /// <summary>Canceled with Ctrl+C.</summary>
    public const int Canceled = 130;
}
