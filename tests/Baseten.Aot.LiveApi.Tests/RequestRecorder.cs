using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.LiveApi.Tests;

/// <summary>What one call of a generated method put on the wire and got back.</summary>
public sealed class CallRecord
{
    public string? Method { get; set; }

    public string? Path { get; set; }

    public string? Query { get; set; }

    public string? RequestBody { get; set; }

    public int? Status { get; set; }

    public string? ResponseBody { get; set; }

    public override string ToString() => $"{Method} {Path}{Query}" + (RequestBody is null ? "" : " " + ClrValues.Truncate(RequestBody, 1500));
}

/// <summary>
/// Wraps the HttpClient's handler and writes every request (and the response body, buffered so
/// that the client still reads it as a stream) into the <see cref="Current"/> record of the call
/// that sent it: calls run concurrently, each in its own async flow.
/// </summary>
public sealed class RequestRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly AsyncLocal<CallRecord?> s_current = new();

    /// <summary>The record of the call running in this async flow; set it before invoking the method.</summary>
    public static CallRecord? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        CallRecord? record = Current;
        if (record is not null)
        {
            record.Method = request.Method.Method;
            record.Path = request.RequestUri!.AbsolutePath;
            record.Query = request.RequestUri.Query;
            record.RequestBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        }

        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        if (record is not null)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            record.Status = (int)response.StatusCode;
            record.ResponseBody = await response.Content.ReadAsStringAsync(cancellationToken);
        }

        return response;
    }
}

/// <summary>Answers every request with 418 without sending it: how methods are matched to operations offline.</summary>
public sealed class RefusingHandler : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage((HttpStatusCode)418) { RequestMessage = request, Content = new StringContent("{}") });
}
