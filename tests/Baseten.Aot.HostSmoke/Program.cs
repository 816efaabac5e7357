using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using Baseten.Aot;
using Baseten.Aot.Extensions.Tests;
using Baseten.Aot.HostSmoke.Pets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Baseten.Aot.HostSmoke;

// The dependency-injection package as an application uses it, under NativeAOT: a generic host,
// options from appsettings.json, in-memory configuration and BASETEN_API_KEY, IHttpClientFactory,
// a standard resilience handler, and real HTTP to a loopback stand-in for Baseten and for a
// second API. Prints one line per check and exits 1 if any fails.
internal static class Program
{
    private const string ChainEnvironmentJson = """
        {"name":"staging","created_at":"2026-08-22T10:15:30+00:00","chain_id":"abc",
         "promotion_settings":{"promotion_cleanup_strategy":"KEEP"},"chainlet_settings":[],"current_deployment":null}
        """;

    private static readonly ConcurrentDictionary<string, int> s_attempts = new();
    private static LoopbackHttpServer? s_standIn;
    private static int s_failures;

    private static async Task<int> Main(string[] args)
    {
        await using var standIn = new LoopbackHttpServer(Answer);
        s_standIn = standIn;
        string origin = standIn.BaseAddress.AbsoluteUri.TrimEnd('/');

        // The inference clients' key, as a deployment would provide it.
        Environment.SetEnvironmentVariable(BasetenClientOptions.ApiKeyEnvironmentVariable, "environment-key");

        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Baseten:BaseAddress"] = origin + "/management",
            ["Baseten:Models:Summarizer:BaseAddress"] = origin + "/summarizer",
            ["Baseten:Redirected:ApiKey"] = "redirected-key",
            ["Baseten:Redirected:BaseAddress"] = origin + "/redirect",
            ["Pets:BaseAddress"] = origin + "/pets",
        });
        builder.Services.AddBasetenClient();
        builder.Services.AddKeyedBasetenClient("redirected", "Baseten:Redirected");
        builder.Services.AddKeyedBasetenClient("broken", "Baseten:Broken");
        builder.Services.AddKeyedBasetenInferenceClient("summarizer", "Baseten:Models:Summarizer")
            .AddStandardResilienceHandler(options => options.Retry.Delay = TimeSpan.Zero);
        builder.Services.AddKeyedBasetenInferenceClient("careless", "Baseten:Models:Careless").AddStandardResilienceHandler();
        builder.Services.AddApiClient("Pets", static (http, options) => new PetsClient(http, options));

        using IHost host = builder.Build();
        await host.StartAsync();
        using (IServiceScope scope = host.Services.CreateScope())
        {
            IServiceProvider services = scope.ServiceProvider;

            // appsettings.json's key and Retry:MaxAttempts = 2: a 429, then the answer.
            ChainEnvironmentV1 environment = await services.GetRequiredService<BasetenClient>()
                .CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "staging" });
            Check("management client: configured key and address, retried once", environment.Name == "staging"
                && Sent("/management/v1/chains/abc/environments").Select(request => request.Headers["Authorization"]).SequenceEqual(["Api-Key management-key", "Api-Key management-key"]));

            // The key from BASETEN_API_KEY, the client's retries off, the resilience handler's on: a 503, then the answer.
            JsonElement summary = await services.GetRequiredKeyedService<BasetenInferenceClient>("summarizer")
                .PredictAsync(JsonDocument.Parse("""{"text":"long"}""").RootElement);
            Check("inference client: key from the environment, the resilience handler repeats", summary.GetProperty("summary").GetString() == "short"
                && Sent("/summarizer/production/predict").Select(request => request.Headers["Authorization"]).SequenceEqual(["Bearer environment-key", "Bearer environment-key"]));

            Pet pet = await services.GetRequiredService<PetsClient>().GetPetAsync(7);
            Check("generated client: credential in its own header", pet.Name == "Rex" && Sent("/pets/pets/7").Single().Headers["X-Pets-Key"] == "pets-key");

            BasetenApiException? redirect = await FailureAsync<BasetenApiException>(() => services.GetRequiredKeyedService<BasetenClient>("redirected")
                .CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "staging" }));
            Check("a redirect is an error, never followed", redirect?.StatusCode == HttpStatusCode.TemporaryRedirect && Sent("/elsewhere").Length == 0);

            InvalidOperationException? both = Failure<InvalidOperationException>(() => services.GetRequiredKeyedService<BasetenInferenceClient>("careless"));
            Check("client retries beside a resilience handler are refused", both?.Message.Contains("Microsoft.Extensions.Http.Resilience.ResilienceHandler", StringComparison.Ordinal) == true);

            InvalidOperationException? misspelt = Failure<InvalidOperationException>(() => services.GetRequiredKeyedService<BasetenClient>("broken"));
            Check("a misspelt setting is an error naming it", misspelt?.Message.Contains("'Baseten:Broken:BaseUrl' is not a setting", StringComparison.Ordinal) == true);
        }

        await host.StopAsync();
        Console.WriteLine(s_failures == 0 ? "host-smoke: ok" : "host-smoke: FAILED (" + s_failures + ")");
        return s_failures == 0 ? 0 : 1;
    }

    private static LoopbackResponse Answer(LoopbackRequest request)
    {
        int attempt = s_attempts.AddOrUpdate(request.Target, 1, static (_, count) => count + 1);
        return request.Target switch
        {
            "/management/v1/chains/abc/environments" when attempt == 1 => new LoopbackResponse(429, """{"error":"slow down"}"""),
            "/management/v1/chains/abc/environments" => new LoopbackResponse(200, ChainEnvironmentJson),
            "/summarizer/production/predict" when attempt == 1 => new LoopbackResponse(503, """{"error":"busy"}"""),
            "/summarizer/production/predict" => new LoopbackResponse(200, """{"summary":"short"}"""),
            "/pets/pets/7" => new LoopbackResponse(200, """{"id":7,"name":"Rex"}"""),
            "/redirect/v1/chains/abc/environments" => new LoopbackResponse(307, Headers: new Dictionary<string, string> { ["Location"] = "/elsewhere" }),
            _ => new LoopbackResponse(404, """{"error":"not here"}"""),
        };
    }

    private static LoopbackRequest[] Sent(string target) => s_standIn!.Requests.Where(request => request.Target == target).ToArray();

    private static void Check(string what, bool ok)
    {
        Console.WriteLine((ok ? "ok      " : "FAILED  ") + what);
        if (!ok)
        {
            s_failures++;
        }
    }

    private static T? Failure<T>(Action action)
        where T : Exception
    {
        try
        {
            action();
            return null;
        }
        catch (T exception)
        {
            return exception;
        }
    }

    private static async Task<T?> FailureAsync<T>(Func<Task> action)
        where T : Exception
    {
        try
        {
            await action();
            return null;
        }
        catch (T exception)
        {
            return exception;
        }
    }
}
