using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Baseten.Aot.Tests.Shapes;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Tests;

/// <summary>
/// The generated methods for every parameter location and style and every kind of body and
/// response in Shapes/shapes.openapi.yaml, over a loopback server: what goes on the wire is what
/// the document describes, and what comes back is read as the document says.
/// </summary>
public sealed class OperationShapesTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ShapesClient Client() => new(new ApiTransport(new HttpClient(), _server.BaseAddress, null, disposeHttpClient: true, RetryPolicy.None));

    private void Answer(int status, string contentType, string body)
        => _server.Respond = async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        };

    [Fact]
    public async Task HeaderCookieAndEveryQueryStyle_GoOnTheWireAsTheDocumentSays()
    {
        Answer(200, "application/json", """{"row":1,"seat":2}""");
        using ShapesClient client = Client();

        Ticket ticket = await client.GetTicketAsync(
            7,
            "eu-west",
            xTrace: 42,
            xTags: ["a", "b"],
            session: "s 1",
            ids: [1, 2],
            levels: ["x", "y"],
            filter: new Filter { Species = "cat", MaxAge = 3 },
            pathQuery: "/etc",
            near: [new Filter { Species = "dog" }]);

        RecordedRequest request = _server.Requests.Single();
        Assert.Equal((1L, 2L), (ticket.Row, ticket.Seat));
        Assert.Equal(
            "/tickets/7?ids=1%2C2&levels=x%7Cy&filter%5Bspecies%5D=cat&filter%5Bmax_age%5D=3&path=%2Fetc&near=%5B%7B%22species%22%3A%22dog%22%7D%5D",
            request.RawTarget);
        Assert.Equal(("eu-west", "42", "a,b"), (request.Headers["X-Zoo-Region"], request.Headers["X-Trace"], request.Headers["X-Tags"]));
        Assert.Equal("session=s%201", request.Headers["Cookie"]);
    }

    [Fact]
    public async Task OptionalParameters_LeftOut_AreNotSent()
    {
        Answer(200, "application/json", """{"row":1,"seat":2}""");
        using ShapesClient client = Client();

        await client.GetTicketAsync(7, "eu-west");

        RecordedRequest request = _server.Requests.Single();
        Assert.Equal("/tickets/7", request.RawTarget);
        Assert.False(request.Headers.ContainsKey("X-Trace"));
        Assert.False(request.Headers.ContainsKey("Cookie"));
    }

    [Fact]
    public async Task DocumentedErrorBody_IsReadableTypedFromTheException()
    {
        Answer(404, "application/json", """{"code":"gone","hint":"try tomorrow"}""");
        using ShapesClient client = Client();

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => client.GetTicketAsync(7, "eu-west"));

        Problem? problem = exception.ReadError(ShapesJsonContext.Default.Problem);
        Assert.Equal(("gone", "try tomorrow"), (problem?.Code, problem?.Hint));
        Assert.Equal("/tickets/{ticket_id}", exception.PathTemplate);
    }

    [Fact]
    public async Task NoContent_ReturnsATask()
    {
        _server.Respond = context =>
        {
            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        };
        using ShapesClient client = Client();

        await client.CancelTicketAsync(7, "eu-west");

        Assert.Equal("DELETE", _server.Requests.Single().Method);
    }

    [Fact]
    public async Task Multipart_SendsTheFileAsAStreamedPart_AndTheOtherMembersAsFields_AndReadsTextBack()
    {
        Answer(201, "text/plain", "photo-17");
        using ShapesClient client = Client();
        using var file = new MemoryStream(Encoding.ASCII.GetBytes("PNGDATA"));

        string id = await client.UploadPhotoAsync(file, "a cat", tags: ["cute", "cat"], meta: new Filter { Species = "cat" });

        RecordedRequest request = _server.Requests.Single();
        string body = Encoding.UTF8.GetString(request.Body);
        Assert.Equal("photo-17", id);
        Assert.StartsWith("multipart/form-data", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Contains("name=\"file\"; filename=\"file\"\r\n", body, StringComparison.Ordinal);
        Assert.Contains("PNGDATA", body, StringComparison.Ordinal);
        Assert.Contains("a cat", body, StringComparison.Ordinal);
        Assert.Equal(2, body.Split("name=\"tags\"").Length - 1);
        Assert.Contains("""{"species":"cat"}""", body, StringComparison.Ordinal);
        Assert.Equal("text/plain", request.Headers["Accept"]);
    }

    [Fact]
    public async Task BinaryUpload_AndDownload_AreStreams()
    {
        _server.Respond = async context =>
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Request.Body.CopyToAsync(Stream.Null);
            await context.Response.Body.WriteAsync(new byte[] { 1, 2, 3 });
        };
        using ShapesClient client = Client();

        using Stream photo = await client.PutRawPhotoAsync(new MemoryStream([9, 8]));
        using var copy = new MemoryStream();
        await photo.CopyToAsync(copy);

        RecordedRequest request = _server.Requests.Single();
        Assert.Equal(new byte[] { 1, 2, 3 }, copy.ToArray());
        Assert.Equal(new byte[] { 9, 8 }, request.Body);
        Assert.Equal("image/png", request.Headers["Content-Type"]);
        Assert.Equal("application/octet-stream", request.Headers["Accept"]);
    }

    [Fact]
    public async Task FormBody_IsUrlEncoded_AndAcceptedReturns()
    {
        _server.Respond = context =>
        {
            context.Response.StatusCode = 202;
            return Task.CompletedTask;
        };
        using ShapesClient client = Client();

        await client.SendFeedbackAsync(stars: 5, comment: "fun & games");

        RecordedRequest request = _server.Requests.Single();
        Assert.Equal("stars=5&comment=fun+%26+games", Encoding.UTF8.GetString(request.Body));
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventStream_IsReadAsTypedEvents()
    {
        Answer(200, "text/event-stream", "data: {\"seq\":1,\"text\":\"a\"}\n\n: keep-alive\n\ndata: {\"seq\":2}\n\n");
        using ShapesClient client = Client();

        List<FeedEvent> events = await client.WatchFeedAsync().ToListAsync();

        Assert.Equal([1L, 2L], events.Select(e => e.Seq));
        Assert.Equal("text/event-stream", _server.Requests.Single().Headers["Accept"]);
    }

    [Fact]
    public async Task JsonLines_AreReadOnePerLine()
    {
        Answer(200, "application/x-ndjson", "{\"seq\":1}\n\n{\"seq\":2}\n");
        using ShapesClient client = Client();

        List<FeedEvent> lines = await client.ReadFeedLinesAsync().ToListAsync();

        Assert.Equal([1L, 2L], lines.Select(e => e.Seq));
    }

    [Fact]
    public async Task OptionsConstructor_SendsTheCredentialTheDocumentDeclares_InItsOwnHeader()
    {
        Answer(200, "application/json", """{"row":1,"seat":2}""");
        using var http = new HttpClient();
        using var client = new ShapesClient(http, new ApiClientOptions { Credential = "zoo-secret", BaseAddress = _server.BaseAddress, Retry = RetryPolicy.None });

        await client.GetTicketAsync(7, "eu-west");

        RecordedRequest request = _server.Requests.Single();
        Assert.Equal("zoo-secret", request.Headers["X-Zoo-Key"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task AGeneratedClient_NamesItselfInTheUserAgent_TakesCallOptions_AndTheClientsPolicies()
    {
        Answer(200, "application/json", """{"row":1,"seat":2}""");
        using var http = new HttpClient();
        var tagging = new HeaderPolicy("X-Tenant", "blue");
        using var client = new ShapesClient(http, new ApiClientOptions { Credential = "zoo-secret", BaseAddress = _server.BaseAddress, Retry = RetryPolicy.None }.AddPolicy(tagging));
        var options = new ApiCallOptions().SetHeader("Idempotency-Key", "once");

        await client.GetTicketAsync(7, "eu-west", options: options);

        RecordedRequest request = _server.Requests.Single();
        Assert.StartsWith("ShapesClient Baseten.Aot/", request.Headers["User-Agent"], StringComparison.Ordinal);
        Assert.Equal("once", request.Headers["Idempotency-Key"]);
        Assert.Equal("blue", request.Headers["X-Tenant"]);
        Assert.Equal((200, 1), (options.Response!.Status, options.Response.Attempts));

        using var named = new ShapesClient(http, new ApiClientOptions { Credential = "zoo-secret", BaseAddress = _server.BaseAddress, UserAgent = "my-app/2.0" });
        await named.GetTicketAsync(7, "eu-west");
        Assert.Equal("my-app/2.0", _server.Requests[^1].Headers["User-Agent"]);
    }

    private sealed class HeaderPolicy(string name, string value) : ApiPolicy
    {
        public override ValueTask ProcessAsync(ApiMessage message, IReadOnlyList<ApiPolicy> pipeline, int index)
        {
            message.HttpRequest!.Headers.TryAddWithoutValidation(name, value);
            return ProcessNextAsync(message, pipeline, index);
        }
    }

    [Fact]
    public void OptionsConstructor_WithoutACredential_IsRefusedBeforeAnythingIsSent()
    {
        ArgumentException exception = Assert.Throws<ArgumentException>(() => new ShapesClient(new ApiClientOptions { BaseAddress = _server.BaseAddress }));

        Assert.Contains("ApiClientOptions.Credential", exception.Message, StringComparison.Ordinal);
        Assert.Contains("SHAPES_ZOO_KEY", exception.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void ServerVariables_BuildTheAddress_AndRefuseWhatCouldLeaveTheHostName()
    {
        Assert.Equal(new Uri("https://zoo7-eu.shapes.example.com/v1"), ShapesClient.ZoosOwnEndpointAddress("zoo7"));
        Assert.Equal(new Uri("https://zoo7-us.shapes.example.com/v1"), ShapesClient.ZoosOwnEndpointAddress("zoo7", region: "us"));
        Assert.Equal(new Uri("https://shapes.example.com"), ShapesClient.DefaultBaseAddress);
        Assert.Throws<ArgumentException>(() => ShapesClient.ZoosOwnEndpointAddress("evil.com/x?"));
        Assert.Throws<ArgumentException>(() => ShapesClient.ZoosOwnEndpointAddress(string.Empty));
    }
}
