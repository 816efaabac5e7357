using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Baseten.Aot.Extensions.Tests;

/// <summary>A request as it left the HttpClient pipeline, at the primary handler.</summary>
internal sealed record SentRequest(HttpMethod Method, Uri Uri, string? Authorization, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A fake primary handler: records each request as it would go on the wire and answers with what
/// the test scripts (by attempt number, from 1).
/// </summary>
internal sealed class RecordingHandler(Func<SentRequest, int, HttpResponseMessage> respond) : HttpMessageHandler
{
    private readonly ConcurrentQueue<SentRequest> _sent = new();

    public RecordingHandler(string json)
        : this((_, _) => Json(HttpStatusCode.OK, json))
    {
    }

    public IReadOnlyList<SentRequest> Sent => _sent.ToArray();

    public static HttpResponseMessage Json(HttpStatusCode status, string json)
        => new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var sent = new SentRequest(
            request.Method,
            request.RequestUri!,
            request.Headers.TryGetValues("Authorization", out IEnumerable<string>? values) ? values.Single() : null,
            request.Headers.ToDictionary(header => header.Key, header => string.Join(", ", header.Value), StringComparer.OrdinalIgnoreCase),
            body);
        _sent.Enqueue(sent);
        return respond(sent, _sent.Count);
    }
}

internal static class TestHost
{
    public const string ChainEnvironmentJson = """
        {"name":"staging","created_at":"2026-08-22T10:15:30+00:00","chain_id":"abc",
         "promotion_settings":{"promotion_cleanup_strategy":"KEEP"},"chainlet_settings":[],"current_deployment":null}
        """;

    /// <summary>A provider over in-memory configuration, validated as a host validates it in development.</summary>
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?> configuration, Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        register(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static Task<ChainEnvironmentV1> CreateEnvironmentAsync(BasetenClient client)
        => client.CreateChainEnvironmentAsync("abc", new CreateChainEnvironmentRequestV1 { Name = "staging" });
}
