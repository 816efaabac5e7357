using System;
using System.Net.Http;
using Baseten.Aot;
using Baseten.Aot.Extensions.DependencyInjection;
using Baseten.Aot.Http;

// In the namespace of IServiceCollection, as Microsoft.Extensions' own registrations are, so that they are found without a using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers Baseten's clients, and clients generated from other OpenAPI documents, with an
/// <see cref="IServiceCollection"/>: each over a named HttpClient from IHttpClientFactory, with options
/// read from a configuration section (without reflection: trimming- and NativeAOT-clean) and then from code.
/// </summary>
/// <remarks>
/// <para>
/// Clients are transient, as typed clients are: each one resolved takes the current options (so a
/// reloaded configuration or a rotated key reaches the next one) and an HttpClient over the
/// factory's current handler, which the client never disposes. A client is cheap to create and safe
/// to share between threads; one held for long (by a singleton) still sees DNS changes, because the
/// connections of its handler are renewed every 5 minutes.
/// </para>
/// <para>
/// The HttpClient follows no redirect (a 3xx is a <see cref="BasetenApiException"/>, so a key never
/// follows a <c>Location</c> elsewhere) and has no timeout of its own (the retry policy's attempt
/// timeout governs), as the HttpClient a client creates for itself. Each method returns the
/// <see cref="IHttpClientBuilder"/>, to add handlers to; a client that retries refuses to be created
/// when a handler that retries too (Microsoft.Extensions.Http.Resilience, Polly) is in the pipeline
/// (see <see cref="BasetenHttpClientBuilderExtensions.KeepClientRetries"/>).
/// </para>
/// <para>
/// A mistake in configuration (no API key, a value that does not parse, a name that is not a
/// setting) is an <see cref="InvalidOperationException"/> naming the section, thrown when the client is resolved.
/// </para>
/// </remarks>
public static class BasetenServiceCollectionExtensions
{
    /// <summary>The configuration section the Baseten clients read unless told another: <c>Baseten</c>.</summary>
    public const string DefaultConfigurationSection = "Baseten";

    /// <summary>
    /// Registers a transient <see cref="BasetenClient"/>, with <see cref="BasetenClientOptions"/> read from
    /// <paramref name="configurationSection"/> (<c>ApiKey</c>, <c>BaseAddress</c>, <c>Retry:MaxAttempts</c>,
    /// <c>Retry:BaseDelay</c>, <c>Retry:MaxDelay</c>, <c>Retry:AttemptTimeout</c>, <c>Retry:RetryUnsafeMethods</c>)
    /// and then set by <paramref name="configure"/>. Without an <c>ApiKey</c>, the key comes from <c>BASETEN_API_KEY</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configurationSection">The configuration section to read; <c>Baseten</c> by default. It need not exist.</param>
    /// <param name="configure">Sets options in code, after the configuration is read.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <see cref="BasetenClient"/> without a key is already registered.</exception>
    public static IHttpClientBuilder AddBasetenClient(this IServiceCollection services, string configurationSection = DefaultConfigurationSection, Action<BasetenClientOptions>? configure = null)
        => AddBasetenClientCore(services, null, configurationSection, configure);

    /// <summary>
    /// Registers a transient <see cref="BasetenClient"/> with options read from the <c>Baseten</c>
    /// section, if there is one, and then set by <paramref name="configure"/>:
    /// <c>services.AddBasetenClient(o => o.ApiKey = key)</c>. The same as
    /// <see cref="AddBasetenClient(IServiceCollection, string, Action{BasetenClientOptions}?)"/> with the default section.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options in code, after the configuration is read.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <see cref="BasetenClient"/> without a key is already registered.</exception>
    public static IHttpClientBuilder AddBasetenClient(this IServiceCollection services, Action<BasetenClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddBasetenClientCore(services, null, DefaultConfigurationSection, configure);
    }

