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

    [Fact]
    public void TheFirstPageAgain_IsALoop()
    {
        PageWalk walk = Walk("https://api.example/", "/items?page=1");

        Assert.True(walk.Follow("/items?page=2"));
        Assert.Throws<ApiException>(() => walk.Follow("https://api.example/items?page=1"));
    }
}
