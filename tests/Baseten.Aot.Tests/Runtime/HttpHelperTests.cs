using System;
using System.Collections.Generic;
using Baseten.Aot.Http;

namespace Baseten.Aot.Tests;

/// <summary>The URL helpers generated clients call.</summary>
public sealed class HttpHelperTests
{
    [Fact]
    public void QueryBuilder_EscapesSkipsNullsAndRepeatsArrays()
    {
        var query = new QueryBuilder("/v1/x");
        query.Add("q", "a b&c=d/é");
        query.Add("skipped", (string?)null);
        query.Add("limit", (int?)10);
        query.Add("big", (long?)long.MaxValue);
        query.Add("ratio", (double?)0.1);
        query.Add("on", (bool?)true);
        query.Add("tag", ["x", "y"]);
        query.Add("kind", new[] { PromotionCleanupStrategyV1.Keep, new PromotionCleanupStrategyV1("NEW") }, static v => v.Value);
        query.Add("since", (DateTimeOffset?)new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));
        query.Add("n", new List<int> { 1, -2 });
        query.Add("l", new List<long> { 3L });
        query.Add("d", new List<double> { 0.5 });
        query.Add("b", new List<bool> { true, false });

        Assert.Equal(
            "/v1/x?q=a%20b%26c%3Dd%2F%C3%A9&limit=10&big=9223372036854775807&ratio=0.1&on=true&tag=x&tag=y&kind=KEEP&kind=NEW"
            + "&since=2026-01-02T03%3A04%3A05.0000000%2B02%3A00&n=1&n=-2&l=3&d=0.5&b=true&b=false",
            query.ToString());
    }

    [Fact]
    public void QueryBuilder_WithNothingAdded_IsThePath()
        => Assert.Equal("/v1/x", new QueryBuilder("/v1/x").ToString());

    [Fact]
    public void ParameterFormat_IsInvariant_RoundTrips_AndJoinsWithTheStylesDelimiter()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Assert.Equal(
                ["0.1", "-12", "9223372036854775807", "true", "2026-01-02T03:04:05.0000000+02:00"],
                [ParameterFormat.Text(0.1), ParameterFormat.Text(-12), ParameterFormat.Text(long.MaxValue), ParameterFormat.Text(true), ParameterFormat.Text(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)))]);
            Assert.Equal("1.5,2", ParameterFormat.Delimited([1.5, 2.0], static v => ParameterFormat.Text(v), ","));
            Assert.Equal("a|b", ParameterFormat.Delimited(["a", "b"], static v => v, "|"));
            Assert.Equal(string.Empty, ParameterFormat.Delimited(Array.Empty<string>(), static v => v, " "));
            Assert.Null(ParameterFormat.Delimited((string[]?)null, static v => v, ","));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("abc/def", "abc%2Fdef")]
    [InlineData("a b?c#d", "a%20b%3Fc%23d")]
    [InlineData("...", "...")]
    [InlineData("%2E%2E", "%252E%252E")]
    public void PathSegment_EscapesEverythingThatCouldLeaveTheSegment(string value, string expected)
        => Assert.Equal(expected, PathSegment.Escape(value, "id"));
}
