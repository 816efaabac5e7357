using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

// The floor: what a careful person writes by hand for the same job. HttpClient, batches of 128,
// a semaphore for the concurrency, the same window of 2 x concurrency batches consumed in order,
// each answer read whole into a pooled buffer and parsed with a Utf8JsonReader loop straight into
// one float[] per batch. No retries, no hedging, no checks beyond what reading needs.
// Usage: FloorApp <base-url> <inputs> <concurrency> <float|base64>
var address = new Uri(new Uri(args[0]), "environments/production/sync/v1/embeddings");
int count = int.Parse(args[1], CultureInfo.InvariantCulture);
int concurrency = int.Parse(args[2], CultureInfo.InvariantCulture);
bool base64 = args[3] == "base64";
const int BatchSize = 128;
string[] inputs = new string[count];
for (int i = 0; i < count; i++)
{
    inputs[i] = "benchmark input text number " + i.ToString(CultureInfo.InvariantCulture);
}

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { Timeout = TimeSpan.FromMinutes(10) };
using var gate = new SemaphoreSlim(concurrency);
ArrayPool<byte> pool = ArrayPool<byte>.Create(32 * 1024 * 1024, 64);

async Task<float[]> SendAsync(int start, int size)
{
    await gate.WaitAsync();
    try
    {
        var body = new ArrayBufferWriter<byte>(size * 48);
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("input");
            for (int i = start; i < start + size; i++)
            {
                writer.WriteStringValue(inputs[i]);
            }

            writer.WriteEndArray();
            writer.WriteString("model", "model");
            writer.WriteString("encoding_format", base64 ? "base64" : "float");
            writer.WriteEndObject();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = new ReadOnlyMemoryContent(body.WrittenMemory) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer benchmark-key");
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        int length = (int)(response.Content.Headers.ContentLength ?? throw new InvalidDataException("no length"));
        byte[] buffer = pool.Rent(length);
        try
        {
            using (Stream stream = await response.Content.ReadAsStreamAsync())
            {
                await stream.ReadExactlyAsync(buffer.AsMemory(0, length));
            }

            return Parse(buffer.AsSpan(0, length), size);
        }
        finally
        {
            pool.Return(buffer);
        }
    }
    finally
    {
        gate.Release();
    }
}

static float[] Parse(ReadOnlySpan<byte> json, int size)
{
    const int Dimensions = 1024;
    float[] vectors = GC.AllocateUninitializedArray<float>(size * Dimensions);
    var reader = new Utf8JsonReader(json);
    int row = -1;
    while (reader.Read())
    {
        if (reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("embedding"u8))
        {
            continue;
        }

        row++;
        reader.Read();
        Span<float> destination = vectors.AsSpan(row * Dimensions, Dimensions);
        if (reader.TokenType == JsonTokenType.String)
        {
            Base64.DecodeFromUtf8(reader.ValueSpan, MemoryMarshal.AsBytes(destination), out _, out _);
        }
        else
        {
            int k = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                destination[k++] = reader.GetSingle();
            }
        }
    }

    return vectors;
}

var clock = Stopwatch.StartNew();
var window = new Queue<(int Start, int Size, Task<float[]> Task)>();
int next = 0;
double checksum = 0;
int seen = 0;
while (true)
{
    while (window.Count < 2 * concurrency && next < count)
    {
        int size = Math.Min(BatchSize, count - next);
        window.Enqueue((next, size, SendAsync(next, size)));
        next += size;
    }

    if (!window.TryDequeue(out var head))
    {
        break;
    }

    float[] vectors = await head.Task;
    for (int i = 0; i < head.Size; i++)
    {
        checksum += vectors[i * 1024];
        seen++;
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"floor {seen} vectors in {clock.Elapsed.TotalSeconds:F2} s (checksum {checksum:F3})"));
