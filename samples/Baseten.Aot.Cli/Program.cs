using System.Threading.Tasks;

namespace Baseten.Aot.Cli;

internal static class Program
{
    private static Task<int> Main(string[] args) => BasetenCli.RunAsync(args, System.Console.Out, System.Console.Error);
}
