using System.IO;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot.Tests;

/// <summary>Prism over the project's BEI document, spec/baseten.embeddings.openapi.yaml.</summary>
public sealed class EmbeddingsPrismFixture() : PrismFixture(Path.Combine(Repository.Root, "spec", "baseten.embeddings.openapi.yaml"));

/// <summary>
/// The three BEI routes of every target against Prism with request validation (a body that breaks
/// the document is answered 422 and thrown) and the document's examples as answers. Static only:
/// Prism's generated answers hold a random number of items, which the client rightly refuses.
/// </summary>
public sealed class EmbeddingConformanceTests(EmbeddingsPrismFixture prism) : IClassFixture<EmbeddingsPrismFixture>
{
    private BasetenInferenceClient Client(string? environment = null)
        => new(new BasetenInferenceClientOptions { ApiKey = "conformance-key", ModelId = "abc123", Environment = environment, BaseAddress = prism.StaticAddress, Retry = RetryPolicy.None });

    [Fact]
    public async Task EmbedRerankAndClassify_AreAcceptedByPrism_ForEveryTarget_AndTheExamplesParse()
    {
        using BasetenInferenceClient client = Client();
        using BasetenInferenceClient regional = Client("prod-us");
        PredictTarget?[] targets = [null, PredictTarget.Development, PredictTarget.Environment("staging"), PredictTarget.Deployment("dep1")];
        string[] two = ["first text", "second text"];

        foreach ((BasetenInferenceClient c, PredictTarget? target) in new[] { (client, targets[0]), (client, targets[1]), (client, targets[2]), (client, targets[3]), (regional, null) })
        {
            foreach (EmbeddingEncoding encoding in new[] { EmbeddingEncoding.JsonNumbers, EmbeddingEncoding.Base64 })
            {
                EmbeddingResult embeddings = await c.EmbedAsync(two, new EmbeddingOptions { Encoding = encoding, Dimensions = 3 }, target);
                Assert.Equal([0.5f, -1.25f, 2.0f], embeddings[0].ToArray());
                Assert.Equal([1.0f, 0.0f, -0.5f], embeddings[1].ToArray());
            }

            RerankScore[] scores = await c.RerankAsync("query", two, new RerankOptions { ReturnText = true, RawScores = true, Truncate = true, TruncationDirection = "Left" }, target);
            Assert.Equal([new RerankScore(0, 0.12, null), new RerankScore(1, 0.93, null)], scores);

            ClassificationScore[][] labels = await c.ClassifyAsync(two, new ClassifyOptions { Truncate = true }, target);
            Assert.Equal("positive", labels[0][0].Label);
            Assert.Equal("negative", labels[1][0].Label);
        }
    }

    [Fact]
    public async Task ABodyThatBreaksTheDocument_IsRefusedByPrism()
    {
        using BasetenInferenceClient client = Client();

        InferenceBatchException exception = await Assert.ThrowsAsync<InferenceBatchException>(() => client.RerankAsync("query", ["a"], new RerankOptions { TruncationDirection = "Middle" }));

        Assert.Equal(422, (int)Assert.IsType<BasetenApiException>(exception.InnerException).StatusCode);
    }
}
