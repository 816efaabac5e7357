using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Published = Baseten.Aot.Tests.PublishedInference;

namespace Baseten.Aot.Tests;

/// <summary>Prism over the project's inference document, spec/baseten.inference.openapi.yaml.</summary>
public sealed class InferencePrismFixture() : PrismFixture(Path.Combine(Repository.Root, "spec", "baseten.inference.openapi.yaml"));

/// <summary>Prism over Baseten's own inference document, read in place from ../shared (never copied).</summary>
public sealed class PublishedInferencePrismFixture() : PrismFixture(PublishedDocument)
{
    public static string PublishedDocument { get; } = Path.GetFullPath(Path.Combine(Repository.Root, "..", "shared", "baseten", "inference.openapi.json"));
}

/// <summary>
/// Every operation of the project's inference document, through the generated methods and through
/// the hand-written ones, against Prism with request validation (a request that breaks the
/// document is answered 422, or 401 without the Bearer key, and thrown), static and <c>--dynamic</c>.
/// </summary>
public sealed class InferenceConformanceTests(InferencePrismFixture prism) : IClassFixture<InferencePrismFixture>
{
    internal const string Key = "conformance-key";

    private static readonly JsonElement s_input = JsonDocument.Parse("""{"prompt":"hello","max_tokens":8}""").RootElement;

    private static AsyncPredictRequest AsyncRequest() => new()
    {
        ModelInput = s_input,
        WebhookEndpoint = new Uri("https://example.com/hook"),
        Priority = 1,
        MaxTimeInQueueSeconds = 600,
        InferenceRetryConfig = new InferenceRetryConfig { MaxAttempts = 3, InitialDelayMs = 1000, MaxDelayMs = 5000 },
    };

    /// <summary>One call per operation of the document, by the generated method's name.</summary>
    private static readonly Dictionary<string, Func<BasetenInferenceClient, Task>> s_operations = new()
    {
        ["PredictProductionAsync"] = c => c.PredictProductionAsync(s_input),
        ["PredictDevelopmentAsync"] = c => c.PredictDevelopmentAsync(s_input),
        ["PredictEnvironmentAsync"] = c => c.PredictEnvironmentAsync("staging", s_input),
        ["PredictDeploymentAsync"] = c => c.PredictDeploymentAsync("dep1", s_input),
        ["PredictRegionalAsync"] = c => c.PredictRegionalAsync(s_input),
        ["RunRemoteProductionAsync"] = c => c.RunRemoteProductionAsync(s_input),
        ["RunRemoteDevelopmentAsync"] = c => c.RunRemoteDevelopmentAsync(s_input),
        ["RunRemoteEnvironmentAsync"] = c => c.RunRemoteEnvironmentAsync("staging", s_input),
        ["RunRemoteDeploymentAsync"] = c => c.RunRemoteDeploymentAsync("dep1", s_input),
        ["RunRemoteRegionalAsync"] = c => c.RunRemoteRegionalAsync(s_input),
        ["AsyncPredictProductionAsync"] = c => c.AsyncPredictProductionAsync(AsyncRequest()),
        ["AsyncPredictDevelopmentAsync"] = c => c.AsyncPredictDevelopmentAsync(AsyncRequest()),
        ["AsyncPredictEnvironmentAsync"] = c => c.AsyncPredictEnvironmentAsync("staging", AsyncRequest()),
        ["AsyncPredictDeploymentAsync"] = c => c.AsyncPredictDeploymentAsync("dep1", AsyncRequest()),
        ["AsyncPredictRegionalAsync"] = c => c.AsyncPredictRegionalAsync(AsyncRequest()),
        ["AsyncRunRemoteProductionAsync"] = c => c.AsyncRunRemoteProductionAsync(s_input),
        ["AsyncRunRemoteDevelopmentAsync"] = c => c.AsyncRunRemoteDevelopmentAsync(s_input),
        ["AsyncRunRemoteEnvironmentAsync"] = c => c.AsyncRunRemoteEnvironmentAsync("staging", s_input),
        ["AsyncRunRemoteDeploymentAsync"] = c => c.AsyncRunRemoteDeploymentAsync("dep1", s_input),
        ["AsyncRunRemoteRegionalAsync"] = c => c.AsyncRunRemoteRegionalAsync(s_input),
        ["GetAsyncRequestStatusAsync"] = c => c.GetAsyncRequestStatusAsync("req1"),
        ["CancelAsyncRequestAsync"] = c => c.CancelAsyncRequestAsync("req1"),
        ["GetAsyncQueueStatusProductionAsync"] = c => c.GetAsyncQueueStatusProductionAsync(),
        ["GetAsyncQueueStatusDevelopmentAsync"] = c => c.GetAsyncQueueStatusDevelopmentAsync(),
        ["GetAsyncQueueStatusEnvironmentAsync"] = c => c.GetAsyncQueueStatusEnvironmentAsync("staging"),
        ["GetAsyncQueueStatusDeploymentAsync"] = c => c.GetAsyncQueueStatusDeploymentAsync("dep1"),
        ["GetAsyncQueueStatusRegionalAsync"] = c => c.GetAsyncQueueStatusRegionalAsync(),
        ["WakeProductionAsync"] = c => c.WakeProductionAsync(),
        ["WakeDevelopmentAsync"] = c => c.WakeDevelopmentAsync(),
        ["WakeEnvironmentAsync"] = c => c.WakeEnvironmentAsync("staging"),
        ["WakeDeploymentAsync"] = c => c.WakeDeploymentAsync("dep1"),
        ["WakeRegionalAsync"] = c => c.WakeRegionalAsync(),
    };