    /// <summary>
    /// Registers a transient <see cref="BasetenClient"/> under <paramref name="serviceKey"/> (a keyed
    /// service: <c>[FromKeyedServices("...")]</c>, <c>GetRequiredKeyedService</c>), for a second workspace.
    /// Its options are named <paramref name="serviceKey"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key, which also names the options and the HttpClient.</param>
    /// <param name="configurationSection">The configuration section to read.</param>
    /// <param name="configure">Sets options in code, after the configuration is read.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <see cref="BasetenClient"/> with this key is already registered.</exception>
    public static IHttpClientBuilder AddKeyedBasetenClient(this IServiceCollection services, string serviceKey, string configurationSection, Action<BasetenClientOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceKey);
        return AddBasetenClientCore(services, serviceKey, configurationSection, configure);
    }

    /// <summary>
    /// Registers a transient <see cref="BasetenClient"/> under <paramref name="serviceKey"/> with options
    /// set in code only, by <paramref name="configure"/>: no configuration section is read.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key, which also names the options and the HttpClient.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <see cref="BasetenClient"/> with this key is already registered.</exception>
    public static IHttpClientBuilder AddKeyedBasetenClient(this IServiceCollection services, string serviceKey, Action<BasetenClientOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        return AddBasetenClientCore(services, serviceKey, null, configure);
    }

    /// <summary>
    /// Registers a transient <see cref="BasetenInferenceClient"/>, with <see cref="BasetenInferenceClientOptions"/>
    /// read from <paramref name="configurationSection"/> (<c>ApiKey</c>, <c>ModelId</c> or <c>ChainId</c>,
    /// <c>Environment</c>, <c>BaseAddress</c>, <c>WakeOnColdStart</c>, <c>ColdStartTimeout</c>, and <c>Retry</c>
    /// as for <see cref="AddBasetenClient(IServiceCollection, string, Action{BasetenClientOptions}?)"/>) and then set by <paramref name="configure"/>. Without an
    /// <c>ApiKey</c>, the key comes from <c>BASETEN_API_KEY</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configurationSection">The configuration section to read; <c>Baseten</c> by default.</param>
    /// <param name="configure">Sets options in code, after the configuration is read.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <see cref="BasetenInferenceClient"/> without a key is already registered.</exception>
    public static IHttpClientBuilder AddBasetenInferenceClient(this IServiceCollection services, string configurationSection = DefaultConfigurationSection, Action<BasetenInferenceClientOptions>? configure = null)
        => AddBasetenInferenceClientCore(services, null, configurationSection, configure);

    /// <summary>
    /// Registers a transient <see cref="BasetenInferenceClient"/> with options read from the <c>Baseten</c>
    /// section, if there is one, and then set by <paramref name="configure"/>:
    /// <c>services.AddBasetenInferenceClient(o => o.ModelId = "abc123")</c>. The same as
    /// <see cref="AddBasetenInferenceClient(IServiceCollection, string, Action{BasetenInferenceClientOptions}?)"/> with the default section.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options in code, after the configuration is read.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <see cref="BasetenInferenceClient"/> without a key is already registered.</exception>
    public static IHttpClientBuilder AddBasetenInferenceClient(this IServiceCollection services, Action<BasetenInferenceClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddBasetenInferenceClientCore(services, null, DefaultConfigurationSection, configure);
    }

    /// <summary>
    /// Registers a transient <see cref="BasetenInferenceClient"/> under <paramref name="serviceKey"/>: one
    /// per model or chain an application calls (<c>[FromKeyedServices("summarizer")] BasetenInferenceClient summarizer</c>).
    /// Its options are named <paramref name="serviceKey"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key, which also names the options and the HttpClient.</param>
    /// <param name="configurationSection">The configuration section to read, e.g. <c>Baseten:Models:Summarizer</c>.</param>
    /// <param name="configure">Sets options in code, after the configuration is read.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <see cref="BasetenInferenceClient"/> with this key is already registered.</exception>
    public static IHttpClientBuilder AddKeyedBasetenInferenceClient(this IServiceCollection services, string serviceKey, string configurationSection, Action<BasetenInferenceClientOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceKey);
        return AddBasetenInferenceClientCore(services, serviceKey, configurationSection, configure);
    }

    /// <summary>
    /// Registers a transient <see cref="BasetenInferenceClient"/> under <paramref name="serviceKey"/> with
    /// options set in code only, by <paramref name="configure"/>: no configuration section is read.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key, which also names the options and the HttpClient.</param>
    /// <param name="configure">Sets the options (the model or chain among them).</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <see cref="BasetenInferenceClient"/> with this key is already registered.</exception>
    public static IHttpClientBuilder AddKeyedBasetenInferenceClient(this IServiceCollection services, string serviceKey, Action<BasetenInferenceClientOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        return AddBasetenInferenceClientCore(services, serviceKey, null, configure);
    }

    /// <summary>
    /// Registers a transient client generated from another OpenAPI document, created by
    /// <paramref name="create"/> (its <c>(HttpClient, ApiClientOptions)</c> constructor: <c>(http, options) => new PetsClient(http, options)</c>),
    /// with <see cref="ApiClientOptions"/> read from <paramref name="configurationSection"/> (<c>Credential</c>,
    /// <c>BaseAddress</c>, and <c>Retry</c> as for <see cref="AddBasetenClient(IServiceCollection, string, Action{BasetenClientOptions}?)"/>) and then set by
    /// <paramref name="configure"/>. Without a <c>Credential</c>, the client reads the environment
    /// variable its generator was told to (<c>BasetenCredentialVariable</c>), if any.
    /// </summary>
    /// <typeparam name="TClient">The client.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configurationSection">The configuration section to read.</param>
    /// <param name="create">Creates the client over the factory's HttpClient, which the client must not dispose (the generated constructor does not).</param>
    /// <param name="configure">Sets options in code, after the configuration is read.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <typeparamref name="TClient"/> without a key is already registered.</exception>
    public static IHttpClientBuilder AddApiClient<TClient>(this IServiceCollection services, string configurationSection, Func<HttpClient, ApiClientOptions, TClient> create, Action<ApiClientOptions>? configure = null)
        where TClient : class
        => AddApiClientCore(services, null, configurationSection, create, configure);

    /// <summary>
    /// Registers a transient client generated from another OpenAPI document, created by
    /// <paramref name="create"/>, with options set in code only, by <paramref name="configure"/>:
    /// no configuration section is read.
    /// </summary>
    /// <typeparam name="TClient">The client.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="create">Creates the client over the factory's HttpClient, which the client must not dispose (the generated constructor does not).</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <typeparamref name="TClient"/> without a key is already registered.</exception>
    public static IHttpClientBuilder AddApiClient<TClient>(this IServiceCollection services, Func<HttpClient, ApiClientOptions, TClient> create, Action<ApiClientOptions> configure)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddApiClientCore(services, null, null, create, configure);
    }

    /// <summary>
    /// Registers a transient client generated from another OpenAPI document under <paramref name="serviceKey"/>,
    /// as <see cref="AddApiClient{TClient}(IServiceCollection, string, Func{HttpClient, ApiClientOptions, TClient}, Action{ApiClientOptions}?)"/> does. Its options are named <paramref name="serviceKey"/>.
    /// </summary>
    /// <typeparam name="TClient">The client.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key, which also names the options and the HttpClient.</param>
    /// <param name="configurationSection">The configuration section to read.</param>
    /// <param name="create">Creates the client over the factory's HttpClient, which the client must not dispose.</param>
    /// <param name="configure">Sets options in code, after the configuration is read.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <typeparamref name="TClient"/> with this key is already registered.</exception>
    public static IHttpClientBuilder AddKeyedApiClient<TClient>(this IServiceCollection services, string serviceKey, string configurationSection, Func<HttpClient, ApiClientOptions, TClient> create, Action<ApiClientOptions>? configure = null)
        where TClient : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceKey);
        return AddApiClientCore(services, serviceKey, configurationSection, create, configure);
    }

    /// <summary>
    /// Registers a transient client generated from another OpenAPI document under <paramref name="serviceKey"/>,
    /// with options set in code only, by <paramref name="configure"/>: no configuration section is read.
    /// </summary>
    /// <typeparam name="TClient">The client.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key, which also names the options and the HttpClient.</param>
    /// <param name="create">Creates the client over the factory's HttpClient, which the client must not dispose.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <typeparamref name="TClient"/> with this key is already registered.</exception>
    public static IHttpClientBuilder AddKeyedApiClient<TClient>(this IServiceCollection services, string serviceKey, Func<HttpClient, ApiClientOptions, TClient> create, Action<ApiClientOptions> configure)
        where TClient : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        return AddApiClientCore(services, serviceKey, null, create, configure);
    }

    private static IHttpClientBuilder AddBasetenClientCore(IServiceCollection services, string? serviceKey, string? configurationSection, Action<BasetenClientOptions>? configure)
        => ClientRegistration.Add<BasetenClient, BasetenClientOptions>(
            services,
            serviceKey,
            configurationSection,
            ClientConfiguration.Apply,
            configure,
            static options => options.Retry,
            static (options, section) => RequireApiKey(options.ApiKey, section),
            static (http, options) => new BasetenClient(http, options));

    private static IHttpClientBuilder AddBasetenInferenceClientCore(IServiceCollection services, string? serviceKey, string? configurationSection, Action<BasetenInferenceClientOptions>? configure)
        => ClientRegistration.Add<BasetenInferenceClient, BasetenInferenceClientOptions>(
            services,
            serviceKey,
            configurationSection,
            ClientConfiguration.Apply,
            configure,
            static options => options.Retry,
            static (options, section) => RequireApiKey(options.ApiKey, section),
            static (http, options) => new BasetenInferenceClient(http, options));

    private static IHttpClientBuilder AddApiClientCore<TClient>(IServiceCollection services, string? serviceKey, string? configurationSection, Func<HttpClient, ApiClientOptions, TClient> create, Action<ApiClientOptions>? configure)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(create);
        return ClientRegistration.Add<TClient, ApiClientOptions>(
            services,
            serviceKey,
            configurationSection,
            ClientConfiguration.Apply,
            configure,
            static options => options.Retry,
            null,
            create);
    }

    // The client would say "set BasetenClientOptions.ApiKey"; here the key may be a configuration value.
    private static void RequireApiKey(string? apiKey, string? configurationSection)
    {
        if (apiKey is null && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(BasetenClientOptions.ApiKeyEnvironmentVariable)))
        {
            throw new InvalidOperationException(configurationSection is null
                ? "no API key: set ApiKey in code or the " + BasetenClientOptions.ApiKeyEnvironmentVariable + " environment variable."
                : "no API key: set '" + configurationSection + ":ApiKey' in configuration, the " + BasetenClientOptions.ApiKeyEnvironmentVariable + " environment variable, or ApiKey in code.");
        }
    }
}
