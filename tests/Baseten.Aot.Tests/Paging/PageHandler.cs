using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Tests;

/// <summary>
/// An in-memory server of pages: each URL (as sent) answers with its JSON and, if given, a Link
/// header; any other URL is a 404. Records every URL and X-Trace header it was sent, in order.
/// </summary>
internal sealed class PageHandler : HttpMessageHandler
{
    private readonly Dictionary<string, (string Json, string? Link)> _pages = new(StringComparer.Ordinal);

    public List<string> Urls { get; } = [];

    public List<string?> Traces { get; } = [];

    public PageHandler Page(string url, string json, string? link = null)
    {
        _pages.Add(url, (json, link));
        return this;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string url = request.RequestUri!.OriginalString;
        Urls.Add(url);
        Traces.Add(request.Headers.TryGetValues("X-Trace", out IEnumerable<string>? trace) ? string.Join(",", trace) : null);
        if (!_pages.TryGetValue(url, out (string Json, string? Link) page))
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request, Content = new StringContent("{}") });
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent(page.Json, Encoding.UTF8, "application/json") };
        if (page.Link is not null)
        {
            response.Headers.TryAddWithoutValidation("Link", page.Link);
        }

        return Task.FromResult(response);
    }
}
