using System;
using System.Net.Http;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot;

// WebSockets to a model or chain: wss://model-{id}.api.baseten.co/environments/{env}/websocket,
// /development/websocket, /deployment/{id}/websocket, or /websocket on a regional host.
public sealed partial class BasetenInferenceClient
{
    /// <summary>
    /// Opens a WebSocket to the model or chain (a Truss model with a <c>websocket</c> method, a chain
    /// whose entrypoint takes one), authenticated like every other call: the key goes as
    /// <c>Authorization: Bearer</c> in the handshake, never in the URL, a message or a log.
    /// </summary>
    /// <param name="target">The deployment; production when null. Must be null on a regional host.</param>
    /// <param name="configure">
    /// Sets the socket's options (sub-protocols, keep-alive interval, headers) before it connects;
    /// null for the defaults. The handshake follows no redirect, so that the key reaches no other
    /// server; the options that need a handler of their own (proxy, client certificates, cookies)
    /// are refused with an <see cref="ArgumentException"/>, and a proxy named by the environment is used.
    /// </param>
    /// <param name="cancellationToken">Cancels the handshake (not the socket: close or dispose it to end the session).</param>
    /// <returns>The connected socket, which the caller disposes.</returns>
    /// <exception cref="ArgumentException">A target is given for a regional host, or its name is empty, <c>.</c> or <c>..</c>; or <paramref name="configure"/> set a proxy, certificates or cookies.</exception>
    /// <exception cref="BasetenApiException">The server refused the handshake (its status, say 401 or 404, and request id; a redirect is never followed).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached, or closed the connection during the handshake.</exception>
    /// <exception cref="TimeoutException">The handshake did not finish within the retry policy's attempt timeout (a handshake is never retried).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<ClientWebSocket> ConnectWebSocketAsync(PredictTarget? target = null, Action<ClientWebSocketOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        (string template, string path) = WebSocketRoute(target, _regional, nameof(target));
        return _transport.ConnectWebSocketAsync(template, path, configure, cancellationToken);
    }

    // As /sync, production is named in the environment form Baseten documents for WebSockets.
    internal static (string Template, string Path) WebSocketRoute(PredictTarget? target, bool regional, string parameterName)
    {
        if (regional)
        {
            return target is null
                ? ("/websocket", "/websocket")
                : throw new ArgumentException("A regional host serves one environment and has no production, development, environment or deployment routes: pass no target.", parameterName);
        }

        target ??= PredictTarget.Production;
        return target.Kind switch
        {
            PredictTargetKind.Production => ("/environments/production/websocket", "/environments/production/websocket"),
            PredictTargetKind.Development => ("/development/websocket", "/development/websocket"),
            PredictTargetKind.Environment => ("/environments/{env_name}/websocket", "/environments/" + PathSegment.Escape(target.Name!, parameterName) + "/websocket"),
            _ => ("/deployment/{deployment_id}/websocket", "/deployment/" + PathSegment.Escape(target.Name!, parameterName) + "/websocket"),
        };
    }
}
