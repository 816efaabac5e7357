using System;
using System.IO;
using System.Threading.Tasks;

namespace Baseten.Aot.Tests;

/// <summary>
/// Two Prism mock servers over spec/baseten.openapi.yaml (or, in a subclass, another document) on
/// loopback, both validating every request against it: one answering with the document's static
/// examples, one (<c>--dynamic</c>) with random data generated from the schemas.
/// </summary>
public class PrismFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_startupLimit = TimeSpan.FromSeconds(90);

    private readonly string _document;
    private PrismServer? _static;
    private PrismServer? _dynamic;

    public PrismFixture()
        : this(Path.Combine(Repository.Root, "spec", "baseten.openapi.yaml"))
    {
    }

    protected PrismFixture(string document) => _document = document;

    public Uri StaticAddress => _static!.Address;

    public Uri DynamicAddress => _dynamic!.Address;

    public async Task InitializeAsync()
    {
        _static = PrismServer.Start(_document, dynamic: false);
        _dynamic = PrismServer.Start(_document, dynamic: true);
        await Task.WhenAll(_static.WaitUntilListeningAsync(s_startupLimit), _dynamic.WaitUntilListeningAsync(s_startupLimit));
    }

    public Task DisposeAsync()
    {
        _static?.Dispose();
        _dynamic?.Dispose();
        return Task.CompletedTask;
    }
}
