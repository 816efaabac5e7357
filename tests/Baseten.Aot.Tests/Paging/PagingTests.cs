using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Baseten.Aot.Tests.Paging;

namespace Baseten.Aot.Tests;

/// <summary>
/// Paging/paging.openapi.yaml through the generated walkers over an in-memory handler: every page's
/// URL exactly, the items in order, and the refusals (another origin, a loop, a malformed Link).
/// </summary>
public sealed class PagingTests
{
    private const string Base = "https://paging.example/api";

    private static PagingClient Client(PageHandler handler) => new(InMemoryTransport.Over(handler, Base + "/"));

    private static async Task<List<long>> Ids(IAsyncEnumerable<Issue> walk)
    {
        var ids = new List<long>();
        await foreach (Issue issue in walk)
        {
            ids.Add(issue.Id);
        }

        return ids;
    }

    [Fact]
    public async Task LinkHeader_FollowsRelNext_KeepingTheCallersQueryOnTheFirstCallOnly()
    {
        var handler = new PageHandler()
            .Page(Base + "/repos/octo/issues?state=open&per_page=2", """[{"id":1},{"id":2}]""", "<https://paging.example/api/repos/octo/issues?per_page=2&page=2>; rel=\"next\", <https://paging.example/api/repos/octo/issues?per_page=2&page=3>; rel=\"last\"")
            .Page(Base + "/repos/octo/issues?per_page=2&page=2", """[{"id":3},{"id":4}]""", "</api/repos/octo/issues?per_page=2&page=1>; rel=\"prev first\", </api/repos/octo/issues?per_page=2&page=3>; REL=\"Next last\"")
            .Page(Base + "/repos/octo/issues?per_page=2&page=3", """[{"id":5}]""", "</api/repos/octo/issues?per_page=2&page=2>; rel=\"prev\"");
        using PagingClient client = Client(handler);

        List<long> ids = await Ids(client.ListIssuesAutoPagingAsync("octo", state: "open", perPage: 2, xTrace: "t-1"));

        Assert.Equal([1, 2, 3, 4, 5], ids);
        Assert.Equal(
            [Base + "/repos/octo/issues?state=open&per_page=2", Base + "/repos/octo/issues?per_page=2&page=2", Base + "/repos/octo/issues?per_page=2&page=3"],
            handler.Urls);

        // A header parameter goes with every page, not only the first.
        Assert.Equal(["t-1", "t-1", "t-1"], handler.Traces);
    }

    [Fact]
    public async Task LinkHeader_ReadsTheItemsOfGitHubsWrapperObject()
    {
        var handler = new PageHandler()
            .Page(Base + "/search/issues?q=bug", """{"total_count":3,"items":[{"id":7},{"id":8}]}""", "<https://paging.example/api/search/issues?q=bug&page=2>; rel=\"next\"")
            .Page(Base + "/search/issues?q=bug&page=2", """{"total_count":3,"items":[{"id":9}]}""");
        using PagingClient client = Client(handler);

        Assert.Equal([7, 8, 9], await Ids(client.SearchIssuesAutoPagingAsync("bug")));
        Assert.Equal(2, handler.Urls.Count);
    }

    [Fact]
    public async Task NextUrlInTheBody_IsFollowed_ARelativeOneAgainstThePagesOwnUrl()
    {
        var handler = new PageHandler()
            .Page(Base + "/files?folder=a", """{"data":[{"id":1}],"next":"https://paging.example/api/files?folder=a&cursor=2"}""")
            .Page(Base + "/files?folder=a&cursor=2", """{"data":[{"id":2}],"next":"files?cursor=3"}""")
            .Page(Base + "/files?cursor=3", """{"data":[{"id":3}],"next":null}""");
        using PagingClient client = Client(handler);

        Assert.Equal([1, 2, 3], await Ids(client.ListFilesAutoPagingAsync(folder: "a")));
        Assert.Equal([Base + "/files?folder=a", Base + "/files?folder=a&cursor=2", Base + "/files?cursor=3"], handler.Urls);
    }

