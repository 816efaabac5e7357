using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot.Tests;

/// <summary>Tests that measure the whole process's heap: they run alone, after every parallel test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemory
{
    public const string Name = "Process memory";
}

/// <summary>
/// A body refused at its limit gives its memory back. The shared array pool keeps what it is given
/// through a full GC, so a buffer grown to hold a hostile body and then pooled would stay for the
/// life of the process (64 MiB after one refused 33 MiB JSON body, more after each on another thread).
/// Three bombs in a row, then a full GC: the heap is back within a bound far under one such buffer.
/// </summary>
[Collection(ProcessMemory.Name)]
public sealed class RefusedBodyMemoryTests
{
    private const int Bombs = 3;

    // Well above noise (a few MiB of caches and connections), well below one pooled 32 or 64 MiB buffer.
    private const long Bound = 16 * 1024 * 1024;

    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);
    private static readonly byte[] s_chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));

    private static ApiTransport Transport(RawSocketServer server) => ApiTransport.Create(null, server.BaseAddress, ApiAuthorization.Bearer("k"), RetryPolicy.None);

    private static ApiRequest Get() => new(HttpMethod.Get, "/v1/x", "/v1/x");

    private static long HeapAfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    // A 33 MiB body that is one JSON string (the reader must hold the whole token), without a
    // Content-Length, so that it has to be read to be refused.
    private static RawSocketServer JsonBomb() => RawSocketServer.Start(async c =>
    {
        await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"text\":\"");
        await c.RepeatAsync(s_chunk, 33L * 1024 * 1024);
    });

    private static async Task<long> GrowthAfterBombsAsync(Func<Task> warmUp, Func<Task> bomb)
    {
        await warmUp().WaitAsync(s_bound);
        long before = HeapAfterFullCollection();
        for (int i = 0; i < Bombs; i++)
        {
            // Each on a thread-pool thread of its own choosing, as calls in a server would be.
            await Task.Run(bomb).WaitAsync(s_bound);
        }

        return HeapAfterFullCollection() - before;
    }

    [Fact]
    public async Task RefusedJsonBody_LeavesNothingBehind()
    {
        await using RawSocketServer small = RawSocketServer.Start("HTTP/1.1 200 OK\r\nContent-Length: 23\r\n\r\n{\"text\":\"ok\",\"index\":1}");
        await using RawSocketServer bomb = JsonBomb();

        long growth = await GrowthAfterBombsAsync(
            async () =>
            {
                using ApiTransport transport = Transport(small);
                await transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None);
            },
            async () =>
            {
                using ApiTransport transport = Transport(bomb);
                ApiException exception = await Assert.ThrowsAsync<ApiException>(() => transport.SendJsonAsync(Get(), TestJsonContext.Default.Token, CancellationToken.None));
                Assert.Contains("larger than 32 MiB", exception.Message, StringComparison.Ordinal);
            });

        Assert.True(growth < Bound, "the heap grew by " + growth / (1024 * 1024) + " MiB after " + Bombs + " refused bodies and a full GC");
    }

    [Fact]
    public async Task RefusedJsonBody_ReadFromAnApiResponse_LeavesNothingBehind()
    {
        await using RawSocketServer small = RawSocketServer.Start("HTTP/1.1 200 OK\r\nContent-Length: 23\r\n\r\n{\"text\":\"ok\",\"index\":1}");
        await using RawSocketServer bomb = JsonBomb();

        long growth = await GrowthAfterBombsAsync(
            async () =>
            {
                using ApiTransport transport = Transport(small);
                using ApiResponse response = await transport.SendAsync(Get(), CancellationToken.None);
                await response.ReadJsonAsync(TestJsonContext.Default.Token, CancellationToken.None);
            },
            async () =>
            {
                using ApiTransport transport = Transport(bomb);
                using ApiResponse response = await transport.SendAsync(Get(), CancellationToken.None);
                await Assert.ThrowsAsync<ApiException>(() => response.ReadJsonAsync(TestJsonContext.Default.Token, CancellationToken.None));
            });

        Assert.True(growth < Bound, "the heap grew by " + growth / (1024 * 1024) + " MiB after " + Bombs + " refused bodies and a full GC");
    }

    [Fact]
    public async Task RefusedEvent_LeavesNothingBehind()
    {
        byte[] line = Encoding.ASCII.GetBytes("data: " + new string('x', 1000 * 1000) + "\n");
        await using RawSocketServer small = RawSocketServer.Start("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 10\r\n\r\ndata: a\n\n\n");
        await using RawSocketServer bomb = RawSocketServer.Start(async c =>
        {
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n");
            await c.RepeatAsync(line, 34L * 1024 * 1024);
        });

        long growth = await GrowthAfterBombsAsync(
            async () =>
            {
                using ApiTransport transport = Transport(small);
                await ReadAllAsync(transport.SendEventsAsync(Get(), CancellationToken.None));
            },
            async () =>
            {
                using ApiTransport transport = Transport(bomb);
                ApiException exception = await Assert.ThrowsAsync<ApiException>(() => ReadAllAsync(transport.SendEventsAsync(Get(), CancellationToken.None)));
                Assert.Contains("an event is larger than 32 MiB", exception.Message, StringComparison.Ordinal);
            });

        Assert.True(growth < Bound, "the heap grew by " + growth / (1024 * 1024) + " MiB after " + Bombs + " refused events and a full GC");
    }

    private static async Task<List<T>> ReadAllAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (T item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
