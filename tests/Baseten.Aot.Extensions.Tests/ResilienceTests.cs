using System;
using System.Collections.Generic;
using System.Net;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Baseten.Aot.Extensions.Tests;

// With Microsoft.Extensions.Http.Resilience, exactly one layer retries: a client that retries
// refuses to be created beside a resilience handler until one of the two is turned off.
public sealed class ResilienceTests
{
    [Fact]
    public void StandardResilienceHandler_BesideTheClientsOwnRetries_IsAnErrorThatSaysWhatToTurnOff()
    {
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "k" },
            services => services.AddBasetenClient().AddStandardResilienceHandler());

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<BasetenClient>());

        Assert.Contains("BasetenClient retries (up to 3 attempts)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.Extensions.Http.Resilience.ResilienceHandler", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Baseten:Retry:MaxAttempts' = 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResilienceHandlerForEveryHttpClient_AsServiceDefaultsAddIt_IsFoundToo()
    {
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "k", ["Baseten:ModelId"] = "m" },
            services =>
            {
                services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
                services.AddBasetenInferenceClient();
            });

        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<BasetenInferenceClient>());
    }

    [Fact]
    public async Task ClientRetriesOffInConfiguration_TheResilienceHandlerAloneRepeats()
    {
        var handler = new RecordingHandler((_, attempt) => attempt == 1
            ? RecordingHandler.Json(HttpStatusCode.ServiceUnavailable, """{"error":"busy"}""")
            : RecordingHandler.Json(HttpStatusCode.OK, TestHost.ChainEnvironmentJson));
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "k", ["Baseten:Retry:MaxAttempts"] = "1" },
            services => services.AddBasetenClient()
                .ConfigurePrimaryHttpMessageHandler(() => handler)
                .AddStandardResilienceHandler(options => options.Retry.Delay = TimeSpan.Zero));

        ChainEnvironmentV1 environment = await TestHost.CreateEnvironmentAsync(provider.GetRequiredService<BasetenClient>());

        Assert.Equal("staging", environment.Name);
        Assert.Equal(2, handler.Sent.Count);
    }

    [Fact]
    public void ClientRetriesOffInCode_Resolves()
    {
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "k" },
            services => services.AddBasetenClient(configure: options => options.Retry = RetryPolicy.None).AddStandardResilienceHandler());

        Assert.NotNull(provider.GetRequiredService<BasetenClient>());
    }

    [Fact]
    public async Task KeepClientRetries_BesideAHandlerThatDoesNotRetry_LeavesTheClientRepeating()
    {
        var handler = new RecordingHandler((_, attempt) => attempt == 1
            ? RecordingHandler.Json(HttpStatusCode.TooManyRequests, "{}")
            : RecordingHandler.Json(HttpStatusCode.OK, TestHost.ChainEnvironmentJson));
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "k", ["Baseten:Retry:BaseDelay"] = "00:00:00" },
            services => services.AddBasetenClient()
                .ConfigurePrimaryHttpMessageHandler(() => handler)
                .KeepClientRetries()
                .AddResilienceHandler("breaker", pipeline => pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions())));

        await TestHost.CreateEnvironmentAsync(provider.GetRequiredService<BasetenClient>());

        Assert.Equal(2, handler.Sent.Count);
    }

    [Fact]
    public void KeepClientRetries_OnAnotherHttpClient_Throws()
    {
        var services = new ServiceCollection();
        services.AddBasetenClient();

        Assert.Throws<InvalidOperationException>(() => services.AddHttpClient("mine").KeepClientRetries());
    }
}
