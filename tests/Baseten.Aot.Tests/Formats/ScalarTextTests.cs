using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Baseten.Aot.Tests.Formats;

namespace Baseten.Aot.Tests;

/// <summary>
/// "Scalar to text" is one table (ParameterFormat.Text): one test per scalar per location (path,
/// query, header, cookie, form, a union's text) through the generated client, so no location can
/// drift from the others again. Each location then escapes the text as it must, and only that.
/// </summary>
public sealed class ScalarTextTests
{
    // Wire name -> the expected text of the value Call passes for it.
    private static readonly Dictionary<string, string> s_text = new()
    {
        ["dt"] = "2026-01-02T03:04:05.0000000+01:00",
        ["d"] = "2020-01-02",
        ["t"] = "03:04:05.5000000",
        ["u"] = "0f8fad5b-d9cb-469f-a165-70867728950e",
        ["uri"] = "https://example.com/a?b=c",
        ["b"] = "+/8=",
        ["m"] = "12345678901234567.89",
        ["f"] = "1.5",
        ["i8"] = "-5",
        ["i16"] = "-300",
        ["u8"] = "250",
        ["u16"] = "65000",
        ["u32"] = "4000000000",
        ["u64"] = "18446744073709551615",
        ["i32"] = "7",
        ["i64"] = "-9000000000",
        ["dbl"] = "0.1",
        ["flag"] = "true",
        ["s"] = "a b/c",
    };

    public static TheoryData<string> Scalars() => new(s_text.Keys);

    private static readonly DateTimeOffset s_dt = new(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1));
    private static readonly DateOnly s_d = new(2020, 1, 2);
    private static readonly TimeOnly s_t = new(3, 4, 5, 500);
    private static readonly Guid s_u = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly Uri s_uri = new("https://example.com/a?b=c");
    private static readonly byte[] s_b = [0xFB, 0xFF];

    private static async Task<(HttpRequestMessage Request, byte[] Body)> Call(Func<FormatsClient, Task> call)
    {
        var handler = new CapturingHandler();
        using var client = new FormatsClient(InMemoryTransport.Over(handler, "https://formats.example/"));
        await call(client);
        return handler.Single();
    }

    [Theory]
    [MemberData(nameof(Scalars))]
    public async Task Path_IsTheTextAsOneEscapedSegment(string scalar)
    {
        var (request, _) = await Call(c => c.PathScalarsAsync(s_dt, s_d, s_t, s_u, s_uri, s_b, 12345678901234567.89m, 1.5f, -5, -300, 250, 65000, 4000000000, ulong.MaxValue, 7, -9000000000, 0.1, true, "a b/c"));

        string[] segments = request.RequestUri!.OriginalString.Substring("https://formats.example/path/".Length).Split('/');
        Assert.Equal(s_text.Count, segments.Length);
        Assert.Equal(Uri.EscapeDataString(s_text[scalar]), segments[s_text.Keys.ToList().IndexOf(scalar)]);
    }

    [Theory]
    [MemberData(nameof(Scalars))]
    public async Task Query_IsTheTextEscaped(string scalar)
    {
        var (request, _) = await Call(c => c.QueryScalarsAsync(s_dt, s_d, s_t, s_u, s_uri, s_b, 12345678901234567.89m, 1.5f, -5, -300, 250, 65000, 4000000000, ulong.MaxValue, 7, -9000000000, 0.1, true, "a b/c"));

        string query = request.RequestUri!.OriginalString.Split('?', 2)[1];
        Assert.Contains(scalar + "=" + Uri.EscapeDataString(s_text[scalar]), query.Split('&'));
    }

    [Theory]
    [MemberData(nameof(Scalars))]
    public async Task Header_IsTheText(string scalar)
    {
        var (request, _) = await Call(c => c.HeaderScalarsAsync(s_dt, s_d, s_t, s_u, s_uri, s_b, 12345678901234567.89m, 1.5f, -5, -300, 250, 65000, 4000000000, ulong.MaxValue, 7, -9000000000, 0.1, true, "a b/c"));

        Assert.Equal(s_text[scalar], Assert.Single(request.Headers.GetValues("x-" + scalar)));
    }

    [Theory]
    [MemberData(nameof(Scalars))]
    public async Task Cookie_IsTheTextEscaped(string scalar)
    {
        var (request, _) = await Call(c => c.CookieScalarsAsync(s_dt, s_d, s_t, s_u, s_uri, s_b, 12345678901234567.89m, 1.5f, -5, -300, 250, 65000, 4000000000, ulong.MaxValue, 7, -9000000000, 0.1, true, "a b/c"));

        string cookie = Assert.Single(request.Headers.GetValues("Cookie"));
        Assert.Contains(scalar + "=" + Uri.EscapeDataString(s_text[scalar]), cookie.Split("; "));
    }

    [Theory]
    [MemberData(nameof(Scalars))]
    public async Task FormField_IsTheText(string scalar)
    {
        var (_, body) = await Call(c => c.FormScalarsAsync(s_dt, s_d, s_t, s_u, s_uri, s_b, 12345678901234567.89m, 1.5f, -5, -300, 250, 65000, 4000000000, ulong.MaxValue, 7, -9000000000, 0.1, true, "a b/c"));

        Dictionary<string, string> fields = Encoding.ASCII.GetString(body).Split('&')
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
        Assert.Equal(s_text[scalar], fields[scalar]);
    }

    // A union holding each scalar (AnyScalar has one case per scalar above), by the wire name Call uses.
    private static readonly Dictionary<string, AnyScalar> s_union = new()
    {
        ["dt"] = new(s_dt),
        ["d"] = new(s_d),
        ["t"] = new(s_t),
        ["u"] = new(s_u),
        ["uri"] = new(s_uri),
        ["b"] = new(s_b),
        ["m"] = new(12345678901234567.89m),
        ["f"] = new(1.5f),
        ["i8"] = new((sbyte)-5),
        ["i16"] = new((short)-300),
        ["u8"] = new((byte)250),
        ["u16"] = new((ushort)65000),
        ["u32"] = new(4000000000u),
        ["u64"] = new(ulong.MaxValue),
        ["i32"] = new(7),
        ["i64"] = new(-9000000000L),
        ["dbl"] = new(0.1),
        ["flag"] = new(true),
        ["s"] = new("a b/c"),
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void UnionText_IsTheText(string scalar)
    {
        Assert.Equal(s_text[scalar], s_union[scalar].ToString());
    }
}
