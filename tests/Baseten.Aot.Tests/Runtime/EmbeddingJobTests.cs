using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Xunit.Abstractions;

namespace Baseten.Aot.Tests;

/// <summary>
/// Bulk embedding, reranking and classification over a loopback BEI stand-in: the route of every
/// target, both encodings, input order under random delays, retries and hedges that never drop or
/// duplicate an input (a property test with a printed seed), 529 final, failures that name their
/// inputs, cancellation, the job deadline, progress, and the memory bound.
/// </summary>
public sealed class EmbeddingJobTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Key = "embed-secret-key";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);
    private LoopbackServer _server = null!;
    private readonly BeiStandIn _bei = new();

    public async Task InitializeAsync() => _server = BeiStandIn.Attach(await LoopbackServer.StartAsync(), _bei);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private BasetenInferenceClient Client(string? environment = null, RetryPolicy? retry = null)
        => new(new BasetenInferenceClientOptions { ApiKey = Key, ModelId = "abc123", Environment = environment, BaseAddress = _server.BaseAddress, Retry = retry ?? RetryPolicy.None });

    // Fast retries, no budget: the tests count attempts, not wall time.
    private static RetryPolicy FastRetries(int attempts) => new() { MaxAttempts = attempts, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2), Budget = null, RetryUnsafeMethods = true };

    public static TheoryData<string, string> Targets => new()
    {
        { "production", "/environments/production/sync" },
        { "development", "/development/sync" },
        { "environment", "/environments/staging/sync" },
        { "deployment", "/deployment/dep42/sync" },
        { "regional", "/sync" },
    };

    private static PredictTarget? TargetOf(string kind) => kind switch
    {
        "development" => PredictTarget.Development,
        "environment" => PredictTarget.Environment("staging"),
        "deployment" => PredictTarget.Deployment("dep42"),
        _ => null,
    };

    private static void AssertVectors(EmbeddingResult result, int count)
    {
        Assert.Equal(count, result.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(BeiStandIn.VectorOf(i), result[i].ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Embed_GoesToTheTargetsEmbeddingsRoute_InBothEncodings_WithTheDocumentedBody(string kind, string root)
    {
        using BasetenInferenceClient client = Client(kind == "regional" ? "prod-us" : null);

        foreach (EmbeddingEncoding encoding in new[] { EmbeddingEncoding.Base64, EmbeddingEncoding.JsonNumbers })
        {
            EmbeddingResult result = await client.EmbedAsync(BeiStandIn.Inputs(5), new EmbeddingOptions { BatchSize = 2, Encoding = encoding, Dimensions = 4, Model = "bge" }, TargetOf(kind));
            AssertVectors(result, 5);
            Assert.Equal([2, 2, 1], result.Batches.Select(b => b.Count));
        }

        RecordedRequest request = _server.Requests[0];
        Assert.Equal("POST", request.Method);
        Assert.Equal(root + "/v1/embeddings", request.RawTarget);
        Assert.Equal("Bearer " + Key, request.Headers["Authorization"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Contains(_server.Requests, r => Encoding.UTF8.GetString(r.Body) == """{"input":["t0","t1"],"model":"bge","encoding_format":"base64","dimensions":4}""");
        Assert.Contains(_server.Requests, r => Encoding.UTF8.GetString(r.Body) == """{"input":["t4"],"model":"bge","encoding_format":"float","dimensions":4}""");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Rerank_GoesToTheTargetsRerankRoute_AndReturnsOneScorePerTextInInputOrder(string kind, string root)
    {
        using BasetenInferenceClient client = Client(kind == "regional" ? "prod-us" : null);

        RerankScore[] scores = await client.RerankAsync("q", BeiStandIn.Inputs(7), new RerankOptions { BatchSize = 3, ReturnText = true, Truncate = true }, TargetOf(kind));

        Assert.Equal(7, scores.Length);
        for (int i = 0; i < 7; i++)
        {
            Assert.Equal(new RerankScore(i, i / 1000.0, "t" + i), scores[i]);
        }

        Assert.All(_server.Requests, r => Assert.Equal(root + "/rerank", r.RawTarget));
        Assert.Contains(_server.Requests, r => Encoding.UTF8.GetString(r.Body) == """{"query":"q","texts":["t0","t1","t2"],"raw_scores":false,"return_text":true,"truncate":true,"truncation_direction":"Right"}""");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Classify_GoesToTheTargetsPredictRoute_AndReturnsEachInputsLabelsInOrder(string kind, string root)
    {
        using BasetenInferenceClient client = Client(kind == "regional" ? "prod-us" : null);

        ClassificationScore[][] results = await client.ClassifyAsync(BeiStandIn.Inputs(5), new ClassifyOptions { BatchSize = 2, RawScores = true }, TargetOf(kind));

        Assert.Equal(5, results.Length);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal([new ClassificationScore("label-" + i, 0.75), new ClassificationScore("other", 0.25)], results[i]);
        }

        Assert.All(_server.Requests, r => Assert.Equal(root + "/predict", r.RawTarget));
        Assert.Contains(_server.Requests, r => Encoding.UTF8.GetString(r.Body) == """{"inputs":[["t0"],["t1"]],"raw_scores":true,"truncate":false,"truncation_direction":"Right"}""");
    }

    [Fact]
    public async Task Embed_ItemsAnsweredOutOfOrder_AreReadByTheirIndex()
    {
        _bei.Shuffle = true;
        using BasetenInferenceClient client = Client();

        AssertVectors(await client.EmbedAsync(BeiStandIn.Inputs(10), new EmbeddingOptions { BatchSize = 4, Encoding = EmbeddingEncoding.JsonNumbers }), 10);
        AssertVectors(await client.EmbedAsync(BeiStandIn.Inputs(10), new EmbeddingOptions { BatchSize = 4 }), 10);
    }

    [Fact]
    public void Plan_SplitsByCountAndByCharacters_AndSendsAnOverlongInputAlone()
    {
        string[] inputs = ["aaaa", "bb", "cccccccccc", "d", "e", "f", "g"];

        InputBatch[] byCount = BatchJob<int>.Plan(inputs, 3, null);
        InputBatch[] byCharacters = BatchJob<int>.Plan(inputs, 3, 6);

        Assert.Equal([(0, 3), (3, 3), (6, 1)], byCount.Select(b => (b.Start, b.Count)));
        Assert.Equal([(0, 2), (2, 1), (3, 3), (6, 1)], byCharacters.Select(b => (b.Start, b.Count)));
        Assert.Empty(BatchJob<int>.Plan([], 3, null));
    }

    [Fact]
    public async Task Results_AreInInputOrder_UnderRandomPerRequestDelays()
    {
        int seed = Environment.TickCount;
        output.WriteLine("seed " + seed);
        var random = new Random(seed);
        int[] delays = Enumerable.Range(0, 64).Select(_ => random.Next(0, 25)).ToArray();
        _bei.Before = async (first, _, token) =>
        {
            await Task.Delay(delays[BeiStandIn.IndexOf(first) % delays.Length], token);
            return null;
        };
        using BasetenInferenceClient client = Client();

        var starts = new List<int>();
        int next = 0;
        await foreach (EmbeddingBatch batch in client.EmbedBatchesAsync(BeiStandIn.Inputs(500), new EmbeddingOptions { BatchSize = 7, MaxConcurrency = 16 }))
        {
            Assert.Equal(next, batch.StartIndex);
            for (int i = 0; i < batch.Count; i++)
            {
                Assert.Equal(BeiStandIn.VectorOf(batch.StartIndex + i), batch[i].ToArray());
            }

            next += batch.Count;
        }

        Assert.Equal(500, next);
    }

    /// <summary>
    /// Random sizes, batching, concurrency, delays, 503s and hedges: every input comes back exactly
    /// once with its own vector, or the job fails naming exactly the batch whose attempts ran out.
    /// Replay a failure with the printed seed.
    /// </summary>
    [Fact]
    public async Task RetriesAndHedges_NeverDropOrDuplicateAnInput_Property()
    {
        int seed = Environment.TickCount;
        output.WriteLine("seed " + seed);
        var random = new Random(seed);
        for (int round = 0; round < 12; round++)
        {
            int count = random.Next(0, 400);
            int batchSize = random.Next(1, 40);
            int? maxCharacters = random.Next(3) == 0 ? random.Next(5, 60) : null;
            int concurrency = random.Next(1, 24);
            bool hedge = random.Next(2) == 0;
            int attempts = 3;
            var plan = new Dictionary<string, (int Failures, int Delay)>();
            int roundSeed = random.Next();
            var roundRandom = new Random(roundSeed);
            for (int i = 0; i < count; i++)
            {
                // Up to attempts failures: attempts of them exhaust the retries (only without hedging: a hedge is another chance).
                int failures = roundRandom.Next(10) switch { 0 => 1, 1 => 2, 2 when roundRandom.Next(20) == 0 => attempts, _ => 0 };
                plan["t" + i] = (failures, roundRandom.Next(0, 8));
            }

            var standIn = new BeiStandIn
            {
                Shuffle = roundRandom.Next(2) == 0,
                Before = async (first, attempt, token) =>
                {
                    (int failures, int delay) = plan[first];
                    await Task.Delay(attempt == 1 ? delay : 0, token);
                    return attempt <= failures ? 503 : null;
                },
            };
            _server.Respond = context => standIn.HandleAsync(context, LoopbackServer.BodyOf(context));
            using BasetenInferenceClient client = Client(retry: FastRetries(attempts));
            var options = new EmbeddingOptions
            {
                BatchSize = batchSize,
                MaxCharactersPerBatch = maxCharacters,
                MaxConcurrency = concurrency,
                HedgeDelay = hedge ? TimeSpan.FromMilliseconds(3) : null,
                HedgeBudget = 1,
                Encoding = roundRandom.Next(2) == 0 ? EmbeddingEncoding.Base64 : EmbeddingEncoding.JsonNumbers,
            };
            string[] inputs = BeiStandIn.Inputs(count);
            InputBatch[] batches = BatchJob<int>.Plan(inputs, batchSize, maxCharacters);
            string context = $"round {round} (seed {seed}): {count} inputs, batch {batchSize}, chars {maxCharacters}, concurrency {concurrency}, hedge {hedge}";

            try
            {
                EmbeddingResult result = await client.EmbedAsync(inputs, options);
                AssertVectors(result, count);
                Assert.Equal(batches.Select(b => (b.Start, b.Count)), result.Batches.Select(b => (b.StartIndex, b.Count)));
                Assert.DoesNotContain(batches, b => !hedge && plan["t" + b.Start].Failures >= attempts);
            }
            catch (InferenceBatchException exception)
            {
                output.WriteLine(context + ": " + exception.Message);
                InputBatch failed = Assert.Single(batches, b => b.Start == exception.StartIndex);
                Assert.Equal(failed.Count, exception.Count);
                Assert.True(plan["t" + failed.Start].Failures >= attempts, context);
                Assert.Equal(503, (int)Assert.IsType<BasetenApiException>(exception.InnerException).StatusCode);
            }
        }
    }

    [Fact]
    public async Task Status529_IsFinal_AndTheJobFailsNamingTheBatchsInputs()
    {
        _bei.Before = (first, _, _) => Task.FromResult<int?>(first == "t4" ? 529 : null);
        using BasetenInferenceClient client = Client(retry: FastRetries(5));

        InferenceBatchException exception = await Assert.ThrowsAsync<InferenceBatchException>(() => client.EmbedAsync(BeiStandIn.Inputs(10), new EmbeddingOptions { BatchSize = 2 }));

        Assert.Equal((4, 2), (exception.StartIndex, exception.Count));
        Assert.Contains("inputs 4 to 5", exception.Message, StringComparison.Ordinal);
        Assert.Equal(529, (int)Assert.IsType<BasetenApiException>(exception.InnerException).StatusCode);
        Assert.Equal(1, _bei.AttemptsOf("t4"));
        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status503_IsRetriedByDefault_ForTheseIdempotentPosts()
    {
        _bei.Before = (first, attempt, _) => Task.FromResult<int?>(attempt == 1 ? 503 : null);
        using BasetenInferenceClient client = Client(retry: new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2), Budget = null });

        AssertVectors(await client.EmbedAsync(BeiStandIn.Inputs(6), new EmbeddingOptions { BatchSize = 3 }), 6);

        Assert.Equal(2, _bei.AttemptsOf("t0"));
        Assert.Equal(2, _bei.AttemptsOf("t3"));
    }

    [Fact]
    public async Task AnAnswerWithTheWrongNumberOfVectors_FailsTheBatch_WithoutQuotingIt()
    {
        _server.RespondJson(200, """{"data":[{"index":0,"embedding":[1,2]}]}""");
        using BasetenInferenceClient client = Client();

        InferenceBatchException exception = await Assert.ThrowsAsync<InferenceBatchException>(() => client.EmbedAsync(BeiStandIn.Inputs(3), new EmbeddingOptions { BatchSize = 3 }));

        Assert.Equal((0, 3), (exception.StartIndex, exception.Count));
        Assert.Contains("1 embeddings; 3 were asked for", exception.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_AbortsEveryRequestInFlightAtOnce()
    {
        _bei.Before = async (_, _, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return null;
        };
        using BasetenInferenceClient client = Client();
        using var cancel = new CancellationTokenSource();

        Task job = client.EmbedAsync(BeiStandIn.Inputs(100), new EmbeddingOptions { BatchSize = 10, MaxConcurrency = 4 }, cancellationToken: cancel.Token);
        await WaitUntil(() => _bei.InFlight == 4);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job).WaitAsync(s_wait);
        await WaitUntil(() => _bei.Aborted == 4 && _bei.InFlight == 0);
        Assert.Equal(4, _bei.Received);
    }

    [Fact]
    public async Task TheJobDeadline_EndsTheWholeJob_WithATimeoutException()
    {
        _bei.Before = async (first, _, token) =>
        {
            await Task.Delay(first == "t0" ? 0 : Timeout.Infinite, token);
            return null;
        };
        using BasetenInferenceClient client = Client();

        TimeoutException exception = await Assert.ThrowsAsync<TimeoutException>(() => client.EmbedAsync(BeiStandIn.Inputs(30), new EmbeddingOptions { BatchSize = 10, Timeout = TimeSpan.FromSeconds(1) })).WaitAsync(s_wait);

        Assert.Contains("of 3 batches", exception.Message, StringComparison.Ordinal);
        await WaitUntil(() => _bei.InFlight == 0);
    }

    // The deadline's seconds are written the same whatever the culture: "1.5 s", not "1,5 s". The
    // timer runs on a fake clock, which the test moves on.
    [Fact]
    public async Task TheJobDeadline_InItsMessage_IsCultureInvariant()
    {
        _bei.Before = async (first, _, token) =>
        {
            await Task.Delay(first == "t0" ? 0 : Timeout.Infinite, token);
            return null;
        };
        var clock = new FakeClock();
        using BasetenInferenceClient client = Client();
        var options = new EmbeddingOptions { BatchSize = 10, Timeout = TimeSpan.FromMilliseconds(1500), Retry = new RetryPolicy { MaxAttempts = 1, TimeProvider = clock } };
        var decimalComma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        decimalComma.NumberFormat.NumberDecimalSeparator = ",";
        CultureInfo previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = decimalComma;
        try
        {
            Task<EmbeddingResult> job = client.EmbedAsync(BeiStandIn.Inputs(30), options);
            await clock.AdvanceUntilCompletedAsync(job, TimeSpan.FromMilliseconds(500), maxSteps: 40, realPause: TimeSpan.FromMilliseconds(50));

            TimeoutException exception = await Assert.ThrowsAsync<TimeoutException>(() => job);
            Assert.Contains("within its timeout of 1.5 s", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        await WaitUntil(() => _bei.InFlight == 0);
    }

    [Fact]
    public async Task Progress_IsToldOfEveryBatch()
    {
        var reports = new List<InferenceJobProgress>();
        using BasetenInferenceClient client = Client();

        await client.EmbedAsync(BeiStandIn.Inputs(25), new EmbeddingOptions { BatchSize = 10, MaxConcurrency = 1, Progress = new SyncProgress(reports) });

        Assert.Equal([new(1, 3, 10, 25), new(2, 3, 20, 25), new(3, 3, 25, 25)], reports);
    }

    /// <summary>
    /// A consumer that does not take the batches: the job stops sending once its window is full, and
    /// never holds more than the window, however many inputs there are.
    /// </summary>
    [Fact]
    public async Task ASlowConsumer_HoldsTheJobToItsWindow_NotToTheCorpus()
    {
        using BasetenInferenceClient client = Client();
        var options = new EmbeddingOptions { BatchSize = 2, MaxConcurrency = 3 };
        BatchJob<EmbeddingBatch> job = client.EmbeddingJob(BeiStandIn.Inputs(200), options, null);
        Assert.Equal(6, job.Window);

        int consumed = 0;
        await foreach (EmbeddingBatch _ in job.RunAsync(CancellationToken.None))
        {
            if (consumed == 0)
            {
                // The consumer stalls on the first batch: the job fills its window and stops there.
                await WaitUntil(() => _bei.Received == job.Window && _bei.InFlight == 0);
            }

            Assert.True(_bei.Received <= consumed + job.Window, $"{_bei.Received} requests sent with {consumed} batches consumed");
            consumed++;
        }

        Assert.Equal(100, consumed);
        Assert.Equal(job.Window, job.PeakHeld);
        Assert.True(_bei.PeakInFlight <= 3);
    }

    [Fact]
    public async Task BadOptions_AreRefusedBeforeAnythingIsSent()
    {
        using BasetenInferenceClient client = Client();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.EmbedAsync(["a"], new EmbeddingOptions { BatchSize = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.EmbedAsync(["a"], new EmbeddingOptions { MaxConcurrency = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.EmbedAsync(["a"], new EmbeddingOptions { HedgeDelay = TimeSpan.Zero }));
        await Assert.ThrowsAsync<ArgumentException>(() => client.EmbedAsync(["a", null!]));
        using BasetenInferenceClient regional = Client("prod-us");
        await Assert.ThrowsAsync<ArgumentException>(() => regional.EmbedAsync(["a"], target: PredictTarget.Development));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.RerankAsync(null!, ["a"]));
        Assert.Empty(_server.Requests);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(s_wait);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    private sealed class SyncProgress(List<InferenceJobProgress> reports) : IProgress<InferenceJobProgress>
    {
        public void Report(InferenceJobProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
