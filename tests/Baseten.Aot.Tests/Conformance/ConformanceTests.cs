using System;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;

namespace Baseten.Aot.Tests;

/// <summary>
/// Every generated operation against Prism serving the spec with request validation: Prism answers
/// 422 to any request that breaks the spec (which the client turns into an exception), and every
/// response it generates must parse.
/// </summary>
public sealed class ConformanceTests(PrismFixture prism) : IClassFixture<PrismFixture>
{
    /// <summary>
    /// The operations this class calls; a new one in the spec fails <see cref="EveryOperationIsCovered"/> until it is called here.
    /// An overload of an operation (a body sent as UTF-8 bytes) is the same operation.
    /// </summary>
    private static readonly string[] s_covered = [nameof(BasetenClient.CreateChainEnvironmentAsync)];

    private static BasetenClient Client(Uri address) => new(new BasetenClientOptions { ApiKey = "conformance-key", BaseAddress = address });

    [Fact]
    public void EveryOperationIsCovered()
    {
        string[] operations = typeof(BasetenClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal))
            .Select(m => m.Name)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(s_covered.Order(StringComparer.Ordinal), operations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreateChainEnvironment_SeedExample_IsAcceptedAndTheResponseParses(bool dynamic)
    {
        using BasetenClient client = Client(dynamic ? prism.DynamicAddress : prism.StaticAddress);

        for (int i = 0; i < (dynamic ? 25 : 1); i++)
        {
            ChainEnvironmentV1 environment = await client.CreateChainEnvironmentAsync("chain/with spaces", ClientTests.SeedExampleRequest());

            Assert.NotNull(environment.Name);
            Assert.NotNull(environment.PromotionSettings);
            Assert.NotNull(environment.ChainletSettings);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreateChainEnvironment_MinimalRequest_IsAccepted(bool dynamic)
    {
        using BasetenClient client = Client(dynamic ? prism.DynamicAddress : prism.StaticAddress);

        ChainEnvironmentV1 environment = await client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "staging" });

        Assert.NotNull(environment.ChainId);
    }

    [Fact]
    public async Task InvalidRequest_IsRejectedByPrism_SoAcceptanceMeansSomething()
    {
        // A body Prism's validator must refuse (chainlet_name is required) proves validation is on.
        using BasetenClient client = Client(prism.StaticAddress);
        var request = new CreateChainEnvironmentRequestV1 { Name = "staging", ChainletSettings = [new ChainletEnvironmentSettingsRequestV1 { ChainletName = null! }] };

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => client.CreateChainEnvironmentAsync("abc", request));

        Assert.Equal(422, (int)exception.StatusCode);
    }
}
