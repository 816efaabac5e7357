using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Baseten.Aot.Tests.Mockable;

namespace Baseten.Aot.Tests;

/// <summary>
/// Mockable/shop.openapi.yaml, and Baseten's inference client, through their interfaces: a service
/// written against <c>IShopClient</c> or <c>IBasetenInferenceClient</c> is tested with a fake (no
/// server, no HTTP), and the real clients are those interfaces, so the same service runs on them.
/// </summary>
public sealed class MockableClientTests
{
    [Fact]
    public async Task AServiceOverIShopClient_IsTestedWithAHandWrittenFake_ThroughTheWalker()
    {
        var fake = new FakeShop
        {
            Pages =
            {
                [string.Empty] = new ProductPage { Items = [new Product { Id = "a", Price = 1.10m }, new Product { Id = "b", Price = 2.25m }], NextCursor = "p2" },
                ["p2"] = new ProductPage { Items = [new Product { Id = "c", Price = 0.65m }], NextCursor = null },
            },
        };

        decimal total = await new Catalog(fake).TotalAsync(CancellationToken.None);

        Assert.Equal(4.00m, total);
        Assert.Equal(["", "p2"], fake.CursorsAsked);
    }

    [Fact]
    public async Task AServiceOverIShopClient_ReadsTheFakesStream_AndStopsAtTheFirstMatch()
    {
        var fake = new FakeShop { Prices = [9.99m, 8.50m, 7.00m, 6.00m] };

        decimal? price = await new Catalog(fake).FirstPriceAtOrBelowAsync("a", 7.50m, CancellationToken.None);

        Assert.Equal(7.00m, price);
        Assert.Equal(3, fake.PricesRead);
    }

