using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Baseten.Aot.Tests.Formats;

namespace Baseten.Aot.Tests;

/// <summary>
/// Formats/formats.openapi.yaml through the generated client over an in-memory handler: every format
/// typed as .NET users expect (DateOnly, Guid, decimal, ...), read and written exactly, and every
/// scalar's text the same in every place a value is text (one table, ParameterFormat.Text).
/// </summary>
public sealed class FormatsTests
{
    private const string VisitJson = """{"day":"2020-01-02","time":"03:04:05.5000000","id":"0f8fad5b-d9cb-469f-a165-70867728950e","site":"https://example.com/a?b=c","photo":"AQL6","amount":12345678901234567.89,"ratio":1.5,"tiny":-5,"small":-300,"octet":250,"port":65000,"count":4000000000,"big":18446744073709551615,"stay":"P1Y2M","days":["2020-01-02","2021-12-31"],"when":"2020-01-03"}""";

    private static readonly DateTimeOffset s_at = new(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1));

    private static FormatsClient Client(CapturingHandler handler)
        => new(InMemoryTransport.Over(handler, "https://formats.example/"));

    [Fact]
    public async Task DateTimePathParameter_IsOneEscapedIso8601Segment()
    {
        var handler = new CapturingHandler(HttpStatusCode.OK, VisitJson);
        using FormatsClient client = Client(handler);

        await client.GetVisitAsync(s_at, day: new DateOnly(2020, 1, 2));

        // Not "/visits/01/02/2026%2003:04:05%20+01:00" (.NET's "G" format, four segments).
        Assert.Equal("https://formats.example/visits/2026-01-02T03%3A04%3A05.0000000%2B01%3A00?day=2020-01-02", handler.Single().Request.RequestUri!.OriginalString);
    }

    [Fact]
    public async Task Response_IsReadExactly_TheDecimalIncluded()
    {
        var handler = new CapturingHandler(HttpStatusCode.OK, VisitJson);
        using FormatsClient client = Client(handler);

        Visit visit = await client.GetVisitAsync(s_at);

        Assert.Equal(new DateOnly(2020, 1, 2), visit.Day);
        Assert.Equal(new TimeOnly(3, 4, 5, 500), visit.Time);
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), visit.Id);
        Assert.Equal(new Uri("https://example.com/a?b=c"), visit.Site);
        Assert.Equal(new byte[] { 1, 2, 250 }, visit.Photo);
        Assert.Equal(12345678901234567.89m, visit.Amount);
        Assert.Equal("12345678901234567.89", visit.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1.5f, visit.Ratio);
        Assert.Equal((sbyte)-5, visit.Tiny);
        Assert.Equal((short)-300, visit.Small);
        Assert.Equal((byte)250, visit.Octet);
        Assert.Equal((ushort)65000, visit.Port);
        Assert.Equal(4000000000u, visit.Count);
        Assert.Equal(ulong.MaxValue, visit.Big);
        Assert.Equal("P1Y2M", visit.Stay);
        Assert.Equal([new DateOnly(2020, 1, 2), new DateOnly(2021, 12, 31)], visit.Days!);
        Assert.Equal(new DateOnly(2020, 1, 3), visit.When!.Date);
    }

    [Fact]
    public async Task Request_IsWrittenExactly_AndReadsBackTheSame()
    {
        var handler = new CapturingHandler(HttpStatusCode.OK, VisitJson);
        using FormatsClient client = Client(handler);
        Visit read = JsonSerializer.Deserialize(VisitJson, FormatsJsonContext.Default.Visit)!;

        await client.PutVisitAsync(s_at, read);

        Assert.Equal(VisitJson, Encoding.UTF8.GetString(handler.Single().Body));
    }

    [Fact]
    public void Union_ReadsEachFormatCase_AndItsTextIsTheTable()
    {
        When date = JsonSerializer.Deserialize("\"2020-01-02\"", FormatsJsonContext.Default.When)!;
        When uuid = JsonSerializer.Deserialize("\"0f8fad5b-d9cb-469f-a165-70867728950e\"", FormatsJsonContext.Default.When)!;
        When amount = JsonSerializer.Deserialize("12345678901234567.89", FormatsJsonContext.Default.When)!;

        Assert.Equal((new DateOnly(2020, 1, 2), "2020-01-02"), (date.Date, date.ToString()));
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), uuid.Uuid);
        Assert.Equal((12345678901234567.89m, "12345678901234567.89"), (amount.Decimal, amount.ToString()));
        Assert.Equal("12345678901234567.89", JsonSerializer.Serialize(amount, FormatsJsonContext.Default.When));
        Assert.Equal("\"2020-01-02\"", JsonSerializer.Serialize(date, FormatsJsonContext.Default.When));
    }

    [Theory]
    // OpenAPI's time is RFC 3339's full-time, which carries an offset (Prism's examples do): read as
    // the time of day in UTC, since TimeOnly has none. Without an offset, as System.Text.Json writes it.
    [InlineData("03:04:05.5000000", 3, 4, 5, 500)]
    [InlineData("03:04:05", 3, 4, 5, 0)]
    [InlineData("14:15:22Z", 14, 15, 22, 0)]
    [InlineData("14:15:22.25z", 14, 15, 22, 250)]
    [InlineData("14:15:22+00:00", 14, 15, 22, 0)]
    [InlineData("09:00:00+01:00", 8, 0, 0, 0)]
    [InlineData("00:30:00+01:00", 23, 30, 0, 0)]
    [InlineData("23:30:00.5-02:30", 2, 0, 0, 500)]
    public void Time_WithOrWithoutAnOffset_IsRead(string text, int hour, int minute, int second, int millisecond)
    {
        string json = VisitJson.Replace("\"03:04:05.5000000\"", "\"" + text + "\"", StringComparison.Ordinal);

        Visit visit = JsonSerializer.Deserialize(json, FormatsJsonContext.Default.Visit)!;

        Assert.Equal(new TimeOnly(hour, minute, second, millisecond), visit.Time);

        // The same through System.Text.Json's object converter, which the context's metadata serves
        // when a modifier could customize the contract: its TimeOnly converter is the runtime's.
        var options = new JsonSerializerOptions { TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.WithAddedModifier(FormatsJsonContext.Default, static _ => { }) };
        Visit viaMetadata = JsonSerializer.Deserialize(json, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<Visit>)options.GetTypeInfo(typeof(Visit)))!;
        Assert.Equal(new TimeOnly(hour, minute, second, millisecond), viaMetadata.Time);
    }

    [Theory]
    [InlineData("day", "\"2020-13-01\"", "a date (yyyy-MM-dd)")]
    [InlineData("time", "\"25:00:00\"", "a time")]
    [InlineData("time", "\"10:00:00+24:00\"", "a time")]
    [InlineData("time", "\"10:00:00 Z\"", "a time")]
    [InlineData("time", "\"10:00:00+0100\"", "a time")]
    [InlineData("id", "\"not-a-uuid\"", "a UUID")]
    [InlineData("photo", "\"***\"", "base64 text")]
    [InlineData("amount", "\"12.5\"", "a number a decimal holds")]
    [InlineData("tiny", "128", "int8")]
    [InlineData("octet", "-1", "uint8")]
    [InlineData("big", "-1", "uint64")]
    public void ValueThatDoesNotParse_IsAJsonException_NamingTheMember(string member, string value, string expected)
    {
        var members = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(VisitJson)!;
        members[member] = JsonDocument.Parse(value).RootElement;
        string json = JsonSerializer.Serialize(members);

        JsonException error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, FormatsJsonContext.Default.Visit));

        Assert.Contains("'" + member + "' of Visit", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DateListItem_ThatDoesNotParse_NamesTheList()
    {
        string json = VisitJson.Replace("\"2021-12-31\"", "\"31/12/2021\"", StringComparison.Ordinal);

        JsonException error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, FormatsJsonContext.Default.Visit));

        Assert.Contains("an item of System.Collections.Generic.IReadOnlyList<System.DateOnly>", error.Message, StringComparison.Ordinal);
    }
}
