using System;
using Baseten.Aot;

namespace Microsoft.Extensions.DependencyInjection;

// The chat client's registrations: as the other Baseten clients', but in a section of its own by
// default, because the Baseten section's BaseAddress (the management API) and ModelId (an inference
// client's model) would point an LLM client somewhere else.
public static partial class BasetenServiceCollectionExtensions
{
    /// <summary>The configuration section the chat client reads unless told another: <c>Baseten:Chat</c>.</summary>
    public const string DefaultChatConfigurationSection = "Baseten:Chat";

    /// <summary>
    /// Registers a transient <see cref="BasetenChatClient"/> (and <see cref="IBasetenChatClient"/>), with
    /// <see cref="BasetenChatClientOptions"/> read from <paramref name="configurationSection"/> (<c>ApiKey</c>,
    /// <c>Model</c> (a Model APIs slug), <c>ModelId</c> and <c>Environment</c> (a dedicated deployment),
    /// <c>BaseAddress</c>, and <c>Retry</c> as for <see cref="AddBasetenClient(IServiceCollection, string, Action{BasetenClientOptions}?)"/>)
    /// and then set by <paramref name="configure"/> (a deployment's <c>Target</c> is set there). Without an
    /// <c>ApiKey</c>, the key comes from <c>BASETEN_API_KEY</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configurationSection">The configuration section to read; <c>Baseten:Chat</c> by default. It need not exist.</param>
    /// <param name="configure">Sets options in code, after the configuration is read.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <see cref="BasetenChatClient"/> without a key is already registered.</exception>
    public static IHttpClientBuilder AddBasetenChatClient(this IServiceCollection services, string configurationSection = DefaultChatConfigurationSection, Action<BasetenChatClientOptions>? configure = null)
        => Chat(services, false, null, configurationSection ?? throw new ArgumentNullException(nameof(configurationSection)), configure);

    /// <summary>
    /// Registers a transient <see cref="BasetenChatClient"/> with options read from the <c>Baseten:Chat</c>
    /// section, if there is one, and then set by <paramref name="configure"/>:
    /// <c>services.AddBasetenChatClient(o => o.Model = "openai/gpt-oss-120b")</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options in code, after the configuration is read.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <see cref="BasetenChatClient"/> without a key is already registered.</exception>
    public static IHttpClientBuilder AddBasetenChatClient(this IServiceCollection services, Action<BasetenChatClientOptions> configure)
        => Chat(services, false, null, DefaultChatConfigurationSection, configure ?? throw new ArgumentNullException(nameof(configure)));

    /// <summary>
    /// Registers a transient <see cref="BasetenChatClient"/> under <paramref name="serviceKey"/>: one per LLM an
    /// application talks to (<c>[FromKeyedServices("coder")] IBasetenChatClient coder</c>). Its options are
    /// named <paramref name="serviceKey"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key, which also names the options and the HttpClient.</param>
    /// <param name="configurationSection">The configuration section to read, e.g. <c>Baseten:Chat:Coder</c>.</param>
    /// <param name="configure">Sets options in code, after the configuration is read.</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <see cref="BasetenChatClient"/> with this key is already registered.</exception>
    public static IHttpClientBuilder AddKeyedBasetenChatClient(this IServiceCollection services, string serviceKey, string configurationSection, Action<BasetenChatClientOptions>? configure = null)
        => Chat(services, true, serviceKey, configurationSection ?? throw new ArgumentNullException(nameof(configurationSection)), configure);

    /// <summary>
    /// Registers a transient <see cref="BasetenChatClient"/> under <paramref name="serviceKey"/> with options
    /// set in code only, by <paramref name="configure"/>: no configuration section is read.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key, which also names the options and the HttpClient.</param>
    /// <param name="configure">Sets the options (the model among them).</param>
    /// <returns>The builder of the client's HttpClient, to add handlers to.</returns>
    /// <exception cref="InvalidOperationException">A <see cref="BasetenChatClient"/> with this key is already registered.</exception>
    public static IHttpClientBuilder AddKeyedBasetenChatClient(this IServiceCollection services, string serviceKey, Action<BasetenChatClientOptions> configure)
        => Chat(services, true, serviceKey, null, configure);
}
