using System;
using System.Linq;
using System.Threading.Tasks;

namespace Baseten.Aot.Tests;

/// <summary>The key comes from BASETEN_API_KEY when the options give none.</summary>
[Collection(ProcessEnvironment.Name)]
public sealed class ApiKeyEnvironmentTests
{
    [Fact]
    public async Task ApiKey_DefaultsToTheEnvironmentVariable()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync();
        server.RespondJson(200, SeedData.ResponseExample);
        using var key = new EnvironmentVariable("BASETEN_API_KEY", "from-the-environment");
        using var client = new BasetenClient(new BasetenClientOptions { BaseAddress = server.BaseAddress });

        await client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "x" });

        Assert.Equal("Api-Key from-the-environment", server.Requests.Single().Headers["Authorization"]);
    }

    [Fact]
    public void NoKeyAnywhere_IsAClearArgumentException()
    {
        using var key = new EnvironmentVariable("BASETEN_API_KEY", null);
        ArgumentException exception = Assert.Throws<ArgumentException>(() => new BasetenClient());
        Assert.Contains("BASETEN_API_KEY", exception.Message, StringComparison.Ordinal);
    }
}