    [Fact]
    public async Task HalLinksNextHref_IsFollowed()
    {
        var handler = new PageHandler()
            .Page(Base + "/orders", """{"_embedded_orders":[{"id":1}],"_links":{"self":{"href":"/api/orders"},"next":{"href":"/api/orders?page=2"}}}""")
            .Page(Base + "/orders?page=2", """{"_embedded_orders":[{"id":2}],"_links":{"self":{"href":"/api/orders?page=2"}}}""");
        using PagingClient client = Client(handler);

        Assert.Equal([1, 2], await Ids(client.ListOrdersAutoPagingAsync()));
        Assert.Equal([Base + "/orders", Base + "/orders?page=2"], handler.Urls);
    }

    [Fact]
    public async Task OffsetLimit_MovesOnByTheItemsReceived_AndStopsAtAShortPage()
    {
        var handler = new PageHandler()
            .Page(Base + "/events?offset=0&limit=2", """[{"id":1},{"id":2}]""")
            .Page(Base + "/events?offset=2&limit=2", """[{"id":3},{"id":4}]""")
            .Page(Base + "/events?offset=4&limit=2", """[{"id":5}]""");
        using PagingClient client = Client(handler);

        Assert.Equal([1, 2, 3, 4, 5], await Ids(client.ListEventsAutoPagingAsync(limit: 2)));
        Assert.Equal(3, handler.Urls.Count);
    }

    [Fact]
    public async Task OffsetLimit_WithoutALimit_StopsAtAnEmptyPage()
    {
        var handler = new PageHandler()
            .Page(Base + "/events?offset=0", """[{"id":1},{"id":2},{"id":3}]""")
            .Page(Base + "/events?offset=3", """[]""");
        using PagingClient client = Client(handler);

        Assert.Equal([1, 2, 3], await Ids(client.ListEventsAutoPagingAsync()));
        Assert.Equal([Base + "/events?offset=0", Base + "/events?offset=3"], handler.Urls);
    }

    [Fact]
    public async Task OffsetLimit_StopsWhenTheTotalIsReached()
    {
        // Both pages are full: only the total says the second is the last.
        var handler = new PageHandler()
            .Page(Base + "/accounts?offset=0&limit=2", """{"total":4,"results":[{"id":1},{"id":2}]}""")
            .Page(Base + "/accounts?offset=2&limit=2", """{"total":4,"results":[{"id":3},{"id":4}]}""");
        using PagingClient client = Client(handler);

        Assert.Equal([1, 2, 3, 4], await Ids(client.ListAccountsAutoPagingAsync(limit: 2)));
        Assert.Equal(2, handler.Urls.Count);
    }

