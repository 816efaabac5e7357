using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Baseten.Aot.Tests.Shapes;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Tests;

/// <summary>
/// The walkers generated for recognised paged operations, over a loopback server: every item of
/// every page, each page requested only when the one before has been read, the walk ending when
/// the API says so (or when a token stops moving), and the caller's token stopping it.
/// </summary>
public sealed class PaginationTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ShapesClient Client() => new(new ApiTransport(new HttpClient(), _server.BaseAddress, null, disposeHttpClient: true, RetryPolicy.None));

    private static string Page(string[] names, bool hasMore, string? cursor)
        => "{\"items\":[" + string.Join(",", names.Select(n => "{\"species\":\"cat\",\"name\":\"" + n + "\"}")) + "],\"pagination\":{\"has_more\":"
           + (hasMore ? "true" : "false") + ",\"cursor\":" + (cursor is null ? "null" : "\"" + cursor + "\"") + "}}";

    private void Serve(Func<string?, string> pageFor)
        => _server.Respond = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(pageFor(context.Request.Query["cursor"].FirstOrDefault()));
        };

    [Fact]
    public async Task CursorWalk_ReadsEveryPage_PassingTheOtherArgumentsEachTime()
    {
        Serve(cursor => cursor switch
        {
            null => Page(["a", "b"], true, "p2"),
            "p2" => Page(["c"], true, "p3"),
            _ => Page(["d"], false, null),
        });
        using ShapesClient client = Client();

        var names = new List<string>();
        await foreach (Animal animal in client.ListAnimalsAutoPagingAsync(limit: 2))
        {
            names.Add(((Cat)animal).Name);
        }

        Assert.Equal(["a", "b", "c", "d"], names);
        Assert.Equal(["/animals?limit=2", "/animals?cursor=p2&limit=2", "/animals?cursor=p3&limit=2"], _server.Requests.Select(r => r.RawTarget));
    }

    [Fact]
    public async Task CursorWalk_IsLazy_TheNextPageIsRequestedOnlyWhenNeeded()
    {
        Serve(cursor => cursor is null ? Page(["a", "b"], true, "p2") : Page(["c"], false, null));
        using ShapesClient client = Client();

        await foreach (Animal animal in client.ListAnimalsAutoPagingAsync())
        {
            break;
        }

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task CursorWalk_ATokenThatDoesNotMove_EndsTheWalkInsteadOfLoopingForever()
    {
        Serve(_ => Page(["same"], true, "stuck"));
        using ShapesClient client = Client();

        List<Animal> animals = await client.ListAnimalsAutoPagingAsync().ToListAsync();

        Assert.Equal(2, animals.Count);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task CursorWalk_CallersToken_StopsIt()
    {
        Serve(cursor => Page(["x"], true, Guid.NewGuid().ToString("N")));
        using ShapesClient client = Client();
        using var cancellation = new CancellationTokenSource();

        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (Animal animal in client.ListAnimalsAutoPagingAsync(cancellationToken: cancellation.Token))
            {
                if (++seen == 3)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.Equal(3, seen);
    }

    [Fact]
    public async Task PageTokenWalk_FollowsNextPageToken_UntilItIsNull()
    {
        _server.Respond = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(context.Request.Query["page_token"].FirstOrDefault() switch
            {
                null => """{"photos":["1","2"],"next_page_token":2}""",
                "2" => """{"photos":["3"],"next_page_token":3}""",
                _ => """{"photos":["4"],"next_page_token":null}""",
            });
        };
        using ShapesClient client = Client();

        List<string> photos = await client.ListPhotosOfAnimalsAutoPagingAsync().ToListAsync();

        Assert.Equal(["1", "2", "3", "4"], photos);
    }
}
