using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using Peers.NSwag;

namespace Peers;

// nswag-app <BASE_URL> <CHAIN_ID> <SCHEME>: the seed call (POST /v1/chains/{chain_id}/environments)
// through the client NSwag generates from the seed or the live document, with System.Text.Json as
// its JSON library. Prints the name of the environment the server answered with.
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length != 3)
        {
            await Console.Error.WriteLineAsync("usage: nswag-app <BASE_URL> <CHAIN_ID> <Api-Key|Bearer>");
            return 2;
        }

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(args[2], System.Environment.GetEnvironmentVariable("BASETEN_API_KEY") ?? "unset");
        var client = new NSwagClient(http) { BaseUrl = args[0] };

        // NSwag 14.7 turns each anyOf [X, null] into an empty class named after the property
        // (Promotion_settings, Chainlet_settings, Min_replica): nothing typed can be set in them, so
        // the members go as extension data, and the list as a property of the request's own.
        var request = new CreateChainEnvironmentRequestV1
        {
            Name = "staging",
            Promotion_settings = new() { AdditionalProperties = { ["ramp_up_duration_seconds"] = Json("600") } },
        };
        request.AdditionalProperties["chainlet_settings"] = Json("""
            [{"chainlet_name": "HelloWorld", "instance_type_id": "2x8", "autoscaling_settings": {"min_replica": 2, "max_replica": 3}}]
            """);

#if PEERS_LIVE
        ChainEnvironmentV1 environment = await client.EnvironmentsPOST2Async(request, args[1]);
#else
        ChainEnvironmentV1 environment = await client.EnvironmentsAsync(request, args[1]);
#endif
        Console.WriteLine(environment.Name);
        return 0;
    }

    private static JsonElement Json(string text)
    {
        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
