using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Xunit.Abstractions;

namespace Baseten.Aot.LiveApi.Tests;

[CollectionDefinition(Name)]
public sealed class LiveApiTestGroup : ICollectionFixture<LiveApiRun>
{
    public const string Name = "Live Baseten API against Prism";
}

/// <summary>
/// The whole Baseten management API, generated from the live document as a user gets it, against
/// Prism serving that document with request validation: every operation must be accepted (Prism
/// answers 422 to a request that breaks the document, which the client throws as a
/// <see cref="ApiException"/>) and every response Prism generates must deserialize, with
/// the document's examples (static) and with random data from its schemas (dynamic, several calls).
/// </summary>
[Collection(LiveApiTestGroup.Name)]
public sealed class LiveApiConformanceTests(LiveApiRun run)
{
    /// <summary>Every operation of the document, in each mode.</summary>
    public static TheoryData<LiveCase> Operations()
    {
        var data = new TheoryData<LiveCase>();
        foreach (LiveOperation operation in LiveApiDocument.Instance.Operations)
        {
            data.Add(new LiveCase(operation.Key, LiveApiRun.Static));
            data.Add(new LiveCase(operation.Key, LiveApiRun.Dynamic));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void Operation_IsAcceptedByPrism_AndEveryResponseDeserializes(LiveCase operation)
    {
        Assert.True(run.Methods.TryGetValue(operation.Key, out MethodInfo? method), $"No public method of BasetenManagementClient sends {operation.Key}.");
        var failures = run.Failures(operation.Key, operation.Mode);
        int calls = run.Calls(operation.Key, operation.Mode);

        Assert.True(failures.Count == 0, $"{method!.Name} ({operation.Key}) failed {failures.Count} of {calls} calls against the {operation.Mode} Prism:\n" + string.Join("\n", failures.Distinct()));
        Assert.Equal(operation.Mode == LiveApiRun.Dynamic ? 2 * LiveApiRun.DynamicRounds : 2, calls);
    }

    [Theory]
    [InlineData(LiveApiRun.Static)]
    [InlineData(LiveApiRun.Dynamic)]
    public void EveryOperationOfTheDocument_WasSent(string mode)
    {
        string[] expected = LiveApiDocument.Instance.Operations.Select(o => o.Key).Order(StringComparer.Ordinal).ToArray();
        string[] sent = run.SentOperations(mode).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(183, expected.Length);
        Assert.True(expected.SequenceEqual(sent),
            $"Not sent: {string.Join(", ", expected.Except(sent))}. Sent but not in the document: {string.Join(", ", sent.Except(expected))}.");
    }

    [Fact]
    public void EveryPublicMethod_SendsItsOwnOperation()
    {
        Assert.True(run.UnmatchedMethods.Count == 0, string.Join("\n", run.UnmatchedMethods));
        Assert.Equal(LiveApiRun.ClientMethods().Length, run.Methods.Count);
    }

    [Fact]
    public async Task InvalidQueryParameter_IsRejectedByPrism_SoAcceptanceMeansSomething()
    {
        // limit is at most 200 in the document.
        ApiException exception = await CallWithAsync("GET /v1/audit_logs", "limit", JsonValue.Create(5000));

        Assert.Equal(422, (int)exception.StatusCode);
        Assert.Contains("limit", exception.ResponseBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidBody_IsRejectedByPrism_SoAcceptanceMeansSomething()
    {
        // An open enum sends a value it does not know as it is; the document lists the policies.
        ApiException exception = await CallWithAsync("PATCH /v1/models/{model_id}/deployments/{deployment_id}/request_backpressure_settings", null, new JsonObject { ["policy"] = "NOT_A_POLICY" });

        Assert.Equal(422, (int)exception.StatusCode);
        Assert.Contains("policy", exception.ResponseBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LegacyApiKeyScheme_IsRefusedByPrism_BecauseTheDocumentDeclaresOnlyBearer()
    {
        // Why the client here sends Bearer: Prism enforces the document's security scheme.
        using var http = new HttpClient();
        using var client = new BasetenManagementClient(new ApiTransport(http, run.Prism.StaticAddress, new ApiAuthorization("Api-Key", LiveApiRun.Authorization.Key), disposeHttpClient: false, RetryPolicy.None));
        MethodInfo method = run.Methods["GET /v1/users/me"];

        ApiException exception = await Assert.ThrowsAsync<ApiException>(() => LiveApiRun.InvokeAsync(client, method, [null, default(System.Threading.CancellationToken)]));

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
    }

    // Calls the operation with its Minimal arguments, one of them (null: the body) replaced by a value the document forbids.
    private async Task<ApiException> CallWithAsync(string operationKey, string? parameterName, JsonNode invalid)
    {
        LiveOperation operation = LiveApiDocument.Instance[operationKey];
        MethodInfo method = run.Methods[operationKey];
        object?[] arguments = LiveApiRun.Arguments(operation, method, new SchemaSampler(LiveApiDocument.Instance, SampleShape.Minimal, 0));
        ParameterInfo parameter = LiveApiRun.ParameterFor(operation, method, parameterName);
        arguments[parameter.Position] = parameterName is null
            ? ClrValues.FromGeneratedContext(invalid, parameter.ParameterType)
            : ClrValues.ForParameter(invalid, parameter.ParameterType);
        using var http = new HttpClient();
        using BasetenManagementClient client = LiveApiRun.CreateClient(http, run.Prism.StaticAddress);

        return await Assert.ThrowsAsync<ApiException>(() => LiveApiRun.InvokeAsync(client, method, arguments));
    }
}

/// <summary>
/// One operation in one mode, shown whole in the test name (<c>static GET /v1/models/{model_id}</c>):
/// xunit shortens string arguments, which would hide the end of the longer paths.
/// </summary>
public sealed class LiveCase : IXunitSerializable
{
    public LiveCase()
    {
        Key = Mode = "";
    }

    public LiveCase(string key, string mode)
    {
        Key = key;
        Mode = mode;
    }

    /// <summary>The operation, <c>"GET /v1/models/{model_id}"</c>.</summary>
    public string Key { get; private set; }

    /// <summary><see cref="LiveApiRun.Static"/> or <see cref="LiveApiRun.Dynamic"/>.</summary>
    public string Mode { get; private set; }

    public void Deserialize(IXunitSerializationInfo info)
    {
        Key = info.GetValue<string>(nameof(Key));
        Mode = info.GetValue<string>(nameof(Mode));
    }

    public void Serialize(IXunitSerializationInfo info)
    {
        info.AddValue(nameof(Key), Key);
        info.AddValue(nameof(Mode), Mode);
    }

    public override string ToString() => Mode + " " + Key;
}
