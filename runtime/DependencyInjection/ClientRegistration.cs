using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http;
using System.Threading;
using Baseten.Aot.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Baseten.Aot.Extensions.DependencyInjection;

/// <summary>
/// What every registration does, whichever the client: a named HttpClient from the factory set up
/// as the runtime sets up its own, options bound from a configuration section and then from code,
/// and a transient client built from the two, with every configuration mistake reported as one
/// <see cref="InvalidOperationException"/> when the client is resolved.
/// </summary>
internal static class ClientRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TClient"/>, and <typeparamref name="TService"/> (its interface)
    /// as the same registration: resolving the interface resolves the client, with its lifetime and
    /// key. <paramref name="keyed"/> requires a key; without a section, <paramref name="configure"/> is required.
    /// </summary>
    public static IHttpClientBuilder Add<TService, TClient, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        IServiceCollection services,
        ClientOptionsKind<TOptions> kind,
        bool keyed,
        string? serviceKey,
        string? configurationSection,
        Action<TOptions>? configure,
        Func<HttpClient, TOptions, TClient> create)
        where TService : class
        where TClient : class, TService
        where TOptions : class
    {
        if (keyed)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(serviceKey);
        }

        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(create);
        if (configurationSection is null)
        {
            // Options set in code only: without the code there would be none.
            ArgumentNullException.ThrowIfNull(configure);
        }
        else
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(configurationSection);
        }

        string clientType = typeof(TClient).FullName ?? typeof(TClient).Name;
        string httpClientName = serviceKey is null ? clientType : clientType + ":" + serviceKey;
        string optionsName = serviceKey ?? Options.DefaultName;
        string subject = serviceKey is null ? typeof(TClient).Name : typeof(TClient).Name + " '" + serviceKey + "'";
        ClientRegistry registry = ClientRegistry.Of(services);
        if (!registry.Names.Add(httpClientName))
        {
            throw new InvalidOperationException(subject + " is already registered; register another one under a key of its own (the AddKeyed... methods).");
        }

        // Options: the section first, then the caller's code, so that code wins over configuration.
        // Without a section (options set in code only) or without an IConfiguration in the container
        // (a bare ServiceCollection), code is all there is.
        OptionsBuilder<TOptions> options = services.AddOptions<TOptions>(optionsName)
            .Configure<IServiceProvider>((value, provider) =>
            {
                if (configurationSection is not null && provider.GetService<IConfiguration>() is { } configuration)
                {
                    kind.Bind(configuration.GetSection(configurationSection), value);
                }
            });
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // A configuration reload (appsettings.json edited, a rotated key) reaches the next client resolved.
        services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(provider => new ReloadTokenSource<TOptions>(optionsName, provider.GetService<IConfiguration>()));

        services.TryAddSingleton<RetryingHandlers>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, RetryingHandlerFilter>(
            provider => new RetryingHandlerFilter(provider.GetRequiredService<RetryingHandlers>())));

        // As the runtime's own HttpClient: no redirect is followed (a 3xx is an answer, not a new
        // request to send the key and body to), connections are renewed so DNS changes are seen even
        // by a client held for long, and HttpClient's own 100 s timeout is off because the retry
        // policy's attempt timeout governs (a longer one would otherwise be cut short, and not as a TimeoutException).
        IHttpClientBuilder http = services.AddHttpClient(httpClientName)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan);

        TClient Create(IServiceProvider provider)
        {
            TOptions value;
            try
            {
                value = provider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(optionsName);
                kind.Check?.Invoke(value, configurationSection);
            }
            catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
            {
                throw Misconfigured(subject, configurationSection, exception);
            }

            HttpClient httpClient = provider.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName);
            if (kind.RetryOf(value) is { MaxAttempts: > 1 } retry
                && !registry.KeepsRetries.Contains(httpClientName)
                && provider.GetRequiredService<RetryingHandlers>().Find(httpClientName) is { } handler)
            {
                throw new InvalidOperationException(
                    subject + " retries (up to " + retry.MaxAttempts + " attempts) and its HttpClient has a " + handler
                    + " that can retry too, so one failure would be repeated by both. Turn one off: the client's, with Retry = RetryPolicy.None"
                    + (configurationSection is null ? string.Empty : " (in configuration, '" + configurationSection + ":Retry:MaxAttempts' = 1)")
                    + ", or, when that handler does not retry (a circuit breaker, a rate limiter), call KeepClientRetries() on the IHttpClientBuilder.");
            }

            try
            {
                return create(httpClient, value);
            }
            catch (ArgumentException exception)
            {
                throw Misconfigured(subject, configurationSection, exception);
            }
        }

        // Transient, as typed clients are: each resolution reads the current options and takes an
        // HttpClient over the factory's current handler; the client never disposes that HttpClient.
        if (serviceKey is null)
        {
            services.AddTransient(Create);
        }
        else
        {
            services.AddKeyedTransient(serviceKey, (provider, _) => Create(provider));
        }

        // The interface is the client's own registration under a second type: same lifetime, same key.
        if (typeof(TService) != typeof(TClient))
        {
            if (serviceKey is null)
            {
                services.AddTransient<TService>(static provider => provider.GetRequiredService<TClient>());
            }
            else
            {
                services.AddKeyedTransient<TService>(serviceKey, static (provider, key) => provider.GetRequiredKeyedService<TClient>(key));
            }
        }

        return http;
    }

    private static InvalidOperationException Misconfigured(string subject, string? configurationSection, Exception exception)
        => new("Cannot create " + subject + (configurationSection is null ? " (options set in code)" : " (configuration section '" + configurationSection + "')") + ": " + exception.Message, exception);

    // The configuration's reload token, or one that never fires when there is no configuration.
    private sealed class ReloadTokenSource<TOptions>(string name, IConfiguration? configuration) : IOptionsChangeTokenSource<TOptions>
    {
        public string? Name => name;

        public IChangeToken GetChangeToken() => configuration?.GetReloadToken() ?? new CancellationChangeToken(CancellationToken.None);
    }
}

/// <summary>What differs between clients' registrations: how their options are read from a section, what retry policy they hold, and what is checked before a client is created.</summary>
internal sealed class ClientOptionsKind<TOptions>(
    Action<IConfigurationSection, TOptions> bind,
    Func<TOptions, RetryPolicy?> retryOf,
    Action<TOptions, string?>? check)
{
    public Action<IConfigurationSection, TOptions> Bind { get; } = bind;

    public Func<TOptions, RetryPolicy?> RetryOf { get; } = retryOf;

    public Action<TOptions, string?>? Check { get; } = check;
}

/// <summary>The clients registered in one service collection, by HttpClient name, and those that keep their own retries beside a retrying handler.</summary>
internal sealed class ClientRegistry
{
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    public HashSet<string> KeepsRetries { get; } = new(StringComparer.Ordinal);

    public static ClientRegistry Of(IServiceCollection services) => Find(services) ?? Add(services);

    public static ClientRegistry? Find(IServiceCollection services)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(ClientRegistry) && !descriptor.IsKeyedService)
            {
                return (ClientRegistry?)descriptor.ImplementationInstance;
            }
        }

        return null;
    }

    private static ClientRegistry Add(IServiceCollection services)
    {
        var registry = new ClientRegistry();
        services.AddSingleton(registry);
        return registry;
    }
}
