using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Tests;

/// <summary>An in-memory server for the format tests: records each request as sent and answers with a fixed response.</summary>
internal sealed class CapturingHandler : HttpMessageHandler
{
    private readonly HttpStatusCode _status;
    private readonly string? _json;

    public CapturingHandler(HttpStatusCode status = HttpStatusCode.NoContent, string? json = null)
    {
        _status = status;
        _json = json;
    }

    public List<(HttpRequestMessage Request, byte[] Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Add((request, body));
        var response = new HttpResponseMessage(_status) { RequestMessage = request };
        if (_json is not null)
        {
            response.Content = new StringContent(_json, Encoding.UTF8, "application/json");
        }

        return response;
    }

    public (HttpRequestMessage Request, byte[] Body) Single()
    {
        Assert.Single(Requests);
        return Requests[0];
    }
}
