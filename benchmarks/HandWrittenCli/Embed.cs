using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace HandWrittenCli;

// handwritten embed <MODEL_ID> <input.txt> [base-url] [float|base64]
// The job baseten embed does, written by hand: one text per line, batches of 128 sent 32 at a time
// with a window of 64 consumed in input order, each answer read with a Utf8JsonReader straight into
// floats (base64 decoded from the UTF-8 bytes), JSON lines out. No retries and no progress line: the
// baseline is what a careful person writes, and the CLI has to carry more than this in less.
internal static class Embed
{
    private const int BatchSize = 128;
    private const int Concurrency = 32;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 3)
        {
            await Console.Error.WriteLineAsync("usage: handwritten embed <MODEL_ID> <input.txt> [base-url] [float|base64]");
            return 2;
        }

        try
        {
            string[] inputs = await File.ReadAllLinesAsync(args[2]);
            bool base64 = args.Length > 4 && args[4] == "base64";
            string key = System.Environment.GetEnvironmentVariable("BASETEN_API_KEY") ?? throw new InvalidOperationException("no API key");
            var root = new Uri(args.Length > 3 ? args[3] : "https://model-" + Uri.EscapeDataString(args[1]) + ".api.baseten.co/");
            var address = new Uri(root, "environments/production/sync/v1/embeddings");
            using var http = new HttpClient();
            using var gate = new SemaphoreSlim(Concurrency);
            using var cancel = new CancellationTokenSource();
            using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                context.Cancel = true;
                cancel.Cancel();
            });

            var window = new Queue<(int Start, Task<List<float[]>> Answer)>();
            await using Stream stdout = Console.OpenStandardOutput();
            await using var writer = new Utf8JsonWriter(stdout);
            int next = 0;
            while (true)
            {
                while (window.Count < 2 * Concurrency && next < inputs.Length)
                {
                    int size = Math.Min(BatchSize, inputs.Length - next);
                    window.Enqueue((next, SendAsync(http, gate, address, key, inputs, next, size, base64, cancel.Token)));
                    next += size;
                }

                if (!window.TryDequeue(out (int Start, Task<List<float[]>> Answer) head))
                {
                    return 0;
                }

                List<float[]> vectors = await head.Answer;
                for (int i = 0; i < vectors.Count; i++)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("index", head.Start + i);
                    writer.WriteStartArray("embedding");
                    foreach (float value in vectors[i])
                    {
                        writer.WriteNumberValue(value);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                    await writer.FlushAsync();
                    writer.Reset();
                    stdout.WriteByte((byte)'\n');
                }
            }
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Exception exception) when (exception is JsonException or HttpRequestException or IOException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync("error: " + exception.Message);
            return exception is HttpRequestException ? 3 : 2;
        }
    }

    private static async Task<List<float[]>> SendAsync(HttpClient http, SemaphoreSlim gate, Uri address, string key, string[] inputs, int start, int size, bool base64, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var body = new ArrayBufferWriter<byte>(size * 64);
            using (var json = new Utf8JsonWriter(body))
            {
                json.WriteStartObject();
                json.WriteStartArray("input");
                for (int i = start; i < start + size; i++)
                {
                    json.WriteStringValue(inputs[i]);
                }

                json.WriteEndArray();
                json.WriteString("model", "model");
                json.WriteString("encoding_format", base64 ? "base64" : "float");
                json.WriteEndObject();
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = new ReadOnlyMemoryContent(body.WrittenMemory) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
            using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException("batch at " + start + ": " + (int)response.StatusCode + " " + await response.Content.ReadAsStringAsync(cancellationToken));
            }

            return Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken), size);
        }
        finally
        {
            gate.Release();
        }
    }

    private static List<float[]> Parse(byte[] answer, int size)
    {
        var vectors = new List<float[]>(size);
        var reader = new Utf8JsonReader(answer);
        var values = new List<float>();
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("embedding"u8))
            {
                continue;
            }

            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                byte[] bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(reader.ValueSpan.Length)];
                Base64.DecodeFromUtf8(reader.ValueSpan, bytes, out _, out int written);
                vectors.Add(MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, written)).ToArray());
                continue;
            }

            values.Clear();
            while (reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                values.Add(reader.GetSingle());
            }

            vectors.Add([.. values]);
        }

        return vectors.Count == size ? vectors : throw new JsonException("expected " + size + " embeddings, got " + vectors.Count);
    }
}
