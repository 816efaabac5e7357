using System;
using System.Linq;
using System.Threading.Tasks;

namespace Baseten.Aot.Tests;

/// <summary>Tests that set process environment variables run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    public const string Name = "Process environment";
}

/// <summary>Sets an environment variable for the life of a test, then restores it.</summary>
internal sealed class EnvironmentVariable : IDisposable
{
    private readonly string _name;
    private readonly string? _previous;

    public EnvironmentVariable(string name, string? value)
    {
        _name = name;
        _previous = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(_name, _previous);
}

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
