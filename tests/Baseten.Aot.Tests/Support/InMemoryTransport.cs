using System;
using System.Net.Http;
using Baseten.Aot.Http;

namespace Baseten.Aot.Tests;

/// <summary>
/// The transport a feature test hands its generated client: every request goes to an in-memory
/// handler (no socket) and none is repeated, so what the handler records is exactly what was sent.
/// </summary>
internal static class InMemoryTransport
{
    public static ApiTransport Over(HttpMessageHandler handler, string baseAddress)
        => new(new HttpClient(handler), new Uri(baseAddress), null, disposeHttpClient: true, RetryPolicy.None);
}