    [Theory]
    [InlineData("https://evil.example/api/files?api_key=SECRET", "https://evil.example")]
    [InlineData("https://paging.example:8443/api/files?api_key=SECRET", "https://paging.example:8443")]
    [InlineData("http://paging.example/api/files?api_key=SECRET", "http://paging.example")]
    [InlineData("//evil.example/api/files?api_key=SECRET", "https://evil.example")]
    public async Task NextUrlOnAnotherOrigin_IsRefused_NamingTheOriginButNotTheQuery(string next, string origin)
    {
        var handler = new PageHandler()
            .Page(Base + "/files", "{\"data\":[{\"id\":1}],\"next\":\"" + next + "\"}");
        using PagingClient client = Client(handler);
        var ids = new List<long>();

        ApiException error = await Assert.ThrowsAsync<ApiException>(async () =>
        {
            await foreach (Issue issue in client.ListFilesAutoPagingAsync())
            {
                ids.Add(issue.Id);
            }
        });

        Assert.Equal([1], ids);
        Assert.Single(handler.Urls);
        Assert.Contains(origin + ",", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("api_key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinkOnAnotherOrigin_IsRefused()
    {
        var handler = new PageHandler()
            .Page(Base + "/repos/octo/issues", """[{"id":1}]""", "<https://evil.example/repos/octo/issues?page=2&token=SECRET>; rel=\"next\"");
        using PagingClient client = Client(handler);

        ApiException error = await Assert.ThrowsAsync<ApiException>(() => Ids(client.ListIssuesAutoPagingAsync("octo")));

        Assert.Single(handler.Urls);
        Assert.Contains("https://evil.example", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NextUrlOutsideTheBaseAddressPath_IsRefused()
    {
        var handler = new PageHandler()
            .Page(Base + "/files", """{"data":[{"id":1}],"next":"/admin/files?page=2"}""");
        using PagingClient client = Client(handler);

        ApiException error = await Assert.ThrowsAsync<ApiException>(() => Ids(client.ListFilesAutoPagingAsync()));

        Assert.Single(handler.Urls);
        Assert.Contains("/admin/files", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NextUrlAlreadyFetched_StopsWithAnException_InsteadOfLooping()
    {
        var handler = new PageHandler()
            .Page(Base + "/files?folder=a", """{"data":[{"id":1}],"next":"/api/files?folder=b"}""")
            .Page(Base + "/files?folder=b", """{"data":[{"id":2}],"next":"https://paging.example/api/files?folder=a"}""");
        using PagingClient client = Client(handler);

        ApiException error = await Assert.ThrowsAsync<ApiException>(() => Ids(client.ListFilesAutoPagingAsync(folder: "a")));

        Assert.Equal(2, handler.Urls.Count);
        Assert.Contains("again", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("folder=", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedLinkHeader_StopsWithAnException_NotASilentLastPage()
    {
        var handler = new PageHandler()
            .Page(Base + "/repos/octo/issues", """[{"id":1}]""", "https://paging.example/api/repos/octo/issues?page=2; rel=\"next\"");
        using PagingClient client = Client(handler);
        var ids = new List<long>();

        ApiException error = await Assert.ThrowsAsync<ApiException>(async () =>
        {
            await foreach (Issue issue in client.ListIssuesAutoPagingAsync("octo"))
            {
                ids.Add(issue.Id);
            }
        });

        Assert.Equal([1], ids);
        Assert.Single(handler.Urls);
        Assert.Contains("Link header", error.Message, StringComparison.Ordinal);
        Assert.IsType<FormatException>(error.InnerException);
    }

    [Fact]
    public async Task Cancellation_StopsTheWalkBeforeTheNextPage()
    {
        var handler = new PageHandler()
            .Page(Base + "/repos/octo/issues", """[{"id":1}]""", "</api/repos/octo/issues?page=2>; rel=\"next\"")
            .Page(Base + "/repos/octo/issues?page=2", """[{"id":2}]""");
        using PagingClient client = Client(handler);
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (Issue issue in client.ListIssuesAutoPagingAsync("octo", cancellationToken: cancel.Token))
            {
                cancel.Cancel();
            }
        });

        Assert.Single(handler.Urls);
    }

    [Fact]
    public async Task Cancellation_StopsAnOffsetWalkBeforeTheNextPage()
    {
        var handler = new PageHandler()
            .Page(Base + "/events?offset=0&limit=1", """[{"id":1}]""")
            .Page(Base + "/events?offset=1&limit=1", """[{"id":2}]""");
        using PagingClient client = Client(handler);
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (Issue issue in client.ListEventsAutoPagingAsync(limit: 1, cancellationToken: cancel.Token))
            {
                cancel.Cancel();
            }
        });

        Assert.Single(handler.Urls);
    }

    [Fact]
    public async Task CallersOptions_EndWithTheLastPagesAnswer()
    {
        var handler = new PageHandler()
            .Page(Base + "/repos/octo/issues", """[{"id":1}]""", "</api/repos/octo/issues?page=2>; rel=\"next\"")
            .Page(Base + "/repos/octo/issues?page=2", """[{"id":2}]""");
        using PagingClient client = Client(handler);
        var options = new ApiCallOptions();

        Assert.Equal([1, 2], await Ids(client.ListIssuesAutoPagingAsync("octo", options: options)));
        Assert.False(options.Response!.Headers.Contains("Link"));
    }
}
