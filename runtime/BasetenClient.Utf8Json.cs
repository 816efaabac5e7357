using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot;

// Bodies the caller already holds as UTF-8 JSON (a file it has checked, a request forwarded from
// elsewhere), sent as they are: no model is built, and a NativeAOT app that sends only these keeps
// none of the request models' serialization code.
partial class BasetenClient
{
    /// <summary>
    /// Creates a custom environment for a chain, like
    /// <see cref="CreateChainEnvironmentAsync(string, CreateChainEnvironmentRequestV1, ApiCallOptions?, CancellationToken)"/>,
    /// with the request (a <see cref="CreateChainEnvironmentRequestV1"/> as JSON) sent as it is.
    /// </summary>
    /// <param name="chainId">The chain's id.</param>
    /// <param name="utf8JsonBody">The request as UTF-8 JSON. It is not checked: that is the caller's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The environment created.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="chainId"/> is null.</exception>
    /// <exception cref="BasetenApiException">The server answered outside 2xx, or the answer is not a <see cref="ChainEnvironmentV1"/>.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<ChainEnvironmentV1> CreateChainEnvironmentAsync(string chainId, ReadOnlyMemory<byte> utf8JsonBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        string path = string.Concat("/v1/chains/", PathSegment.Escape(chainId, nameof(chainId)), "/environments");
        var request = new ApiRequest(HttpMethod.Post, "/v1/chains/{chain_id}/environments", path);
        request.Content = ApiContent.Json(utf8JsonBody);
        return _transport.SendJsonAsync(request, BasetenJsonContext.Default.ChainEnvironmentV1, cancellationToken);
    }
}
