using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Lambda;

/// <summary>One invocation as <c>/runtime/invocation/next</c> hands it over.</summary>
/// <param name="RequestId">Lambda's request id (<c>Lambda-Runtime-Aws-Request-Id</c>): where the response or error goes.</param>
/// <param name="Deadline">When Lambda ends the invocation (<c>Lambda-Runtime-Deadline-Ms</c>); null if the header is absent.</param>
/// <param name="TraceId">The X-Ray tracing header (<c>Lambda-Runtime-Trace-Id</c>), if any.</param>
/// <param name="Event">The event, as the invoker sent it.</param>
internal sealed record Invocation(string RequestId, DateTimeOffset? Deadline, string? TraceId, ReadOnlyMemory<byte> Event);

/// <summary>
/// Lambda's runtime API, version 2018-06-01, spoken with HttpClient: a plain HTTP server at
/// <c>AWS_LAMBDA_RUNTIME_API</c> (host:port) inside the execution environment. A 500 from any of
/// its endpoints means the environment is broken and the runtime must exit: it is thrown as
/// <see cref="RuntimeApiException"/>; other statuses of a post are returned for the caller to handle.
/// </summary>
internal sealed class RuntimeApiClient : IDisposable
{
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
    private static readonly MediaTypeHeaderValue s_json = new("application/json");
    private readonly HttpClient _http;

    /// <exception cref="ArgumentException"><paramref name="runtimeApi"/> is not a host:port.</exception>
    public RuntimeApiClient(string runtimeApi, HttpMessageHandler? handler)
    {
        if (!Uri.TryCreate("http://" + runtimeApi + "/2018-06-01/", UriKind.Absolute, out Uri? address)
            || address.AbsolutePath != "/2018-06-01/" || address.Query.Length > 0 || address.Fragment.Length > 0 || address.UserInfo.Length > 0)
        {
            throw new ArgumentException("AWS_LAMBDA_RUNTIME_API is not a host:port: '" + runtimeApi + "'.", nameof(runtimeApi));
        }

        // Local, so never through a proxy. No timeout: Lambda may freeze the process while /next
        // waits for an event, for as long as the function is idle.
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
            : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = address;
        _http.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>Waits for the next invocation.</summary>
    /// <exception cref="RuntimeApiException">The runtime API answered with an error or without a request id.</exception>
    /// <exception cref="HttpRequestException">The runtime API could not be reached.</exception>
    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri("runtime/invocation/next", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new RuntimeApiException("GET /runtime/invocation/next answered " + Status(response.StatusCode));
        }

        string requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new RuntimeApiException("GET /runtime/invocation/next answered without a Lambda-Runtime-Aws-Request-Id");
        DateTimeOffset? deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out long milliseconds)
            && milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : null;
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new Invocation(requestId, deadline, Header(response, "Lambda-Runtime-Trace-Id"), body);
    }

    /// <summary>Posts the function's response to <c>/runtime/invocation/{id}/response</c>.</summary>
    /// <returns>The runtime API's status: 202 when it took the response.</returns>
    /// <exception cref="RuntimeApiException">The runtime API answered 500.</exception>
    public Task<HttpStatusCode> PostResponseAsync(string requestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
        => PostAsync(InvocationPath(requestId, "response"), response, null, cancellationToken);

    /// <summary>Posts an invocation error to <c>/runtime/invocation/{id}/error</c>.</summary>
    /// <inheritdoc cref="PostResponseAsync"/>
    public Task<HttpStatusCode> PostErrorAsync(string requestId, FunctionError error, CancellationToken cancellationToken)
        => PostAsync(InvocationPath(requestId, "error"), JsonSerializer.SerializeToUtf8Bytes(error, RuntimeJson.Default.FunctionError), error.ErrorType, cancellationToken);

    /// <summary>Posts an initialization error to <c>/runtime/init/error</c>; the runtime exits after it.</summary>
    /// <inheritdoc cref="PostResponseAsync"/>
    public Task<HttpStatusCode> PostInitErrorAsync(FunctionError error, CancellationToken cancellationToken)
        => PostAsync("runtime/init/error", JsonSerializer.SerializeToUtf8Bytes(error, RuntimeJson.Default.FunctionError), error.ErrorType, cancellationToken);

    public void Dispose() => _http.Dispose();

    private static string InvocationPath(string requestId, string what) => "runtime/invocation/" + Uri.EscapeDataString(requestId) + "/" + what;

    private async Task<HttpStatusCode> PostAsync(string path, ReadOnlyMemory<byte> body, string? errorType, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = s_json;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        if (errorType is not null)
        {
            request.Headers.Add(ErrorTypeHeader, errorType);
        }

        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.InternalServerError)
        {
            throw new RuntimeApiException("POST /" + path + " answered 500: the execution environment cannot go on");
        }

        return response.StatusCode;
    }

    private static string? Header(HttpResponseMessage response, string name)
    {
        string? value = response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static string Status(HttpStatusCode status) => ((int)status).ToString(CultureInfo.InvariantCulture);
}

/// <summary>The runtime API said the runtime cannot go on (a 500, or an answer without what the protocol promises).</summary>
internal sealed class RuntimeApiException(string message) : Exception(message);