    public static TheoryData<string, bool> Operations()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in s_operations.Keys)
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    /// <summary>The generated method names the document's operation ids give (<c>predictProduction</c> is <c>PredictProductionAsync</c>).</summary>
    internal static string[] MethodNamesOf(IEnumerable<string> operationIds)
        => operationIds.Select(id => char.ToUpperInvariant(id[0]) + id[1..] + "Async").Order(StringComparer.Ordinal).ToArray();

    private BasetenInferenceClient Client(bool dynamic, Action<BasetenInferenceClientOptions>? configure = null)
    {
        var options = new BasetenInferenceClientOptions { ApiKey = Key, ModelId = "abc123", BaseAddress = dynamic ? prism.DynamicAddress : prism.StaticAddress, Retry = RetryPolicy.None };
        configure?.Invoke(options);
        return new BasetenInferenceClient(options);
    }

    [Fact]
    public void EveryOperationOfTheDocument_IsCalled()
    {
        string yaml = File.ReadAllText(Path.Combine(Repository.Root, "spec", "baseten.inference.openapi.yaml"));
        string[] ids = Regex.Matches(yaml, @"operationId: (\w+)").Select(m => m.Groups[1].Value).ToArray();

        Assert.Equal(32, ids.Length);
        Assert.Equal(MethodNamesOf(ids), s_operations.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task GeneratedOperation_IsAcceptedByPrism_AndItsResponseParses(string operation, bool dynamic)
    {
        using BasetenInferenceClient client = Client(dynamic);

        for (int i = 0; i < (dynamic ? 5 : 1); i++)
        {
            await s_operations[operation](client);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HandWrittenModelCalls_ReachDocumentedRoutes_ForEveryTarget(bool dynamic)
    {
        using BasetenInferenceClient client = Client(dynamic);
        PredictTarget?[] targets = [null, PredictTarget.Development, PredictTarget.Environment("staging"), PredictTarget.Deployment("dep1")];

        foreach (PredictTarget? target in targets)
        {
            await client.PredictAsync(s_input, target);
            await using (Stream stream = await client.PredictStreamAsync(s_input, target))
            {
                await stream.CopyToAsync(Stream.Null);
            }

            Assert.False(string.IsNullOrEmpty(await client.AsyncPredictAsync(s_input, BasetenInferenceJsonContext.Default.JsonElement, "https://example.com/hook", target)));
            Assert.NotNull((await client.GetAsyncQueueStatusAsync(target)).DeploymentId);
            await client.WakeAsync(target);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HandWrittenChainAndRegionalCalls_ReachDocumentedRoutes(bool dynamic)
    {
        using BasetenInferenceClient chain = Client(dynamic, o => (o.ModelId, o.ChainId) = (null, "chain9"));
        using BasetenInferenceClient regional = Client(dynamic, o => o.Environment = "prod-us");

        await chain.RunRemoteAsync(s_input, PredictTarget.Deployment("dep1"));
        Assert.False(string.IsNullOrEmpty(await chain.AsyncRunRemoteAsync(s_input, BasetenInferenceJsonContext.Default.JsonElement, PredictTarget.Development)));
        await regional.PredictAsync(s_input);
        Assert.False(string.IsNullOrEmpty(await regional.AsyncPredictAsync(AsyncRequest())));
        await regional.GetAsyncQueueStatusAsync();
        await regional.WakeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BinaryAndMultipartInput_AreAcceptedByPrism_ForEveryTarget(bool dynamic)
    {
        using BasetenInferenceClient client = Client(dynamic);
        PredictTarget?[] targets = [null, PredictTarget.Development, PredictTarget.Environment("staging"), PredictTarget.Deployment("dep1")];

        foreach (PredictTarget? target in targets)
        {
            await PredictBytesAndFormAsync(client, target);
        }
    }

    [Fact]
    public async Task AMediaTypeTheDocumentDoesNotList_IsRefusedByPrism_SoAcceptanceMeansSomething()
    {
        using BasetenInferenceClient client = Client(dynamic: false);

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(
            () => client.PredictAsync(() => ApiContent.Text("not listed"), BasetenInferenceJsonContext.Default.JsonElement));

        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
    }

    // The two non-JSON inputs the documents list for predict: raw bytes and a multipart form.
    internal static async Task PredictBytesAndFormAsync(BasetenInferenceClient client, PredictTarget? target)
    {
        JsonElement output = await client.PredictAsync(() => ApiContent.Binary(new MemoryStream([1, 2, 3, 255]), "application/octet-stream"), BasetenInferenceJsonContext.Default.JsonElement, target);
        Assert.NotEqual(JsonValueKind.Undefined, output.ValueKind);

        await using Stream stream = await client.PredictStreamAsync(() =>
        {
            MultipartFormDataContent form = ApiContent.Multipart();
            form.Add(new StringContent("a cat"), "prompt");
            form.Add(ApiContent.Binary(new MemoryStream([9, 8, 7]), "image/png"), "image", "cat.png");
            return form;
        }, target);
        await stream.CopyToAsync(Stream.Null);
    }

    [Fact]
    public async Task InvalidBody_IsRejectedByPrism_SoAcceptanceMeansSomething()
    {
        // The same request is accepted with priority 1 (GeneratedOperation_...); 7 is past the
        // document's maximum, and Prism answers the operation's documented 400.
        using BasetenInferenceClient client = Client(dynamic: false);
        AsyncPredictRequest request = AsyncRequest();
        request.Priority = 7;

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => client.AsyncPredictAsync(request));

        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
        Assert.NotNull(exception.ReadError(BasetenInferenceJsonContext.Default.ErrorResponse));
    }

    [Fact]
    public async Task LegacyApiKeyScheme_IsRefusedByPrism_WhichIsWhyTheClientSendsBearer()
    {
        using var client = new BasetenInferenceClient(new ApiTransport(new HttpClient(), prism.StaticAddress, new ApiAuthorization("Api-Key", Key), disposeHttpClient: true, RetryPolicy.None));

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => client.WakeProductionAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
    }
}

/// <summary>
/// Every operation of Baseten's own inference document (../shared/baseten/inference.openapi.json,
/// read in place), through the client generated from it, against Prism with request validation,
/// static and <c>--dynamic</c>: the generator handles the published document, not only ours.
/// </summary>
public sealed class PublishedInferenceConformanceTests(PublishedInferencePrismFixture prism) : IClassFixture<PublishedInferencePrismFixture>
{
    private static readonly JsonElement s_input = JsonDocument.Parse("""{"prompt":"hello"}""").RootElement;

    private static Published.AsyncPredictRequest AsyncRequest() => new() { ModelInput = s_input, Priority = 0 };

    private static readonly Dictionary<string, Func<Published.PublishedInferenceClient, Task>> s_operations = new()
    {
        ["PredictProductionAsync"] = c => c.PredictProductionAsync(s_input),
        ["PredictDevelopmentAsync"] = c => c.PredictDevelopmentAsync(s_input),
        ["PredictAsync"] = c => c.PredictAsync("staging", s_input),
        ["PredictDeploymentAsync"] = c => c.PredictDeploymentAsync("dep1", s_input),
        ["PredictRegionalAsync"] = c => c.PredictRegionalAsync(s_input),
        ["RunRemoteProductionAsync"] = c => c.RunRemoteProductionAsync(s_input),
        ["RunRemoteDevelopmentAsync"] = c => c.RunRemoteDevelopmentAsync(s_input),
        ["RunRemoteAsync"] = c => c.RunRemoteAsync("staging", s_input),
        ["RunRemoteDeploymentAsync"] = c => c.RunRemoteDeploymentAsync("dep1", s_input),
        ["RunRemoteRegionalAsync"] = c => c.RunRemoteRegionalAsync(s_input),
        ["AsyncPredictProductionAsync"] = c => c.AsyncPredictProductionAsync(AsyncRequest()),
        ["AsyncPredictDevelopmentAsync"] = c => c.AsyncPredictDevelopmentAsync(AsyncRequest()),
        ["AsyncPredictAsync"] = c => c.AsyncPredictAsync("staging", AsyncRequest()),
        ["AsyncPredictDeploymentAsync"] = c => c.AsyncPredictDeploymentAsync("dep1", AsyncRequest()),
        ["AsyncPredictRegionalAsync"] = c => c.AsyncPredictRegionalAsync(AsyncRequest()),
        ["AsyncRunRemoteProductionAsync"] = c => c.AsyncRunRemoteProductionAsync(s_input),
        ["AsyncRunRemoteDevelopmentAsync"] = c => c.AsyncRunRemoteDevelopmentAsync(s_input),
        ["AsyncRunRemoteAsync"] = c => c.AsyncRunRemoteAsync("staging", s_input),
        ["AsyncRunRemoteDeploymentAsync"] = c => c.AsyncRunRemoteDeploymentAsync("dep1", s_input),
        ["AsyncRunRemoteRegionalAsync"] = c => c.AsyncRunRemoteRegionalAsync(s_input),
        ["GetAsyncRequestStatusAsync"] = c => c.GetAsyncRequestStatusAsync("req1"),
        ["CancelAsyncRequestAsync"] = c => c.CancelAsyncRequestAsync("req1"),
        ["GetAsyncQueueStatusProductionAsync"] = c => c.GetAsyncQueueStatusProductionAsync(),
        ["GetAsyncQueueStatusDevelopmentAsync"] = c => c.GetAsyncQueueStatusDevelopmentAsync(),
        ["GetAsyncQueueStatusAsync"] = c => c.GetAsyncQueueStatusAsync("staging"),
        ["GetAsyncQueueStatusDeploymentAsync"] = c => c.GetAsyncQueueStatusDeploymentAsync("dep1"),
        ["GetAsyncQueueStatusRegionalAsync"] = c => c.GetAsyncQueueStatusRegionalAsync(),
        ["WakeProductionAsync"] = c => c.WakeProductionAsync(),
        ["WakeDevelopmentAsync"] = c => c.WakeDevelopmentAsync(),
        ["WakeAsync"] = c => c.WakeAsync("staging"),
        ["WakeDeploymentAsync"] = c => c.WakeDeploymentAsync("dep1"),
        ["WakeRegionalAsync"] = c => c.WakeRegionalAsync(),
    };

    public static TheoryData<string, bool> Operations()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in s_operations.Keys)
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    private Published.PublishedInferenceClient Client(bool dynamic)
        => new(new ApiClientOptions { Credential = InferenceConformanceTests.Key, BaseAddress = dynamic ? prism.DynamicAddress : prism.StaticAddress, Retry = RetryPolicy.None });

    [Fact]
    public void EveryOperationOfThePublishedDocument_IsCalled()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(PublishedInferencePrismFixture.PublishedDocument));
        string[] ids = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Where(operation => operation.Value.ValueKind == JsonValueKind.Object && operation.Value.TryGetProperty("operationId", out _))
            .Select(operation => operation.Value.GetProperty("operationId").GetString()!)
            .ToArray();

        Assert.Equal(32, ids.Length);
        Assert.Equal(InferenceConformanceTests.MethodNamesOf(ids), s_operations.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_IsAcceptedByPrism_AndItsResponseParses(string operation, bool dynamic)
    {
        using Published.PublishedInferenceClient client = Client(dynamic);

        for (int i = 0; i < (dynamic ? 5 : 1); i++)
        {
            await s_operations[operation](client);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HandWrittenBinaryAndMultipartInput_AreAcceptedByPrism(bool dynamic)
    {
        using var client = new BasetenInferenceClient(new BasetenInferenceClientOptions
        {
            ApiKey = InferenceConformanceTests.Key,
            ModelId = "abc123",
            BaseAddress = dynamic ? prism.DynamicAddress : prism.StaticAddress,
            Retry = RetryPolicy.None,
        });

        await InferenceConformanceTests.PredictBytesAndFormAsync(client, null);
        await InferenceConformanceTests.PredictBytesAndFormAsync(client, PredictTarget.Deployment("dep1"));
    }

    [Fact]
    public async Task MissingBearerKey_IsRefusedByPrism_SoAcceptanceMeansSomething()
    {
        using var client = new Published.PublishedInferenceClient(new ApiTransport(new HttpClient(), prism.StaticAddress, null, disposeHttpClient: true, RetryPolicy.None));

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => client.WakeProductionAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
    }
}
