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
public static partial class BasetenServiceCollectionExtensions
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
        => Baseten(services, false, null, configurationSection ?? throw new ArgumentNullException(nameof(configurationSection)), configure);

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
        => Baseten(services, false, null, DefaultConfigurationSection, configure ?? throw new ArgumentNullException(nameof(configure)));

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
        => Baseten(services, true, serviceKey, configurationSection ?? throw new ArgumentNullException(nameof(configurationSection)), configure);

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
        => Baseten(services, true, serviceKey, null, configure);

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
        => Inference(services, false, null, configurationSection ?? throw new ArgumentNullException(nameof(configurationSection)), configure);

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
        => Inference(services, false, null, DefaultConfigurationSection, configure ?? throw new ArgumentNullException(nameof(configure)));

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
        => Inference(services, true, serviceKey, configurationSection ?? throw new ArgumentNullException(nameof(configurationSection)), configure);

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
        => Inference(services, true, serviceKey, null, configure);

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
        => AddApiClient<TClient, TClient>(services, configurationSection, create, configure);

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
        => AddApiClient<TClient, TClient>(services, create, configure);

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
        => AddKeyedApiClient<TClient, TClient>(services, serviceKey, configurationSection, create, configure);

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
        => AddKeyedApiClient<TClient, TClient>(services, serviceKey, create, configure);

    /// <summary>
    /// Registers a transient client generated from another OpenAPI document, and its interface
    /// <typeparamref name="TService"/> (<c>IPetsClient</c>, which the generator writes beside it) as the same
    /// registration: a service that takes the interface gets the client, and a test gives it a fake.
    /// Otherwise as <see cref="AddApiClient{TClient}(IServiceCollection, string, Func{HttpClient, ApiClientOptions, TClient}, Action{ApiClientOptions}?)"/>.
    /// </summary>
    /// <typeparam name="TService">The client's interface.</typeparam>
    /// <typeparam name="TClient">The client.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configurationSection">The configuration section to read.</param>
    /// <param name="create">Creates the client over the factory's HttpClient, which the client must not dispose (the generated constructor does not).</param>
    /// <param name="configure">Sets options in code, after the configuration is read.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <typeparamref name="TClient"/> without a key is already registered.</exception>
    public static IHttpClientBuilder AddApiClient<TService, TClient>(this IServiceCollection services, string configurationSection, Func<HttpClient, ApiClientOptions, TClient> create, Action<ApiClientOptions>? configure = null)
        where TService : class
        where TClient : class, TService
        => ApiClient<TService, TClient>(services, false, null, configurationSection ?? throw new ArgumentNullException(nameof(configurationSection)), create, configure);

    /// <summary>
    /// Registers a transient client generated from another OpenAPI document and its interface
    /// <typeparamref name="TService"/>, as the same registration, with options set in code only.
    /// </summary>
    /// <typeparam name="TService">The client's interface.</typeparam>
    /// <typeparam name="TClient">The client.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="create">Creates the client over the factory's HttpClient, which the client must not dispose (the generated constructor does not).</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <typeparamref name="TClient"/> without a key is already registered.</exception>
    public static IHttpClientBuilder AddApiClient<TService, TClient>(this IServiceCollection services, Func<HttpClient, ApiClientOptions, TClient> create, Action<ApiClientOptions> configure)
        where TService : class
        where TClient : class, TService
        => ApiClient<TService, TClient>(services, false, null, null, create, configure);

    /// <summary>
    /// Registers a transient client generated from another OpenAPI document and its interface
    /// <typeparamref name="TService"/> under <paramref name="serviceKey"/>, as the same keyed registration.
    /// Its options are named <paramref name="serviceKey"/>.
    /// </summary>
    /// <typeparam name="TService">The client's interface.</typeparam>
    /// <typeparam name="TClient">The client.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key, which also names the options and the HttpClient.</param>
    /// <param name="configurationSection">The configuration section to read.</param>
    /// <param name="create">Creates the client over the factory's HttpClient, which the client must not dispose.</param>
    /// <param name="configure">Sets options in code, after the configuration is read.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <typeparamref name="TClient"/> with this key is already registered.</exception>
    public static IHttpClientBuilder AddKeyedApiClient<TService, TClient>(this IServiceCollection services, string serviceKey, string configurationSection, Func<HttpClient, ApiClientOptions, TClient> create, Action<ApiClientOptions>? configure = null)
        where TService : class
        where TClient : class, TService
        => ApiClient<TService, TClient>(services, true, serviceKey, configurationSection ?? throw new ArgumentNullException(nameof(configurationSection)), create, configure);

    /// <summary>
    /// Registers a transient client generated from another OpenAPI document and its interface
    /// <typeparamref name="TService"/> under <paramref name="serviceKey"/>, as the same keyed registration,
    /// with options set in code only.
    /// </summary>
    /// <typeparam name="TService">The client's interface.</typeparam>
    /// <typeparam name="TClient">The client.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key, which also names the options and the HttpClient.</param>
    /// <param name="create">Creates the client over the factory's HttpClient, which the client must not dispose.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <typeparamref name="TClient"/> with this key is already registered.</exception>
    public static IHttpClientBuilder AddKeyedApiClient<TService, TClient>(this IServiceCollection services, string serviceKey, Func<HttpClient, ApiClientOptions, TClient> create, Action<ApiClientOptions> configure)
        where TService : class
        where TClient : class, TService
        => ApiClient<TService, TClient>(services, true, serviceKey, null, create, configure);

    // Each client's registration, whichever overload: the keyed ones require a key, and those
    // without a section require the code that sets the options (ClientRegistration checks both).
    private static readonly ClientOptionsKind<BasetenClientOptions> s_basetenOptions = new(ClientConfiguration.Apply, static options => options.Retry, static (options, section) => RequireApiKey(options.ApiKey, section));
    private static readonly ClientOptionsKind<BasetenInferenceClientOptions> s_inferenceOptions = new(ClientConfiguration.Apply, static options => options.Retry, static (options, section) => RequireApiKey(options.ApiKey, section));
    private static readonly ClientOptionsKind<BasetenChatClientOptions> s_chatOptions = new(ClientConfiguration.Apply, static options => options.Retry, static (options, section) => RequireApiKey(options.ApiKey, section));
    private static readonly ClientOptionsKind<ApiClientOptions> s_apiClientOptions = new(ClientConfiguration.Apply, static options => options.Retry, null);

    private static IHttpClientBuilder Baseten(IServiceCollection services, bool keyed, string? serviceKey, string? configurationSection, Action<BasetenClientOptions>? configure)
        => ClientRegistration.Add<IBasetenClient, BasetenClient, BasetenClientOptions>(services, s_basetenOptions, keyed, serviceKey, configurationSection, configure, static (http, options) => new BasetenClient(http, options));

    private static IHttpClientBuilder Inference(IServiceCollection services, bool keyed, string? serviceKey, string? configurationSection, Action<BasetenInferenceClientOptions>? configure)
        => ClientRegistration.Add<IBasetenInferenceClient, BasetenInferenceClient, BasetenInferenceClientOptions>(services, s_inferenceOptions, keyed, serviceKey, configurationSection, configure, static (http, options) => new BasetenInferenceClient(http, options));

    private static IHttpClientBuilder Chat(IServiceCollection services, bool keyed, string? serviceKey, string? configurationSection, Action<BasetenChatClientOptions>? configure)
        => ClientRegistration.Add<IBasetenChatClient, BasetenChatClient, BasetenChatClientOptions>(services, s_chatOptions, keyed, serviceKey, configurationSection, configure, static (http, options) => new BasetenChatClient(http, options));

    private static IHttpClientBuilder ApiClient<TService, TClient>(IServiceCollection services, bool keyed, string? serviceKey, string? configurationSection, Func<HttpClient, ApiClientOptions, TClient> create, Action<ApiClientOptions>? configure)
        where TService : class
        where TClient : class, TService
        => ClientRegistration.Add<TService, TClient, ApiClientOptions>(services, s_apiClientOptions, keyed, serviceKey, configurationSection, configure, create);

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
