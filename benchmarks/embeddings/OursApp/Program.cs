using System;
using System.Diagnostics;
using System.Globalization;
using Baseten.Aot;
using Baseten.Aot.Http;

// Ours: BasetenInferenceClient.EmbedBatchesAsync (consuming batches as they come; "all" keeps every
// vector, as EmbedAsync does). Usage: OursApp <base-url> <inputs> <concurrency> <float|base64> [stream|all]
var address = new Uri(args[0]);
int count = int.Parse(args[1], CultureInfo.InvariantCulture);
int concurrency = int.Parse(args[2], CultureInfo.InvariantCulture);
EmbeddingEncoding encoding = args[3] == "base64" ? EmbeddingEncoding.Base64 : EmbeddingEncoding.JsonNumbers;
bool keepAll = args.Length > 4 && args[4] == "all";
string[] inputs = new string[count];
for (int i = 0; i < count; i++)
{
    inputs[i] = "benchmark input text number " + i.ToString(CultureInfo.InvariantCulture);
}

using var client = new BasetenInferenceClient(new BasetenInferenceClientOptions { ApiKey = "benchmark-key", BaseAddress = address, Retry = new RetryPolicy { AttemptTimeout = TimeSpan.FromMinutes(10) } });
var options = new EmbeddingOptions { BatchSize = 128, MaxConcurrency = concurrency, Encoding = encoding };
var clock = Stopwatch.StartNew();
double checksum = 0;
int seen = 0;
if (keepAll)
{
    EmbeddingResult result = await client.EmbedAsync(inputs, options);
    for (int i = 0; i < result.Count; i++)
    {
        checksum += result[i].Span[0];
        seen++;
    }
}
else
{
    await foreach (EmbeddingBatch batch in client.EmbedBatchesAsync(inputs, options))
    {
        for (int i = 0; i < batch.Count; i++)
        {
            checksum += batch[i].Span[0];
            seen++;
        }
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours {seen} vectors of {1024} in {clock.Elapsed.TotalSeconds:F2} s (checksum {checksum:F3})"));
