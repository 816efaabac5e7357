using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot;

// Any route of a custom server, through Baseten's /sync endpoint: a model whose server answers
// /health, /items/123 or an OpenAI-compatible /v1/... is reached at .../sync/health,
// .../sync/items/123 and .../sync/v1/... on the same host and with the same credential as predict.
// The chat and embedding clients build on SyncPrefix, so every client names a target one way.
public sealed partial class BasetenInferenceClient
{
    /// <summary>
    /// The address of the target's <c>/sync</c> root, with a trailing slash: what an OpenAI SDK or an
    /// LLM gateway takes as its base URL once <c>v1/</c> is appended
    /// (<c>https://model-abc123.api.baseten.co/environments/production/sync/</c>).
    /// </summary>
    /// <param name="options">The model or chain, and its regional environment or base address, as for <see cref="AddressOf"/>.</param>
    /// <param name="target">The deployment; production when null. Must be null on a regional host.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">As for <see cref="AddressOf"/>; or a target is given for a regional host.</exception>
    public static Uri SyncAddressOf(BasetenInferenceClientOptions options, PredictTarget? target = null)
    {
        Uri address = AddressOf(options);
        string root = address.AbsoluteUri.TrimEnd('/');
        return new Uri(root + SyncPrefix(target, options.Environment is not null, nameof(target)) + "/");
    }

