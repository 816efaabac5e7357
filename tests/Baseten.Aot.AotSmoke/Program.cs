using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot;

namespace Baseten.Aot.AotSmoke;

// Calls the generated client through a canned handler (no network), then prints what it parsed.
// Exits 0 and prints "aot-smoke: ok" only if the request and the response are as expected.
internal static class Program
{
    private static async Task<int> Main()
    {
        using var http = new HttpClient(new CannedHandler());
        using var client = new BasetenClient(http, new BasetenClientOptions { ApiKey = "smoke-key", BaseAddress = new Uri("https://api.baseten.co") });
        ChainEnvironmentV1 environment = await client.CreateChainEnvironmentAsync("abc/def", new CreateChainEnvironmentRequestV1
        {
            Name = "staging",
            PromotionSettings = new UpdatePromotionSettingsV1 { RampUpDurationSeconds = 600, RollingDeploy = null },
        });

        string json = JsonSerializer.Serialize(environment, BasetenJsonContext.Default.ChainEnvironmentV1);
        bool ok = environment.CurrentDeployment?.Status.Value == "HIBERNATING"
            && json.Contains("\"status\":\"HIBERNATING\"", StringComparison.Ordinal)
            && environment.PromotionSettings.PromotionCleanupStrategy == PromotionCleanupStrategyV1.Keep;
        Console.WriteLine(ok ? "aot-smoke: ok " + json : "aot-smoke: FAILED " + json);
        return ok ? 0 : 1;
    }

    private sealed class CannedHandler : HttpMessageHandler
    {
        private const string Expected = """{"name":"staging","promotion_settings":{"rolling_deploy":null,"ramp_up_duration_seconds":600}}""";

        private const string Response = """
            {"name":"staging","created_at":"2026-08-22T10:15:30+00:00","chain_id":"abc","extra":1,
             "promotion_settings":{"promotion_cleanup_strategy":"KEEP"},
             "chainlet_settings":[],
             "current_deployment":{"id":"d","created_at":"2026-08-22T10:00:00Z","chain_id":"abc","environment":null,"chainlets":[],"status":"HIBERNATING"}}
            """;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = await request.Content!.ReadAsStringAsync(cancellationToken);
            bool expected = request.RequestUri!.AbsolutePath == "/v1/chains/abc%2Fdef/environments"
                && request.Headers.Authorization?.ToString() == "Api-Key smoke-key"
                && body == Expected;
            return new HttpResponseMessage(expected ? HttpStatusCode.OK : HttpStatusCode.BadRequest)
            {
                Content = new StringContent(expected ? Response : """{"error": "unexpected request: """ + body.Replace("\"", "'", StringComparison.Ordinal) + "\"}", Encoding.UTF8, "application/json"),
            };
        }
    }
}
