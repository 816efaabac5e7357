using System;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot;

// The generated half of this partial interface has one method per operation of
// spec/baseten.openapi.yaml; this half adds what runtime/BasetenClient*.cs adds by hand: the calls
// that send a body the caller already holds as JSON.
public partial interface IBasetenClient
{
    /// <inheritdoc cref="BasetenClient.CreateChainEnvironmentAsync(string, ReadOnlyMemory{byte}, CancellationToken)"/>
    Task<ChainEnvironmentV1> CreateChainEnvironmentAsync(string chainId, ReadOnlyMemory<byte> utf8JsonBody, CancellationToken cancellationToken);
}
