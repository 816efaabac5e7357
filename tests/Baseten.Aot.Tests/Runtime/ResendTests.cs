using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot.Tests;

/// <summary>
/// A POST the server did not act on (429, 503 with Retry-After) is sent again with every body the
/// runtime makes from memory, byte for byte.
/// </summary>
public sealed class ResendTests
{
    public static TheoryData<string> Bodies => ["json bytes", "text", "typed json"];

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task ABodyInMemory_IsSentAgain_WhenTheServerDidNotActOnIt(string kind)
    {
        var handler = new Recording();
        using ApiTransport transport = ApiTransport.Create(new HttpClient(handler), new Uri("https://api.example.test"), null, new RetryPolicy { BaseDelay = TimeSpan.Zero, Jitter = static () => 0, Budget = null });
        var request = new ApiRequest(HttpMethod.Post, "/p", "/p")
        {
            Content = kind switch
            {
                "json bytes" => ApiContent.Json(new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes("""{"text":"a","index":1}"""))),
                "text" => ApiContent.Text("""{"text":"a","index":1}"""),
                _ => ApiContent.Json(new Token("a", 1), TestJsonContext.Default.Token),
            },
        };

        await transport.SendNoContentAsync(request, CancellationToken.None);

        Assert.Equal(2, handler.Bodies.Count);
        Assert.Equal("""{"text":"a","index":1}""", handler.Bodies[0]);
        Assert.Equal(handler.Bodies[0], handler.Bodies[1]);
    }

    // 429 first, then 200: the body of each request as it arrived.
    private sealed class Recording : HttpMessageHandler
    {
        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(Bodies.Count == 1 ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK);
        }
    }
}
