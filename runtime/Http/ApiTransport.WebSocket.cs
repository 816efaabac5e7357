using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Http;

// WebSockets go around the HTTP pipeline: the handshake is one GET that ClientWebSocket sends on a
// connection of its own, and what follows is not HTTP. What the pipeline guarantees still holds
// here: the credential travels in a header of the handshake (never in the URL), the attempt timeout
// bounds the handshake, a refusal is the same exception family, and the key is in no message.
public sealed partial class ApiTransport
{
    // ClientWebSocket on its own follows redirects, and would take a key header or cookie to whatever
    // server a 3xx names. Every handshake goes through this handler instead, which follows none; it
    // is shared, as handlers are meant to be, and made only by an app that opens a WebSocket.
    private static HttpMessageInvoker? s_webSocketInvoker;

    private static HttpMessageInvoker WebSocketInvoker => LazyInitializer.EnsureInitialized(ref s_webSocketInvoker, () => new HttpMessageInvoker(
        new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        disposeHandler: false));

    /// <summary>
    /// Opens a WebSocket to <paramref name="path"/> under the base address (<c>https</c> becomes
    /// <c>wss</c>, loopback <c>http</c> becomes <c>ws</c>), with the credential in the handshake.
    /// </summary>
    /// <param name="pathTemplate">The path with its parameters unfilled, for errors.</param>
    /// <param name="path">The path, escaped.</param>
    /// <param name="configure">
    /// Sets the caller's options (sub-protocols, keep-alive, buffer sizes, headers) before the
    /// credential is added; null for none. The handshake goes through a handler that follows no
    /// redirect, so the options that belong to a handler (proxy, credentials, client certificates,
    /// certificate validation, cookies) cannot be set: ClientWebSocket refuses them with an
    /// <see cref="ArgumentException"/>. A proxy named by the environment (HTTPS_PROXY) is used.
    /// </param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>The connected socket, which the caller disposes.</returns>
    /// <exception cref="ApiException">The server answered the handshake with a status other than 101.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached, or closed the connection during the handshake.</exception>
    /// <exception cref="TimeoutException">The handshake did not finish within the attempt timeout.</exception>
    /// <exception cref="InvalidOperationException">The credential goes in the query, which would put the key in the URL.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    internal async Task<ClientWebSocket> ConnectWebSocketAsync(string pathTemplate, string path, Action<ClientWebSocketOptions>? configure, CancellationToken cancellationToken)
    {
        if (_authorization?.Location == CredentialLocation.Query)
        {
            throw new InvalidOperationException("This API takes its key in the query, which would put it in the WebSocket's URL: connect with a header credential.");
        }

        var request = new ApiRequest(HttpMethod.Get, pathTemplate, path);
        var address = new Uri(string.Concat(_baseAddress.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? "wss" : "ws", _baseAddress.AsSpan(_baseAddress.IndexOf(':')), path), UriKind.Absolute);
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.CollectHttpResponseDetails = true;
            configure?.Invoke(socket.Options);
            socket.Options.SetRequestHeader("User-Agent", _userAgent);
            switch (_authorization)
            {
                case { Location: CredentialLocation.Header } header:
                    socket.Options.SetRequestHeader(header.Name, header.Value);
                    break;
                case { Location: CredentialLocation.Cookie } cookie:
                    socket.Options.SetRequestHeader("Cookie", cookie.Name + "=" + cookie.Value);
                    break;
            }

            TimeSpan? limit = _retryPolicy.AttemptTimeout;
            using CancellationTokenSource? timer = limit is { } span ? new CancellationTokenSource(span, _retryPolicy.TimeProvider) : null;
            using CancellationTokenSource? linked = timer is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
            try
            {
                await socket.ConnectAsync(address, WebSocketInvoker, linked?.Token ?? cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException exception) when (timer?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException("The WebSocket handshake of GET " + path + " did not finish within " + Seconds(limit!.Value) + " s.", exception);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (WebSocketException) when (socket.HttpStatusCode is not 0 and not HttpStatusCode.SwitchingProtocols)
            {
                throw ApiException.HandshakeRefused(request, socket.HttpStatusCode, RequestIdOf(socket.HttpResponseHeaders), _authorization, _basetenErrors);
            }
            catch (WebSocketException exception)
            {
                // Its message names the kind of failure, never the key (which is in no URL); redacted
                // all the same, as every message that may carry server text is.
                string reason = _authorization?.Redact(exception.Message) ?? exception.Message;
                throw new HttpRequestException("The WebSocket handshake of GET " + path + " failed: " + ApiException.OneLine(reason), null);
            }

            // The collected handshake headers are of no use once connected, and may name the server's cookies.
            socket.HttpResponseHeaders = null;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string? RequestIdOf(IReadOnlyDictionary<string, IEnumerable<string>>? headers)
    {
        if (headers is null)
        {
            return null;
        }

        foreach (string name in (ReadOnlySpan<string>)["X-BASETEN-REQUEST-ID", "X-Request-Id"])
        {
            foreach (KeyValuePair<string, IEnumerable<string>> header in headers)
            {
                if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    foreach (string value in header.Value)
                    {
                        return value;
                    }
                }
            }
        }

        return null;
    }
}
