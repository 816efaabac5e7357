using System;
using System.Net.Http;
using Baseten.Aot.Http;

namespace Baseten.Aot.Tests;

/// <summary>PageWalk: which next URLs a walker follows, and the path it sends for them.</summary>
public sealed class PageWalkTests
{
    private static PageWalk Walk(string baseAddress, string firstPath)
        => new(new ApiTransport(new HttpClient(), new Uri(baseAddress), null, disposeHttpClient: true), firstPath);

    [Theory]
    [InlineData("https://api.example/", "https://api.example/items?page=2", "/items?page=2")]
    [InlineData("https://api.example/", "https://API.example:443/items?page=2#top", "/items?page=2")]
    [InlineData("https://api.example/v1", "?page=2", "/items?page=2")]
    [InlineData("https://api.example/v1", "/v1/items/../items?page=2", "/items?page=2")]
    public void SameOriginUrl_BecomesThePathUnderTheBaseAddress(string baseAddress, string next, string expected)
    {
        PageWalk walk = Walk(baseAddress, "/items");

        Assert.True(walk.Follow(next));
        Assert.Equal(expected, walk.Path);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void NoUrl_IsTheLastPage(string? next)
    {
        PageWalk walk = Walk("https://api.example/", "/items");

        Assert.False(walk.Follow(next));
        Assert.Equal("/items", walk.Path);
    }

    [Theory]
    [InlineData("https://user:secret@api.example/items?page=2")]
    [InlineData("ftp://api.example/items?page=2")]
    [InlineData("https://api.example.evil/items?page=2")]
    public void OtherOriginsAndSchemes_AreRefused_WithoutQuotingTheUrlsSecrets(string next)
    {
        PageWalk walk = Walk("https://api.example/", "/items");

        ApiException error = Assert.Throws<ApiException>(() => walk.Follow(next));

        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("page=2", error.Message, StringComparison.Ordinal);
        Assert.Equal("/items", walk.Path);
    }

    [Theory]
    // The server echoes the key the client sent in the query: the transport adds the client's own to
    // every request, so the echoed one (escaped or not, first, last or alone) is taken out.
    [InlineData("/items?api_key=k3y&cursor=b%2Bc", "/items?cursor=b%2Bc")]
    [InlineData("/items?cursor=abc&api_key=k3y", "/items?cursor=abc")]
    [InlineData("/items?cursor=abc&api%5Fkey=k3y&limit=5", "/items?cursor=abc&limit=5")]
    [InlineData("/items?api_key=k3y", "/items")]
    [InlineData("/items?api_keys=1&cursor=abc", "/items?api_keys=1&cursor=abc")]
    public void AKeyInTheQuery_IsNotFollowedFromTheNextUrl(string next, string expected)
    {
        var transport = new ApiTransport(new HttpClient(), new Uri("https://api.example/"), ApiAuthorization.ApiKeyQuery("api_key", "k3y"), disposeHttpClient: true);
        var walk = new PageWalk(transport, "/items?page=1");

        Assert.True(walk.Follow(next));
        Assert.Equal(expected, walk.Path);
    }

    [Fact]
    public void WithTheKeyInAHeader_AQueryParameterOfTheSameName_IsKept()
    {
        var transport = new ApiTransport(new HttpClient(), new Uri("https://api.example/"), ApiAuthorization.ApiKeyHeader("api_key", "k3y"), disposeHttpClient: true);
        var walk = new PageWalk(transport, "/items?page=1");

        Assert.True(walk.Follow("/items?api_key=other&cursor=abc"));
        Assert.Equal("/items?api_key=other&cursor=abc", walk.Path);
    }

    [Fact]
    public void TheFirstPageAgain_IsALoop()
    {
        PageWalk walk = Walk("https://api.example/", "/items?page=1");

        Assert.True(walk.Follow("/items?page=2"));
        Assert.Throws<ApiException>(() => walk.Follow("https://api.example/items?page=1"));
    }
}
