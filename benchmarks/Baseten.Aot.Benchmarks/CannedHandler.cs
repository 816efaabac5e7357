using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Benchmarks;

/// <summary>
/// The in-memory server of the call benchmarks: writes the request body out and answers 200 with a
/// canned body; no socket, no thread hop. While <see cref="Record"/> is on (the setup's check), every
/// request must be the one expected, and the last body sent is kept so the clients' bytes can be compared.
/// </summary>
internal sealed class CannedHandler(HttpMethod method, Uri endpoint, string authorization, byte[] answer, string mediaType) : HttpMessageHandler
{
    private readonly MediaTypeHeaderValue _mediaType = new(mediaType);

    public bool Record { get; set; } = true;

    public byte[] LastBody { get; private set; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Record)
        {
            if (request.Headers.Authorization?.ToString() != authorization || request.RequestUri != endpoint || request.Method != method)
            {
                throw new InvalidOperationException("Every call must send the same request: " + request);
            }

            using var body = new MemoryStream();
            await request.Content!.CopyToAsync(body, cancellationToken);
            LastBody = body.ToArray();
        }
        else
        {
            await request.Content!.CopyToAsync(Stream.Null, cancellationToken);
        }

        var content = new ByteArrayContent(answer);
        content.Headers.ContentType = _mediaType;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }
}
