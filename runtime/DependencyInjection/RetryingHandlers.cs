using System;
using System.Collections.Concurrent;
using System.Net.Http;
using Microsoft.Extensions.Http;

namespace Baseten.Aot.Extensions.DependencyInjection;

/// <summary>
/// Which named HttpClients have a handler in their pipeline that can repeat a request: a resilience
/// handler (Microsoft.Extensions.Http.Resilience) or a Polly policy handler (Microsoft.Extensions.Http.Polly).
/// Filled as the factory builds each pipeline, so that a client which retries too can refuse to be
/// created rather than multiply attempts silently. One per service provider.
/// </summary>
internal sealed class RetryingHandlers
{
    // By name, so that this package references neither: both types are public, and their names are
    // part of their packages' public API. A subclass is found through its base types.
    private static readonly string[] s_retryingTypes =
    [
        "Microsoft.Extensions.Http.Resilience.ResilienceHandler",
        "Microsoft.Extensions.Http.PolicyHttpMessageHandler",
    ];

    private readonly ConcurrentDictionary<string, string> _byClient = new(StringComparer.Ordinal);

    /// <summary>The type of the retrying handler in the pipeline of the client named <paramref name="httpClientName"/>, or null.</summary>
    public string? Find(string httpClientName) => _byClient.TryGetValue(httpClientName, out string? handler) ? handler : null;

    public void Inspect(HttpMessageHandlerBuilder builder)
    {
        if (builder.Name is not { } name)
        {
            return;
        }

        foreach (DelegatingHandler handler in builder.AdditionalHandlers)
        {
            for (Type? type = handler.GetType(); type is not null && type != typeof(DelegatingHandler); type = type.BaseType)
            {
                if (type.FullName is { } typeName && Array.IndexOf(s_retryingTypes, typeName) >= 0)
                {
                    _byClient[name] = typeName;
                    return;
                }
            }
        }
    }
}

/// <summary>Lets <see cref="RetryingHandlers"/> see each pipeline once every configuration action has added its handlers.</summary>
internal sealed class RetryingHandlerFilter(RetryingHandlers handlers) : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return builder =>
        {
            next(builder);
            handlers.Inspect(builder);
        };
    }
}
