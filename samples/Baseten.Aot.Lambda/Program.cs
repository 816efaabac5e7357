using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Lambda;

internal static class Program
{
    // Lambda starts bootstrap with no arguments: everything it needs is in the environment. The
    // process serves invocations until Lambda freezes or ends it, so the loop never returns on its own.
    private static Task<int> Main() => LambdaBootstrap.RunAsync(new BootstrapHost(), CancellationToken.None);
}