    /// <summary>
    /// Sends <paramref name="input"/> as JSON to a route of the model's own server (<c>/sync/{route}</c>)
    /// and reads the answer as <typeparamref name="TOutput"/>.
    /// </summary>
    /// <param name="method">The HTTP method (<c>HttpMethod.Post</c>, <c>HttpMethod.Put</c>, ...).</param>
    /// <param name="route">
    /// The server's own path, as text: <c>items/123</c> or <c>/v1/models</c>. Each segment is escaped
    /// (<c>a b</c> is sent as <c>a%20b</c>); an empty, <c>.</c> or <c>..</c> segment is refused, so a route
    /// never climbs out of <c>/sync</c>. A query may follow <c>?</c>, already escaped.
    /// </param>
    /// <param name="input">The request body.</param>
    /// <param name="inputInfo">How to write the body.</param>
    /// <param name="outputInfo">How to read the answer.</param>
    /// <param name="target">The deployment; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The server's answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="method"/>, <paramref name="route"/> or a type info is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="route"/> has an empty, <c>.</c> or <c>..</c> segment, an unescaped query, or a fragment; or a target is given for a regional host.</exception>
    /// <exception cref="BasetenApiException">The server answered outside 2xx, or the answer is not <typeparamref name="TOutput"/>.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">An attempt ran out of time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<TOutput> SyncAsync<TInput, TOutput>(HttpMethod method, string route, TInput input, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TOutput> outputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputInfo);
        ArgumentNullException.ThrowIfNull(outputInfo);
        ApiRequest request = SyncRequest(method, route, target);
        request.Content = ApiContent.Json(input, inputInfo);
        request.Accept = "application/json";
        return _transport.SendJsonAsync(request, outputInfo, cancellationToken);
    }

    /// <summary>
    /// Calls a route of the model's own server without a body (<c>GET /sync/items/123</c>) and reads
    /// the answer as <typeparamref name="TOutput"/>.
    /// </summary>
    /// <inheritdoc cref="SyncAsync{TInput, TOutput}(HttpMethod, string, TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    public Task<TOutput> SyncAsync<TOutput>(HttpMethod method, string route, JsonTypeInfo<TOutput> outputInfo, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputInfo);
        ApiRequest request = SyncRequest(method, route, target);
        request.Accept = "application/json";
        return _transport.SendJsonAsync(request, outputInfo, cancellationToken);
    }

    /// <summary>
    /// Calls a route of the model's own server with any body (raw bytes, text, a form, or none) and
    /// returns the 2xx response with its headers read and its body not yet read: read it once as JSON,
    /// text or a stream, then dispose it.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="route">The server's own path (see <see cref="SyncAsync{TInput, TOutput}(HttpMethod, string, TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>).</param>
    /// <param name="content">
    /// Makes the body (<c>() =&gt; ApiContent.Binary(stream, "audio/wav")</c>), or null for none. It is
    /// called once per send, so a retried request sends its body again; the client disposes what it returns.
    /// </param>
    /// <param name="target">The deployment; production when null. Must be null on a regional host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response, to read and dispose.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="method"/> or <paramref name="route"/> is null, or <paramref name="content"/> returned null.</exception>
    /// <inheritdoc cref="SyncAsync{TInput, TOutput}(HttpMethod, string, TInput, JsonTypeInfo{TInput}, JsonTypeInfo{TOutput}, PredictTarget?, CancellationToken)"/>
    public Task<ApiResponse> SyncSendAsync(HttpMethod method, string route, Func<HttpContent>? content = null, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ApiRequest request = SyncRequest(method, route, target);
        if (content is not null)
        {
            request.Content = content() ?? throw new ArgumentNullException(nameof(content), "The content function returned null.");
        }

        request.Accept = "*/*";
        return _transport.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// Calls a route of the model's own server and returns the answer as a stream read from the
    /// connection as the server writes it. Dispose the stream to end the call.
    /// </summary>
    /// <returns>The answer as it arrives.</returns>
    /// <inheritdoc cref="SyncSendAsync(HttpMethod, string, Func{HttpContent}?, PredictTarget?, CancellationToken)"/>
    public Task<Stream> SyncStreamAsync(HttpMethod method, string route, Func<HttpContent>? content = null, PredictTarget? target = null, CancellationToken cancellationToken = default)
    {
        ApiRequest request = SyncRequest(method, route, target);
        if (content is not null)
        {
            request.Content = content() ?? throw new ArgumentNullException(nameof(content), "The content function returned null.");
        }

        request.Accept = "*/*";
        return _transport.SendStreamAsync(request, cancellationToken);
    }

    private ApiRequest SyncRequest(HttpMethod method, string route, PredictTarget? target)
    {
        ArgumentNullException.ThrowIfNull(method);
        string prefix = SyncPrefix(target, _regional, nameof(target));
        return new ApiRequest(method, SyncTemplate(target, _regional) + "/{route}", prefix + "/" + SyncRoute(route, nameof(route)));
    }

    // Where a target's /sync root lives. Baseten documents the OpenAI-compatible base URL of a
    // dedicated deployment as /environments/production/sync/v1, so production takes the environment
    // form here (predict keeps /production/predict, which its document names).
    internal static string SyncPrefix(PredictTarget? target, bool regional, string parameterName)
    {
        if (regional)
        {
            return target is null
                ? "/sync"
                : throw new ArgumentException("A regional host serves one environment and has no production, development, environment or deployment routes: pass no target.", parameterName);
        }

        target ??= PredictTarget.Production;
        return target.Kind switch
        {
            PredictTargetKind.Production => "/environments/production/sync",
            PredictTargetKind.Development => "/development/sync",
            PredictTargetKind.Environment => "/environments/" + PathSegment.Escape(target.Name!, parameterName) + "/sync",
            _ => "/deployment/" + PathSegment.Escape(target.Name!, parameterName) + "/sync",
        };
    }

    // The same root as a template, for telemetry and errors: ids stay out of metric dimensions.
    internal static string SyncTemplate(PredictTarget? target, bool regional) => regional
        ? "/sync"
        : (target?.Kind ?? PredictTargetKind.Production) switch
        {
            PredictTargetKind.Production => "/environments/production/sync",
            PredictTargetKind.Development => "/development/sync",
            PredictTargetKind.Environment => "/environments/{env_name}/sync",
            _ => "/deployment/{deployment_id}/sync",
        };

    // items/a b?x=1 -> items/a%20b?x=1. Each segment is escaped as data; a query is passed on as it
    // is, and so must already be escaped.
    internal static string SyncRoute(string route, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(route, parameterName);
        int queryAt = route.IndexOf('?');
        string path = queryAt < 0 ? route : route.Substring(0, queryAt);
        string? query = queryAt < 0 ? null : route.Substring(queryAt + 1);
        if (path.StartsWith('/'))
        {
            path = path.Substring(1);
        }

        var built = new StringBuilder(route.Length + 16);
        if (path.Length > 0)
        {
            string[] segments = path.Split('/');
            for (int i = 0; i < segments.Length; i++)
            {
                // A trailing slash is kept (some servers tell /items/ from /items); any other
                // empty segment would be a // that a proxy may fold.
                if (segments[i].Length == 0 && i == segments.Length - 1)
                {
                    break;
                }

                if (segments[i].Length == 0)
                {
                    throw new ArgumentException("A route cannot have an empty segment ('//').", parameterName);
                }

                if (i > 0)
                {
                    built.Append('/');
                }

                built.Append(PathSegment.Escape(segments[i], parameterName));
            }

            if (path.EndsWith('/'))
            {
                built.Append('/');
            }
        }

        if (query is not null)
        {
            foreach (char c in query)
            {
                if (c <= ' ' || c >= 0x7F || c == '#')
                {
                    throw new ArgumentException("The route's query must be escaped (Uri.EscapeDataString) and have no fragment ('#').", parameterName);
                }
            }

            built.Append('?').Append(query);
        }

        return built.ToString();
    }
}
