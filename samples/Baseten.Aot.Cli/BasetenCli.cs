using System;
using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Cli;

/// <summary>The command tree of <c>baseten</c>, and the one place that turns failures into exit codes.</summary>
internal static class BasetenCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Command-line client for the Baseten management API (https://api.baseten.co).")
        {
            new Command("chains", "Manage chains.")
            {
                CreateEnvironmentCommand.Create(output, error),
            },
        };

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string messages = string.Join(" ", System.Linq.Enumerable.Select(parsed.Errors, e => e.Message));
            await error.WriteLineAsync("baseten: " + messages + " (see 'baseten --help')").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
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
