using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Peers.Kiota;
using Peers.Kiota.Models;

namespace Peers;

// kiota-app <BASE_URL> <CHAIN_ID> <SCHEME>: the seed call (POST /v1/chains/{chain_id}/environments)
// through the client Kiota generates from the seed or the live document (the same source compiles
// against both), over the HttpClient Kiota builds by default (its retry, redirect and other
// handlers), as a Kiota user starts. Prints the name of the environment the server answered with.
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length != 3)
        {
            await Console.Error.WriteLineAsync("usage: kiota-app <BASE_URL> <CHAIN_ID> <Api-Key|Bearer>");
            return 2;
        }

        string authorization = args[2] + " " + (Environment.GetEnvironmentVariable("BASETEN_API_KEY") ?? "unset");
        using var adapter = new HttpClientRequestAdapter(new AuthorizationHeader(authorization)) { BaseUrl = args[0].TrimEnd('/') };
        var client = new KiotaClient(adapter);

        var request = new CreateChainEnvironmentRequestV1
        {
            Name = "staging",
            // anyOf [integer, null] is a wrapper holding one member per alternative.
            PromotionSettings = new UpdatePromotionSettingsV1 { RampUpDurationSeconds = new() { Integer = 600 } },
            ChainletSettings =
            [
                // Kiota 1.38 emits ChainletEnvironmentSettingsRequestV1 (properties without
                // "type": "object") with no properties: its members go as untyped additional data.
                new ChainletEnvironmentSettingsRequestV1
                {
                    AdditionalData = new Dictionary<string, object>
                    {
                        ["chainlet_name"] = "HelloWorld",
                        ["instance_type_id"] = "2x8",
                        ["autoscaling_settings"] = new UntypedObject(new Dictionary<string, UntypedNode>
                        {
                            ["min_replica"] = new UntypedInteger(2),
                            ["max_replica"] = new UntypedInteger(3),
                        }),
                    },
                },
            ],
        };

        ChainEnvironmentV1? environment = await client.V1.Chains[args[1]].Environments.PostAsync(request);
        Console.WriteLine(environment?.Name ?? "(no answer)");
        return 0;
    }

    // Kiota's ApiKeyAuthenticationProvider("Api-Key <key>", "Authorization", Header) sends the same
    // header but refuses any URL that is not https ("Only https is supported"), and the stand-in
    // server is plain http on loopback: a provider of the app's own, as Kiota users write for tests.
    private sealed class AuthorizationHeader(string value) : IAuthenticationProvider
    {
        public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
        {
            request.Headers.TryAdd("Authorization", value);
            return Task.CompletedTask;
        }
    }
}
