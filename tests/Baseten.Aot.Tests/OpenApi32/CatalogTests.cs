using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Tests.OpenApi32;

namespace Baseten.Aot.Tests;

/// <summary>
/// OpenApi32/catalog.openapi.yaml (an OpenAPI 3.2 document) through the generated client over an
/// in-memory handler: QUERY and an additionalOperations method go out as written, and streams typed
/// by itemSchema read into typed items.
/// </summary>
public sealed class OpenApi32CatalogTests
{
    private static CatalogClient Client(ReplyHandler handler)
        => new(InMemoryTransport.Over(handler, "https://catalog.example/"));

    [Fact]
    public async Task QueryOperation_SendsQuery_WithItsUrlAndBodyExactly()
    {
        var handler = new ReplyHandler(HttpStatusCode.OK, "application/json", """[{"id":"p1","name":"Lamp"}]""");
        using CatalogClient client = Client(handler);

        IReadOnlyList<Product> products = await client.SearchProductsAsync(new ProductQuery { Text = "lamp", MaxPrice = 19.99m }, limit: 5);

        (HttpRequestMessage request, byte[] body, string? contentType) = Assert.Single(handler.Requests);
        Assert.Equal("QUERY", request.Method.Method);
        Assert.Equal("https://catalog.example/products/search?limit=5", request.RequestUri!.OriginalString);
        Assert.Equal("""{"text":"lamp","maxPrice":19.99}""", Encoding.UTF8.GetString(body));
        Assert.Equal("application/json", contentType);
        Product product = Assert.Single(products);
        Assert.Equal("p1", product.Id);
        Assert.Equal("Lamp", product.Name);
    }

    [Fact]
    public async Task AdditionalOperation_IsSentWithItsOwnMethod_AndNoBody()
    {
        var handler = new ReplyHandler(HttpStatusCode.NoContent, null, null);
        using CatalogClient client = Client(handler);

        await client.LinkProductAsync("p/1");

        (HttpRequestMessage request, byte[] body, _) = Assert.Single(handler.Requests);
        Assert.Equal("LINK", request.Method.Method);
        Assert.Equal("https://catalog.example/products/p%2F1", request.RequestUri!.OriginalString);
        Assert.Empty(body);
    }

    [Fact]
    public async Task EventStream_TypedByItemSchema_YieldsTheDataOfEachEvent()
    {
        const string Events = "event: change\nid: 1\ndata: {\"id\":\"p1\",\"change\":\"created\"}\n\n"
            + ": a comment\n\n"
            + "event: change\nid: 2\ndata: {\"id\":\"p2\",\n"
            + "data: \"change\":\"deleted\"}\n\n";
        var handler = new ReplyHandler(HttpStatusCode.OK, "text/event-stream", Events);
        using CatalogClient client = Client(handler);

        var changes = new List<ProductChange>();
        using var timeout = new CancellationTokenSource(System.TimeSpan.FromSeconds(30));
        await foreach (ProductChange change in client.WatchProductsAsync(cancellationToken: timeout.Token))
        {
            changes.Add(change);
        }

        Assert.Equal(2, changes.Count);
        Assert.Equal("p1", changes[0].Id);
        Assert.Equal(ProductChangeChange.Created, changes[0].Change);
        Assert.Equal("p2", changes[1].Id);
        Assert.Equal(ProductChangeChange.Deleted, changes[1].Change);
        Assert.Equal("text/event-stream", Assert.Single(Assert.Single(handler.Requests).Request.Headers.Accept).MediaType);
    }

    [Fact]
    public async Task JsonLines_TypedByItemSchema_YieldsEachLine()
    {
        const string Lines = "{\"id\":\"p1\",\"name\":\"Lamp\"}\n{\"id\":\"p2\",\"name\":\"Desk\"}\n";
        var handler = new ReplyHandler(HttpStatusCode.OK, "application/jsonl", Lines);
        using CatalogClient client = Client(handler);

        var products = new List<Product>();
        using var timeout = new CancellationTokenSource(System.TimeSpan.FromSeconds(30));
        await foreach (Product product in client.ExportProductsAsync(cancellationToken: timeout.Token))
        {
            products.Add(product);
        }

        Assert.Equal(["p1", "p2"], products.ConvertAll(p => p.Id));
        Assert.Equal(["Lamp", "Desk"], products.ConvertAll(p => p.Name));
        Assert.Equal(HttpMethod.Get, Assert.Single(handler.Requests).Request.Method);
    }

    /// <summary>Records each request as sent and answers with one fixed body of the given media type.</summary>
    private sealed class ReplyHandler(HttpStatusCode status, string? mediaType, string? body) : HttpMessageHandler
    {
        public List<(HttpRequestMessage Request, byte[] Body, string? ContentType)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            byte[] sent = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            Requests.Add((request, sent, request.Content?.Headers.ContentType?.MediaType));
            var response = new HttpResponseMessage(status) { RequestMessage = request };
            if (body is not null)
            {
                response.Content = new StringContent(body, Encoding.UTF8, mediaType!);
            }

            return response;
        }
    }
}
