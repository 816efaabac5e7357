using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Baseten.Aot.Tests.Formats;
using Baseten.Aot.Tests.Inheritance;
using Baseten.Aot.Tests.ReadOnlyWriteOnly;

namespace Baseten.Aot.Tests;

/// <summary>One Prism server (static answers, request validation on) over one of the feature documents.</summary>
public abstract class FeaturePrismFixture(string folder, string document) : IAsyncLifetime
{
    private PrismServer? _server;

    public Uri Address => _server!.Address;

    public Task InitializeAsync()
    {
        _server = PrismServer.Start(Path.Combine(Repository.Root, "tests", "Baseten.Aot.Tests", folder, document), dynamic: false);
        return _server.WaitUntilListeningAsync(TimeSpan.FromSeconds(90));
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class AccountsPrismFixture() : FeaturePrismFixture("ReadOnlyWriteOnly", "accounts.openapi.yaml");

public sealed class FormatsPrismFixture() : FeaturePrismFixture("Formats", "formats.openapi.yaml");

public sealed class PetsPrismFixture() : FeaturePrismFixture("Inheritance", "pets.openapi.yaml");

/// <summary>
/// What the generated clients of the feature documents send, checked by a validator that is not
/// ours: Prism serving each document with request validation answers 422 to a request that breaks
/// it, which the client turns into an <see cref="ApiException"/>. Each class first shows that the
/// validator does refuse a wrong request, so that an accepted one means something.
/// </summary>
public sealed class ReadOnlyWriteOnlyConformanceTests(AccountsPrismFixture prism) : IClassFixture<AccountsPrismFixture>
{
    [Fact]
    public async Task AnAccountWithoutItsReadOnlyMembers_IsAccepted_AndTheyAreNeverSent()
    {
        var recorder = new RecordingHandler();
        using var client = new AccountsClient(new HttpClient(recorder), new ApiClientOptions { BaseAddress = prism.Address });

        Account created = await client.CreateAccountAsync(new Account { Name = "ada", Password = "s3cret" });

        Assert.NotNull(created.Id);
        using JsonDocument sent = JsonDocument.Parse(Assert.Single(recorder.Bodies));
        Assert.Equal(["name", "password"], Names(sent.RootElement));
    }

    [Fact]
    public async Task TheValidatorRefusesABodyWithoutTheRequiredWriteOnlyMember()
    {
        // Prism drops readOnly members from what a request requires, as the specification says, but
        // it does not refuse one that is sent: that half is proved by the test above, on our bytes.
        using var http = new HttpClient();
        using HttpResponseMessage response = await http.PostAsync(new Uri(prism.Address, "accounts"), new StringContent("""{"name":"ada"}""", Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.Contains("password", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static List<string> Names(JsonElement element)
    {
        var names = new List<string>();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            names.Add(property.Name);
        }

        return names;
    }
}

/// <summary>Every format in every location (path, query, header, cookie, form, JSON body) as the validator reads it.</summary>
public sealed class FormatsConformanceTests(FormatsPrismFixture prism) : IClassFixture<FormatsPrismFixture>
{
    private static readonly DateTimeOffset s_dt = new(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1));
    private static readonly DateOnly s_d = new(2020, 1, 2);
    private static readonly TimeOnly s_t = new(3, 4, 5, 500);
    private static readonly Guid s_u = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly Uri s_uri = new("https://example.com/a?b=c");
    private static readonly byte[] s_b = [0xFB, 0xFF];

    private FormatsClient Client() => new(new HttpClient(), new ApiClientOptions { BaseAddress = prism.Address });

    [Fact]
    public async Task TheValidatorRefusesADateThatIsNotOne()
    {
        using var http = new HttpClient();
        using HttpResponseMessage response = await http.GetAsync(new Uri(prism.Address, "visits/2026-01-02T03%3A04%3A05Z?day=02%2F01%2F2020"));

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
    }

    [Fact]
    public async Task EveryScalar_InEveryLocation_IsAccepted()
    {
        using FormatsClient client = Client();

        await client.PathScalarsAsync(s_dt, s_d, s_t, s_u, s_uri, s_b, 12345678901234567.89m, 1.5f, -5, -300, 250, 65000, 4000000000, ulong.MaxValue, 7, -9000000000, 0.1, true, "a b/c");
        await client.QueryScalarsAsync(s_dt, s_d, s_t, s_u, s_uri, s_b, 12345678901234567.89m, 1.5f, -5, -300, 250, 65000, 4000000000, ulong.MaxValue, 7, -9000000000, 0.1, true, "a b/c");
        await client.HeaderScalarsAsync(s_dt, s_d, s_t, s_u, s_uri, s_b, 12345678901234567.89m, 1.5f, -5, -300, 250, 65000, 4000000000, ulong.MaxValue, 7, -9000000000, 0.1, true, "a b/c");
        await client.CookieScalarsAsync(s_dt, s_d, s_t, s_u, s_uri, s_b, 12345678901234567.89m, 1.5f, -5, -300, 250, 65000, 4000000000, ulong.MaxValue, 7, -9000000000, 0.1, true, "a b/c");
        await client.FormScalarsAsync(s_dt, s_d, s_t, s_u, s_uri, s_b, 12345678901234567.89m, 1.5f, -5, -300, 250, 65000, 4000000000, ulong.MaxValue, 7, -9000000000, 0.1, true, "a b/c");
    }

    [Fact]
    public async Task AVisitWithEveryFormat_IsAcceptedAsABody_AndTheAnswerIsRead()
    {
        using FormatsClient client = Client();
        var visit = new Visit
        {
            Day = s_d,
            Time = s_t,
            Id = s_u,
            Site = s_uri,
            Photo = s_b,
            Amount = 12345678901234567.89m,
            Ratio = 1.5f,
            Tiny = -5,
            Small = -300,
            Octet = 250,
            Port = 65000,
            Count = 4000000000,
            Big = ulong.MaxValue,
            Days = [s_d],
        };

        // The body passes the validator (no 422), and the answer, Prism's example built from the
        // schema, is read up to its 'photo': "string" is not base64 (Prism's example generator does not
        // follow format: byte), so that member, and only it, is refused by name. Its 'time' is
        // "14:15:22Z", the RFC 3339 form with an offset, which is read.
        ApiException error = await Assert.ThrowsAsync<ApiException>(() => client.PutVisitAsync(s_dt, visit));

        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        JsonException invalid = Assert.IsType<JsonException>(error.InnerException);
        Assert.Contains("'photo' of Visit", invalid.Message, StringComparison.Ordinal);
    }
}

/// <summary>
/// A variant of a base schema's discriminator, sent as the variant with its tag set by itself. Only
/// /pets is checked: Prism validates a oneOf without its discriminator, and neither Cat nor Dog
/// closes its members, so any dog sent to /adoptions also matches Cat and Prism refuses it.
/// </summary>
public sealed class InheritanceConformanceTests(PetsPrismFixture prism) : IClassFixture<PetsPrismFixture>
{
    [Fact]
    public async Task TheValidatorRefusesAPetWithoutItsName()
    {
        using var http = new HttpClient();
        using HttpResponseMessage response = await http.PostAsync(new Uri(prism.Address, "pets"), new StringContent("""{"petType":"dog","barks":true}""", Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
    }

    [Fact]
    public async Task ACatAndADog_AreAcceptedAsPets_AndTheAnswerIsRead()
    {
        var recorder = new RecordingHandler();
        using var client = new PetsClient(new HttpClient(recorder), new ApiClientOptions { BaseAddress = prism.Address });

        Pet cat = await client.AddPetAsync(new Cat { Name = "tom", Purrs = true });
        await client.AddPetAsync(new Dog { Name = "rex", Barks = true, PackSize = 3 });

        Assert.NotNull(cat.Name);
        Assert.Contains("\"petType\":\"cat\"", recorder.Bodies[0], StringComparison.Ordinal);
        Assert.Contains("\"petType\":\"dog\"", recorder.Bodies[1], StringComparison.Ordinal);
    }
}

/// <summary>Keeps each request body as sent, then sends the request on.</summary>
internal sealed class RecordingHandler() : DelegatingHandler(new HttpClientHandler())
{
    public List<string> Bodies { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            Bodies.Add(await request.Content.ReadAsStringAsync(cancellationToken));
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
