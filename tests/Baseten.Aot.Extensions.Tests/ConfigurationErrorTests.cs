using System;
using System.Collections.Generic;
using Microsoft.Extensions.DependencyInjection;

namespace Baseten.Aot.Extensions.Tests;

// A mistake in configuration is an InvalidOperationException when the client is resolved, naming
// the client, the section and the value at fault, and never quoting a key.
public sealed class ConfigurationErrorTests
{
    [Theory]
    [InlineData("Baseten:Retry:MaxDelay", "soon", "'Baseten:Retry:MaxDelay'")]
    [InlineData("Baseten:Retry:MaxAttempts", "0", "'Baseten:Retry:MaxAttempts' must be 1 or more")]
    [InlineData("Baseten:Retry:MaxAttempts", "three", "'Baseten:Retry:MaxAttempts'")]
    [InlineData("Baseten:Retry:BaseDelay", "-00:00:01", "'Baseten:Retry:BaseDelay' must not be negative")]
    [InlineData("Baseten:Retry:AttemptTimeout", "00:00:00", "'Baseten:Retry:AttemptTimeout' must be positive")]
    [InlineData("Baseten:Retry:Attempts", "3", "'Baseten:Retry:Attempts' is not a retry setting")]
    [InlineData("Baseten:Retry", "none", "'Baseten:Retry' is a section")]
    [InlineData("Baseten:BaseUrl", "https://staging.example.com", "'Baseten:BaseUrl' is not a setting")]
    [InlineData("Baseten:BaseAddress", "api.baseten.co", "'Baseten:BaseAddress' must be an absolute https URL")]
    [InlineData("Baseten:BaseAddress", "http://api.example.com", "must use https")]
    [InlineData("Baseten:ApiKey", "bad\nkey", "The credential contains white space")]
    public void BadValue_IsAnErrorAtResolution_NamingTheSection(string key, string value, string expected)
    {
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "valid-key", [key] = value },
            services => services.AddBasetenClient());

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<BasetenClient>());

        Assert.StartsWith("Cannot create BasetenClient (configuration section 'Baseten'): ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Baseten:Retry:BaseDelay", "'Baseten:Retry:BaseDelay' does not convert to a time span (hh:mm:ss)")]
    [InlineData("Baseten:Retry:MaxAttempts", "'Baseten:Retry:MaxAttempts' does not convert to a whole number")]
    [InlineData("Baseten:WakeOnColdStart", "'Baseten:WakeOnColdStart' does not convert to true or false")]
    public void AKeyPastedIntoTheWrongSetting_IsNamed_ButNeverShown(string key, string expected)
    {
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "valid-key", ["Baseten:ModelId"] = "m", [key] = "sk-secret-value" },
            services => services.AddBasetenInferenceClient());

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<BasetenInferenceClient>());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret-value", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MisspeltApiKey_IsNamed_ButItsValueNeverShown()
    {
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "valid-key", ["Baseten:Api_Key"] = "sk-secret-value" },
            services => services.AddBasetenClient());

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<BasetenClient>());

        Assert.Contains("'Baseten:Api_Key' is not a setting", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret-value", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void InferenceClient_WithBothAModelAndAChain_IsAnError()
    {
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Models:X:ApiKey"] = "k", ["Models:X:ModelId"] = "m", ["Models:X:ChainId"] = "c" },
            services => services.AddKeyedBasetenInferenceClient("x", "Models:X"));

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<BasetenInferenceClient>("x"));

        Assert.StartsWith("Cannot create BasetenInferenceClient 'x' (configuration section 'Models:X'): ", error.Message, StringComparison.Ordinal);
        Assert.Contains("not both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InferenceClient_WithNothingToCall_IsAnError()
    {
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "k" },
            services => services.AddBasetenInferenceClient());

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<BasetenInferenceClient>());

        Assert.Contains("Set ModelId or ChainId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SectionsNestedInTheBasetenSection_AreNotTakenForMisspellings()
    {
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?>
            {
                ["Baseten:ApiKey"] = "k",
                ["Baseten:ModelId"] = "shared-with-the-inference-client",
                ["Baseten:Models:Summarizer:ModelId"] = "m",
            },
            services => services.AddBasetenClient());

        Assert.NotNull(provider.GetRequiredService<BasetenClient>());
    }

    [Fact]
    public void GeneratedClient_WithoutACredential_IsAnErrorNamingTheSection()
    {
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?>(),
            services => services.AddApiClient("Pets", static (http, options) => new Pets.PetsClient(http, options)));

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<Pets.PetsClient>());

        Assert.StartsWith("Cannot create PetsClient (configuration section 'Pets'): No credential", error.Message, StringComparison.Ordinal);
        Assert.Contains("BASETEN_DI_TESTS_PETS_KEY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_WithoutASection_Throws()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.AddBasetenClient(" "));
        Assert.Throws<ArgumentException>(() => services.AddKeyedBasetenInferenceClient("", "Baseten"));
    }
}
