using System;
using System.Net.Http;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using SizeApp.Generated;

namespace SizeApp;

// size-seed|size-live <BASE_URL> [CHAIN_ID]: the one call both apps make, compiled against the
// client generated from the seed document (benchmarks/SizeSeed) or from Baseten's live management
// document (benchmarks/SizeLive). `Client` is the generated client, aliased by each project; every
// other name is a schema name the two documents share.
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length is < 1 or > 2)
        {
            await Console.Error.WriteLineAsync("usage: size-app <BASE_URL> [CHAIN_ID]");
            return 2;
        }

        var authorization = new ApiAuthorization("Bearer", Environment.GetEnvironmentVariable("BASETEN_API_KEY") ?? "unset");
        using var client = new Client(new ApiTransport(new HttpClient(), new Uri(args[0]), authorization, disposeHttpClient: true));
        ChainEnvironmentV1 environment = await client.CreateChainEnvironmentAsync(args.Length > 1 ? args[1] : "chain-id", new CreateChainEnvironmentRequestV1
        {
            Name = "staging",
            PromotionSettings = new UpdatePromotionSettingsV1 { RampUpDurationSeconds = 600 },
            ChainletSettings =
            [
                new ChainletEnvironmentSettingsRequestV1
                {
                    ChainletName = "HelloWorld",
                    InstanceTypeId = "2x8",
                    AutoscalingSettings = new UpdateAutoscalingSettingsV1 { MinReplica = 2, MaxReplica = 3 },
                },
            ],
        });
        Console.WriteLine(environment.Name);
        return 0;
    }
}
