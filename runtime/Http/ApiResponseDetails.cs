using System.Net.Http;
using System.Net.Http.Headers;

namespace Baseten.Aot.Http;

/// <summary>What a call's final answer said besides its body: status, headers, request id, attempts.</summary>
public sealed class ApiResponseDetails
{
    internal ApiResponseDetails(HttpResponseMessage response, int attempts, ApiAuthorization? authorization)
    {
        Status = (int)response.StatusCode;
        Headers = response.Headers;
        ContentHeaders = response.Content.Headers;
        RequestId = ApiResponse.RequestIdOf(response, authorization);
        Attempts = attempts;
    }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The response headers (<c>X-RateLimit-Remaining</c>, <c>Retry-After</c>, ...).</summary>
    public HttpResponseHeaders Headers { get; }

    /// <summary>The headers that described the body (<c>Content-Type</c>, <c>Content-Length</c>).</summary>
    public HttpContentHeaders ContentHeaders { get; }

    /// <summary>The server's request id (<c>X-BASETEN-REQUEST-ID</c>, else <c>X-Request-Id</c>); null if neither was sent.</summary>
    public string? RequestId { get; }

    /// <summary>How many times the request was sent, the first time included.</summary>
    public int Attempts { get; }
}
