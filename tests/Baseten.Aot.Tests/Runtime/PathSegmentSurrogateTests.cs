using System;
using Baseten.Aot.Http;
using Xunit;

namespace Baseten.Aot.Tests;

// A lone surrogate has no UTF-8 form: escaping would send U+FFFD in its place, so that two different
// ids name one resource. It is refused instead; a whole pair is a character like any other.
public sealed class PathSegmentSurrogateTests
{
    // Built in code: an attribute argument is stored as UTF-8, where a lone surrogate is already U+FFFD.
    [Theory]
    [InlineData("high, last")]
    [InlineData("low, first")]
    [InlineData("low before high")]
    [InlineData("high alone")]
    public void PathSegment_LoneSurrogate_IsRefused(string where)
    {
        string value = where switch
        {
            "high, last" => "a\uD800",
            "low, first" => "\uDC00a",
            "low before high" => "a\uDC00\uD800b",
            _ => "\uD83D",
        };

        ArgumentException exception = Assert.Throws<ArgumentException>(() => PathSegment.Escape(value, "modelId"));

        Assert.Equal("modelId", exception.ParamName);
        Assert.Contains("lone surrogate", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PathSegment_SurrogatePair_IsEscapedAsItsUtf8()
        => Assert.Equal("a%F0%9F%98%80", PathSegment.Escape("a\uD83D\uDE00", "modelId"));
}