    [Fact]
    public async Task TheGeneratedClient_IsItsInterface_AndTheServiceRunsOnItOverHttp()
    {
        var handler = new CapturingHandler(HttpStatusCode.OK, """{"items":[{"id":"a","price":12345678901234567.89}],"next_cursor":null}""");
        using var client = new ShopClient(InMemoryTransport.Over(handler, "https://formats.example/"));

        decimal total = await new Catalog(client).TotalAsync(CancellationToken.None);

        Assert.Equal(12345678901234567.89m, total);
        Assert.Equal("https://formats.example/products", handler.Single().Request.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public void TheGeneratedInterface_DeclaresEveryPublicInstanceMethodOfTheClient_ButDispose()
    {
        string[] clientMethods = typeof(ShopClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.Name != nameof(IDisposable.Dispose)).Select(m => m.ToString()!).Order().ToArray();
        InterfaceMapping map = typeof(ShopClient).GetInterfaceMap(typeof(IShopClient));

        Assert.Equal(["GetLegacyAsync", "GetProductAsync", "ListProductsAsync", "ListProductsAutoPagingAsync", "WatchPriceAsync"], typeof(IShopClient).GetMethods().Select(m => m.Name).Order());
        Assert.Equal(clientMethods, map.TargetMethods.Select(m => m.ToString()!).Order());
    }

    [Fact]
    public async Task AServiceOverIBasetenInferenceClient_IsTestedWithAFake_AndTheClientIsTheInterface()
    {
        var fake = InterfaceFake.Create<IBasetenInferenceClient>((method, arguments) =>
        {
            // The one call the service makes: predict, with the caller's own types.
            Assert.Equal(nameof(IBasetenInferenceClient.PredictAsync), method.Name);
            var input = Assert.IsType<SummaryRequest>(arguments[0]);
            Assert.Same(PredictTarget.Development, arguments[3]);
            return Task.FromResult(new SummaryResponse { Summary = input.Text.Split(' ')[0] + "..." });
        });

        string summary = await new Summarizer(fake).SummarizeAsync("hello wide world", CancellationToken.None);

        Assert.Equal("hello...", summary);
        Assert.True(typeof(IBasetenInferenceClient).IsAssignableFrom(typeof(BasetenInferenceClient)));
        Assert.True(typeof(IBasetenClient).IsAssignableFrom(typeof(BasetenClient)));
        Assert.True(typeof(IBasetenChatClient).IsAssignableFrom(typeof(BasetenChatClient)));
    }

    [Theory]
    [InlineData(typeof(BasetenClient), typeof(IBasetenClient))]
    [InlineData(typeof(BasetenInferenceClient), typeof(IBasetenInferenceClient))]
    [InlineData(typeof(BasetenChatClient), typeof(IBasetenChatClient))]
    public void BasetensClients_DeclareTheirWholePublicInstanceSurface_OnTheirInterface(Type client, Type contract)
    {
        // Everything a service calls: the members that are not construction, static, or Dispose.
        string[] surface = client.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m is MethodInfo { IsSpecialName: false } or PropertyInfo)
            .Where(m => m.Name != nameof(IDisposable.Dispose))
            .Select(m => m.ToString()!).Order().ToArray();
        InterfaceMapping map = client.GetInterfaceMap(contract);
        string[] implemented = map.TargetMethods.Where(m => !m.IsSpecialName).Select(m => m.ToString()!)
            .Concat(client.GetProperties().Where(p => p.GetMethod is { } getter && map.TargetMethods.Contains(getter)).Select(p => p.ToString()!))
            .Order().ToArray();

        Assert.NotEmpty(surface);
        Assert.Equal(surface, implemented);
    }

    // A service of the kind an application writes: it takes the interface, never the client.
    private sealed class Catalog(IShopClient shop)
    {
        public async Task<decimal> TotalAsync(CancellationToken cancellationToken)
        {
            decimal total = 0;
            await foreach (Product product in shop.ListProductsAutoPagingAsync(cancellationToken: cancellationToken))
            {
                total += product.Price;
            }

            return total;
        }

        public async Task<decimal?> FirstPriceAtOrBelowAsync(string id, decimal limit, CancellationToken cancellationToken)
        {
            await foreach (Product product in shop.WatchPriceAsync(id, cancellationToken: cancellationToken))
            {
                if (product.Price <= limit)
                {
                    return product.Price;
                }
            }

            return null;
        }
    }

    // A hand-written fake: no mocking library, only the members the tests use do anything.
    private sealed class FakeShop : IShopClient
    {
        public Dictionary<string, ProductPage> Pages { get; } = [];

        public List<string> CursorsAsked { get; } = [];

        public decimal[] Prices { get; init; } = [];

        public int PricesRead { get; private set; }

        public Task<ProductPage> ListProductsAsync(string? cursor = null, ApiCallOptions? options = null, CancellationToken cancellationToken = default)
        {
            CursorsAsked.Add(cursor ?? string.Empty);
            return Task.FromResult(Pages[cursor ?? string.Empty]);
        }

        public async IAsyncEnumerable<Product> ListProductsAutoPagingAsync(ApiCallOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (string? cursor = null; ;)
            {
                ProductPage page = await ListProductsAsync(cursor, options, cancellationToken);
                foreach (Product product in page.Items)
                {
                    yield return product;
                }

                if ((cursor = page.NextCursor) is null)
                {
                    yield break;
                }
            }
        }

        public async IAsyncEnumerable<Product> WatchPriceAsync(string id, ApiCallOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (decimal price in Prices)
            {
                await Task.Yield();
                PricesRead++;
                yield return new Product { Id = id, Price = price };
            }
        }

        public Task<Product> GetProductAsync(string id, ApiCallOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        [Obsolete("As the interface's member.")]
        public Task GetLegacyAsync(ApiCallOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();
    }

    private sealed class Summarizer(IBasetenInferenceClient model)
    {
        public async Task<string> SummarizeAsync(string text, CancellationToken cancellationToken)
        {
            SummaryResponse response = await model.PredictAsync(new SummaryRequest { Text = text }, SummaryJson.Default.SummaryRequest, SummaryJson.Default.SummaryResponse, PredictTarget.Development, cancellationToken);
            return response.Summary;
        }
    }

    // IBasetenInferenceClient has some sixty members; a test that needs one of them can answer it
    // through DispatchProxy (in the box, reflection is fine in a test) instead of writing them all.
    // Any other call fails the test.
    public static class InterfaceFake
    {
        public static T Create<T>(Func<MethodInfo, object?[], object?> answer)
            where T : class
        {
            T proxy = DispatchProxy.Create<T, AnsweringProxy>();
            ((AnsweringProxy)(object)proxy).Answer = answer;
            return proxy;
        }
    }

    public class AnsweringProxy : DispatchProxy
    {
        internal Func<MethodInfo, object?[], object?> Answer { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => Answer(targetMethod!, args ?? []);
    }
}

internal sealed class SummaryRequest
{
    public required string Text { get; init; }
}

internal sealed class SummaryResponse
{
    public required string Summary { get; init; }
}

[JsonSerializable(typeof(SummaryRequest))]
[JsonSerializable(typeof(SummaryResponse))]
internal sealed partial class SummaryJson : JsonSerializerContext;
