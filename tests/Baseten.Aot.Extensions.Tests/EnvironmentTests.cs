using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace Baseten.Aot.Extensions.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    public const string Name = "Process environment";
}

// BASETEN_API_KEY is process-wide: these tests set it, so they run alone.
[Collection(ProcessEnvironment.Name)]
public sealed class EnvironmentTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NoKeyInConfiguration_TheEnvironmentVariableIsHonoured(bool emptyValue)
    {
        var handler = new RecordingHandler(TestHost.ChainEnvironmentJson);
        var configuration = new Dictionary<string, string?>();
        if (emptyValue)
        {
            configuration["Baseten:ApiKey"] = string.Empty;
        }

        using ServiceProvider provider = TestHost.Build(configuration, services => services.AddBasetenClient().ConfigurePrimaryHttpMessageHandler(() => handler));

        await WithApiKeyVariableAsync("env-key", () => TestHost.CreateEnvironmentAsync(provider.GetRequiredService<BasetenClient>()));

        Assert.Equal("Api-Key env-key", Assert.Single(handler.Sent).Authorization);
    }

    [Fact]
    public async Task ConfiguredKey_WinsOverTheEnvironmentVariable()
    {
        var handler = new RecordingHandler("{}");
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "configured-key", ["Baseten:ModelId"] = "m" },
            services => services.AddBasetenInferenceClient().ConfigurePrimaryHttpMessageHandler(() => handler));

        await WithApiKeyVariableAsync("env-key", () => provider.GetRequiredService<BasetenInferenceClient>().WakeAsync());

        Assert.Equal("Bearer configured-key", Assert.Single(handler.Sent).Authorization);
    }

    [Fact]
    public async Task NoKeyAnywhere_IsAnErrorAtResolution_SayingWhereAKeyGoes()
    {
        using ServiceProvider provider = TestHost.Build(new Dictionary<string, string?>(), services => services.AddBasetenClient());

        var error = await WithApiKeyVariableAsync(null, () => Task.FromResult(Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<BasetenClient>())));

        Assert.Equal(
            "Cannot create BasetenClient (configuration section 'Baseten'): no API key: set 'Baseten:ApiKey' in configuration, the BASETEN_API_KEY environment variable, or ApiKey in code.",
            error.Message);
    }

    private static async Task<T> WithApiKeyVariableAsync<T>(string? value, Func<Task<T>> action)
    {
        string? saved = Environment.GetEnvironmentVariable(BasetenClientOptions.ApiKeyEnvironmentVariable);
        Environment.SetEnvironmentVariable(BasetenClientOptions.ApiKeyEnvironmentVariable, value);
        try
        {
            return await action();
        }
        finally
        {
            Environment.SetEnvironmentVariable(BasetenClientOptions.ApiKeyEnvironmentVariable, saved);
        }
    }

    private static Task<bool> WithApiKeyVariableAsync(string? value, Func<Task> action)
        => WithApiKeyVariableAsync(value, async () =>
        {
            await action();
            return true;
        });
}
