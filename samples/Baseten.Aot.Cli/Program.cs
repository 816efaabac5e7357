using System;
using System.Threading.Tasks;

namespace Baseten.Aot.Cli;

internal static class Program
{
    // Ctrl+C ends the process at once, as for any command-line tool: nothing is left half-written.
    private static Task<int> Main(string[] args) => BasetenCli.RunAsync(args, Console.Out, Console.Error);
}
