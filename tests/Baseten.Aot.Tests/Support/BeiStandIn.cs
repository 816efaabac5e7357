using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Tests;

/// <summary>
/// A BEI stand-in for <see cref="LoopbackServer"/>: answers /v1/embeddings, /rerank and /predict
/// from the request itself, so every answer can be checked. Input "t{i}" embeds to
/// <see cref="VectorOf"/>(i); rerank scores text "t{i}" i / 1000; classify labels "t{i}" "label-{i}".
/// A hook runs before each answer and may delay it or answer with an error status instead.
/// </summary>
internal sealed class BeiStandIn
{
    public const int Dimensions = 4;

    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private int _inFlight;
    private int _peakInFlight;
    private int _received;
    private int _aborted;

    /// <summary>Called with the batch's first input and the attempt number (1, 2, ...): a status to answer instead, or null.</summary>
    public Func<string, int, CancellationToken, Task<int?>>? Before { get; set; }

    /// <summary>Answers with the items in reverse order (their index fields still right).</summary>
    public bool Shuffle { get; set; }

    public int Received => Volatile.Read(ref _received);

    public int InFlight => Volatile.Read(ref _inFlight);

    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    public int Aborted => Volatile.Read(ref _aborted);

    /// <summary>How many times a batch starting with this input was received.</summary>
    public int AttemptsOf(string firstInput) => _attempts.TryGetValue(firstInput, out int n) ? n : 0;

    public static float[] VectorOf(int i) => [i, i + 0.25f, -i, 1];

    public static int IndexOf(string text) => int.Parse(text.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);

    public static string[] Inputs(int count) => Enumerable.Range(0, count).Select(i => "t" + i).ToArray();

    public async Task HandleAsync(HttpContext context, byte[] body)
    {
        Interlocked.Increment(ref _received);
        int now = Interlocked.Increment(ref _inFlight);
        int peak;
        while (now > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, now, peak) != peak)
        {
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            string path = context.Request.Path.Value!;
            string[] texts = path.EndsWith("/predict", StringComparison.Ordinal)
                ? root.GetProperty("inputs").EnumerateArray().Select(e => e[0].GetString()!).ToArray()
                : root.GetProperty(path.EndsWith("/rerank", StringComparison.Ordinal) ? "texts" : "input").EnumerateArray().Select(e => e.GetString()!).ToArray();
            int attempt = _attempts.AddOrUpdate(texts[0], 1, (_, n) => n + 1);
            if (Before is { } before && await before(texts[0], attempt, context.RequestAborted) is { } status)
            {
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"error":"stand-in failure"}""");
                return;
            }

            string json = path.EndsWith("/v1/embeddings", StringComparison.Ordinal)
                ? Embeddings(texts, root.GetProperty("encoding_format").GetString() == "base64")
                : path.EndsWith("/rerank", StringComparison.Ordinal) ? Rerank(texts, root.GetProperty("return_text").GetBoolean()) : Classify(texts);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _aborted);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private string Embeddings(string[] texts, bool base64)
    {
        var json = new StringBuilder("""{"object":"list","model":"model","data":[""");
        IEnumerable<int> order = Enumerable.Range(0, texts.Length);
        foreach (int i in Shuffle ? order.Reverse() : order)
        {
            float[] vector = VectorOf(IndexOf(texts[i]));
            string embedding = base64
                ? "\"" + Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())) + "\""
                : "[" + string.Join(",", vector.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";
            json.Append("{\"object\":\"embedding\",\"embedding\":").Append(embedding).Append(",\"index\":").Append(i).Append("},");
        }

        json.Length--;
        return json.Append("""],"usage":{"prompt_tokens":1,"total_tokens":1}}""").ToString();
    }

    private static string Rerank(string[] texts, bool returnText)
        => "[" + string.Join(",", Enumerable.Range(0, texts.Length)
            .OrderByDescending(i => IndexOf(texts[i]))
            .Select(i => "{\"index\":" + i + ",\"score\":" + (IndexOf(texts[i]) / 1000.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + (returnText ? ",\"text\":\"" + texts[i] + "\"" : "") + "}")) + "]";

    private static string Classify(string[] texts)
        => "[" + string.Join(",", texts.Select(t => "[{\"label\":\"label-" + IndexOf(t) + "\",\"score\":0.75},{\"label\":\"other\",\"score\":0.25}]")) + "]";

    public static LoopbackServer Attach(LoopbackServer server, BeiStandIn standIn)
    {
        server.Respond = context => standIn.HandleAsync(context, LoopbackServer.BodyOf(context));
        return server;
    }
}
