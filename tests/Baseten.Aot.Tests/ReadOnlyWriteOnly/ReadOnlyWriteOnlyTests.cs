using System;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Baseten.Aot.Tests.ReadOnlyWriteOnly;

namespace Baseten.Aot.Tests;

/// <summary>
/// ReadOnlyWriteOnly/accounts.openapi.yaml through the generated client over an in-memory handler: a
/// new account is sent without the members the server sets (the caller need not set them, and setting
/// them sends nothing), and a response without the writeOnly password is read; the readOnly id is
/// still required in a response. The same holds through property metadata (a resolver with a modifier).
/// </summary>
public sealed class ReadOnlyWriteOnlyTests
{
    private const string Created = """{"id":"a1","created":"2026-01-02T03:04:05+00:00","revision":3,"name":"ann"}""";

    private static AccountsClient Client(CapturingHandler handler) => new(InMemoryTransport.Over(handler, "https://accounts.example/"));

    [Fact]
    public async Task NewObject_NeedsNoReadOnlyMember_AndTheRequestCarriesNone_WhileTheResponseWithoutPasswordIsRead()
    {
        var handler = new CapturingHandler(HttpStatusCode.Created, Created);
        using AccountsClient client = Client(handler);

        // Compiles without Id, Created and Revision: they are not C# required members.
        Account created = await client.CreateAccountAsync(new Account { Name = "ann", Password = "s3cret" });

        Assert.Equal("""{"name":"ann","password":"s3cret"}""", Encoding.UTF8.GetString(handler.Single().Body));
        Assert.Equal(("a1", 3L, "ann"), (created.Id, created.Revision, created.Name));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), created.Created);
        Assert.Null(created.Password);
    }

    [Fact]
    public async Task ReadOnlyMembers_SetByTheCaller_AreNeverSent()
    {
        var handler = new CapturingHandler(HttpStatusCode.Created, Created);
        using AccountsClient client = Client(handler);
        Account echoed = JsonSerializer.Deserialize(Created, AccountsJsonContext.Default.Account)!;
        echoed.Password = "s3cret";

        await client.CreateAccountAsync(echoed);

        Assert.Equal("""{"name":"ann","password":"s3cret"}""", Encoding.UTF8.GetString(handler.Single().Body));
    }

    [Fact]
    public void ResponseWithoutTheReadOnlyId_IsStillRefused()
    {
        JsonException error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"created":"2026-01-02T03:04:05+00:00","revision":3,"name":"ann"}""", AccountsJsonContext.Default.Account));

        Assert.Contains("'id'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThroughPropertyMetadata_TheSameRulesHold()
    {
        var info = PropertyMetadata.TypeInfo<Account>(AccountsJsonContext.Default);

        Account read = JsonSerializer.Deserialize(Created, info)!;
        read.Password = "s3cret";

        Assert.Null(JsonSerializer.Deserialize(Created, info)!.Password);
        Assert.Equal("""{"name":"ann","password":"s3cret"}""", JsonSerializer.Serialize(read, info));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"name":"ann"}""", info));
    }
}
