using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using BenchmarkDotNet.Attributes;

namespace Baseten.Aot.Benchmarks;

/// <summary>A small model's input, as an app declares it (the same shape as benchmarks/SizePredictApp).</summary>
public sealed record BenchmarkModelInput(string Prompt, int MaxTokens, double Temperature);

/// <summary>The model's output.</summary>
public sealed record BenchmarkModelOutput(string Text, int Tokens, List<string>? StopReasons);

/// <summary>The app's own System.Text.Json context: the one both calls use.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BenchmarkModelInput))]
[JsonSerializable(typeof(BenchmarkModelOutput))]
public sealed partial class BenchmarkModelJson : JsonSerializerContext;

/// <summary>
/// Issue 9's per-call budget: one predict with the caller's own types through
/// <see cref="BasetenInferenceClient.PredictAsync{TInput, TOutput}"/>, against the same POST written
/// by hand with HttpClient, JsonContent and ReadFromJsonAsync over the same STJ context (the
/// baseline). No socket: both HttpClients sit on one in-memory handler that writes the request body
/// to Stream.Null (as a transport writes it to the socket) and answers a canned 200 from a
/// pre-encoded byte array. Every await in it completes synchronously, so SendAsync returns a
/// completed task (the setup checks it): what is measured is the client code, not a thread hop.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class PredictCallBenchmarks
{
    private static readonly Uri s_baseAddress = new("https://model-abc123.api.baseten.co");
    private static readonly Uri s_endpoint = new("https://model-abc123.api.baseten.co/production/predict");
    private static readonly BenchmarkModelInput s_input = new("Say hello in five words.", 16, 0.2);

    private readonly CannedHandler _handler = new(HttpMethod.Post, s_endpoint, "Bearer benchmark-key", System.Text.Encoding.UTF8.GetBytes("""{"text":"Hello! How can I help today?","tokens":9,"stop_reasons":["eos"]}"""), "application/json");
    private HttpClient _handWrittenHttp = null!;
    private HttpClient _basetenHttp = null!;
    private BasetenInferenceClient _basetenNoRetry = null!;
    private BasetenInferenceClient _basetenDefaultRetry = null!;
    private BasetenInferenceClient _basetenNoTimeout = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        // The hand-written call gets what `new HttpClient(...)` gives: HttpClient's own 100 s timeout.
        _handWrittenHttp = new HttpClient(_handler, disposeHandler: false);

        // The client's own HttpClient has HttpClient's timeout off (ApiTransport.Create): the retry
        // policy's 100 s attempt timeout stands in for it. Same here, over the same handler.
        _basetenHttp = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        _basetenNoRetry = Client(RetryPolicy.None);
        _basetenDefaultRetry = Client(new RetryPolicy());
        _basetenNoTimeout = Client(new RetryPolicy { MaxAttempts = 1, AttemptTimeout = null });

        // Both calls must send the same JSON and read the same output for the comparison to mean anything.
        byte[]? sent = null;
        var outputs = new List<BenchmarkModelOutput>();
        foreach (Func<Task<BenchmarkModelOutput>> call in new Func<Task<BenchmarkModelOutput>>[] { PredictCall_HandWritten, PredictCall_BasetenAot, PredictCall_BasetenAotDefaultRetry, PredictCall_BasetenAotNoAttemptTimeout })
        {
            Task<BenchmarkModelOutput> task = call();
            if (!task.IsCompleted)
            {
                throw new InvalidOperationException("The in-memory handler is meant to complete synchronously.");
            }

            outputs.Add(await task);
            if (sent is not null && !sent.AsSpan().SequenceEqual(_handler.LastBody))
            {
                throw new InvalidOperationException("Both calls must send the same bytes: " + System.Text.Encoding.UTF8.GetString(sent) + " and " + System.Text.Encoding.UTF8.GetString(_handler.LastBody));
            }

            sent = _handler.LastBody;
        }

        if (outputs.Any(output => output.Text != outputs[0].Text || output.Tokens != 9 || output.StopReasons is not ["eos"]))
        {
            throw new InvalidOperationException("Both calls must read the same output.");
        }

        _handler.Record = false;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _basetenNoRetry.Dispose();
        _basetenDefaultRetry.Dispose();
        _basetenNoTimeout.Dispose();
        _basetenHttp.Dispose();
        _handWrittenHttp.Dispose();
        _handler.Dispose();
    }

    /// <summary>The call written by hand: what a careful person writes without this library.</summary>
    [Benchmark(Baseline = true)]
    public async Task<BenchmarkModelOutput> PredictCall_HandWritten()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, s_endpoint)
        {
            Content = JsonContent.Create(s_input, BenchmarkModelJson.Default.BenchmarkModelInput),
        };
        message.Headers.TryAddWithoutValidation("Authorization", "Bearer benchmark-key");
        using HttpResponseMessage response = await _handWrittenHttp.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(BenchmarkModelJson.Default.BenchmarkModelOutput)
            ?? throw new InvalidOperationException("null output");
    }

    /// <summary>The same call through the client, retries off (RetryPolicy.None: one attempt, its 100 s attempt timeout kept).</summary>
    [Benchmark]
    public Task<BenchmarkModelOutput> PredictCall_BasetenAot()
        => _basetenNoRetry.PredictAsync(s_input, BenchmarkModelJson.Default.BenchmarkModelInput, BenchmarkModelJson.Default.BenchmarkModelOutput);

    /// <summary>The same call with the default retry policy (3 attempts, 100 s attempt timeout): what a successful call pays for it.</summary>
    [Benchmark]
    public Task<BenchmarkModelOutput> PredictCall_BasetenAotDefaultRetry()
        => _basetenDefaultRetry.PredictAsync(s_input, BenchmarkModelJson.Default.BenchmarkModelInput, BenchmarkModelJson.Default.BenchmarkModelOutput);

    /// <summary>Diagnostic: one attempt and no attempt timeout, so no timer or linked token sources: what those cost.</summary>
    [Benchmark]
    public Task<BenchmarkModelOutput> PredictCall_BasetenAotNoAttemptTimeout()
        => _basetenNoTimeout.PredictAsync(s_input, BenchmarkModelJson.Default.BenchmarkModelInput, BenchmarkModelJson.Default.BenchmarkModelOutput);

    private BasetenInferenceClient Client(RetryPolicy retry)
        => new(_basetenHttp, new BasetenInferenceClientOptions { ApiKey = "benchmark-key", ModelId = "abc123", BaseAddress = s_baseAddress, Retry = retry });
}
