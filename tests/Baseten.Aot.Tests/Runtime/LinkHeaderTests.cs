using System;
using Baseten.Aot.Http;

namespace Baseten.Aot.Tests;

/// <summary>The RFC 8288 Link header parser behind the Link-header walkers.</summary>
public sealed class LinkHeaderTests
{
    [Fact]
    public void SeveralLinksInOneValue_TheNextOneIsFound()
        => Assert.Equal("https://a.example/?page=3", LinkHeader.FindNext("<https://a.example/?page=1>; rel=\"prev\", <https://a.example/?page=3>; rel=\"next\", <https://a.example/?page=9>; rel=\"last\""));

    [Fact]
    public void SeveralValues_TheFirstNextWins()
        => Assert.Equal("/b", LinkHeader.FindNext(["</a>; rel=prev", "</b>; rel=next", "</c>; rel=next"]));

    [Theory]
    [InlineData("</n>; rel=\"prev next\"")]
    [InlineData("</n>; rel=\"NEXT\"")]
    [InlineData("</n>; REL=Next")]
    [InlineData("</n> ;\trel = \"last  next\" ; title=x")]
    public void Rel_IsASpaceSeparatedCaseInsensitiveList(string value)
        => Assert.Equal("/n", LinkHeader.FindNext(value));

    [Fact]
    public void CommasAndSemicolonsInsideTheUrl_DoNotSplitTheLink()
        => Assert.Equal("https://a.example/x?ids=1,2,3;v=2", LinkHeader.FindNext("<https://a.example/x?ids=1,2,3;v=2>; rel=next"));

    [Fact]
    public void QuotedParameters_MayHoldCommasSemicolonsAndEscapes()
        => Assert.Equal("/n", LinkHeader.FindNext("</p>; title=\"a, b; rel=next \\\"c\\\"\"; rel=prev, </n>; title=\"x,y\"; rel=next"));

    [Fact]
    public void OnlyTheFirstRelOfALinkCounts()
        => Assert.Null(LinkHeader.FindNext("</n>; rel=prev; rel=next"));

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("</p>; rel=prev, </l>; rel=last")]
    [InlineData("</n>; anchor=\"#next\"")]
    [InlineData("</n>; rel")]
    public void NoNextLink_IsNull(string value)
        => Assert.Null(LinkHeader.FindNext(value));

    [Theory]
    [InlineData("https://a.example/secret-token; rel=next")]
    [InlineData("<https://a.example/secret-token; rel=next")]
    [InlineData("<https://a.example/secret-token>; title=\"open; rel=next")]
    [InlineData("<https://a.example/secret-token> rel=next")]
    [InlineData("<https://a.example/secret-token>; =next")]
    [InlineData("<https://a.example/secret-token>; rel=")]
    public void MalformedValue_IsAFormatException_ThatDoesNotQuoteIt(string value)
    {
        FormatException error = Assert.Throws<FormatException>(() => LinkHeader.FindNext(value));

        Assert.DoesNotContain("secret-token", error.Message, StringComparison.Ordinal);
    }
}
