using System;
using System.Net.Http;
using System.Threading;

namespace Baseten.Aot.Http;

/// <summary>
/// One call as it goes through a transport's <see cref="ApiPolicy"/> pipeline: the operation's
/// request, the HttpRequestMessage of the current attempt, and the answer.
/// </summary>
public sealed class ApiMessage
{
    /// <summary>Creates a message for <paramref name="request"/> to <paramref name="uri"/> (to run a pipeline of one's own, in a test say).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ApiMessage(ApiRequest request, Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(uri);
        Request = request;
        Uri = uri;
        CancellationToken = cancellationToken;
    }

    /// <summary>The operation's request as the client built it.</summary>
    public ApiRequest Request { get; }

    /// <summary>The absolute address, without a credential that goes in the query.</summary>
    public Uri Uri { get; }

    /// <summary>
    /// The request of the current attempt, for per-try policies to add to (built by the retry
    /// policy for each attempt, disposed after it); null before the retries.
    /// </summary>
    public HttpRequestMessage? HttpRequest { get; set; }

    /// <summary>The answer, once the next policy has returned; a policy may set one itself. The transport disposes it.</summary>
    public HttpResponseMessage? Response { get; set; }

    /// <summary>The attempt being made, from 1; 0 before the retries.</summary>
    public int Attempt { get; internal set; }

    /// <summary>Ends the call: the caller's token, and within the retries the attempt's timeout as well.</summary>
    public CancellationToken CancellationToken { get; set; }

    // The transport's own: the address with a query credential, the retry policy of this call, and its attempt deadline.
    internal Uri? KeyedUri { get; init; }

    internal RetryPolicy? Policy { get; init; }

    internal AttemptDeadline? Deadline { get; init; }
}
