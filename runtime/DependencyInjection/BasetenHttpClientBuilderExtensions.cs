using System;
using Baseten.Aot.Extensions.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Settings of the HttpClient of a client registered by <see cref="BasetenServiceCollectionExtensions"/>.</summary>
public static class BasetenHttpClientBuilderExtensions
{
    /// <summary>
    /// Keeps the client's own retries although its HttpClient has a resilience handler: for a
    /// handler that does not retry (a circuit breaker, a rate limiter, a timeout only). Without this,
    /// a client whose <c>Retry</c> allows more than one attempt refuses to be created beside a
    /// <c>ResilienceHandler</c> or a Polly policy handler, as each failure would be repeated by both.
    /// </summary>
    /// <param name="builder">The builder a registration of <see cref="BasetenServiceCollectionExtensions"/> returned.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="InvalidOperationException">The builder is not that of a client registered by <see cref="BasetenServiceCollectionExtensions"/>.</exception>
    public static IHttpClientBuilder KeepClientRetries(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ClientRegistry? registry = ClientRegistry.Find(builder.Services);
        if (registry is null || !registry.Names.Contains(builder.Name))
        {
            throw new InvalidOperationException("The HttpClient '" + builder.Name + "' is not that of a client registered by AddBasetenClient, AddBasetenInferenceClient or AddApiClient.");
        }

        registry.KeepsRetries.Add(builder.Name);
        return builder;
    }
}
