using System;
using System.Threading.Tasks;
using Baseten.Aot.Tests;

namespace Baseten.Aot.LiveApi.Tests;

/// <summary>
/// Two Prism mock servers over Baseten's live management document (read in place from
/// ../shared), on loopback, both validating every request: one answering with the document's
/// static examples, one (<c>--dynamic</c>) with random data generated from the schemas. Loading the
/// 1.1 MB document takes a few seconds; the wait for each server is bounded by <see cref="StartupLimit"/>.
/// </summary>
public sealed class LivePrismServers : IAsyncDisposable
{
    /// <summary>How long a server may take to load the document and listen.</summary>
    public static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(180);

    private PrismServer? _static;
    private PrismServer? _dynamic;

    public Uri StaticAddress => _static!.Address;

    public Uri DynamicAddress => _dynamic!.Address;

    public async Task StartAsync()
    {
        _static = PrismServer.Start(LiveApiDocument.DocumentPath, dynamic: false);
        _dynamic = PrismServer.Start(LiveApiDocument.DocumentPath, dynamic: true);
        await Task.WhenAll(_static.WaitUntilListeningAsync(StartupLimit), _dynamic.WaitUntilListeningAsync(StartupLimit));
    }

    public ValueTask DisposeAsync()
    {
        _static?.Dispose();
        _dynamic?.Dispose();
        return ValueTask.CompletedTask;
    }
}
