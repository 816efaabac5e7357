using System;
using Microsoft.Extensions.AI;

namespace Baseten.Aot.Extensions.AI;

/// <summary>
/// <see cref="BasetenChatClient"/> as Microsoft.Extensions.AI's <see cref="IChatClient"/>, the
/// abstraction .NET apps and agent frameworks take a chat model through.
/// </summary>
public static class BasetenChatClientExtensions
{
    /// <summary>The provider name in the adapter's <see cref="ChatClientMetadata"/>.</summary>
    public const string ProviderName = "baseten";

    /// <summary>
    /// Wraps the client as an <see cref="IChatClient"/>: messages, options, tools, streaming
    /// updates and usage are mapped both ways; what has no place in Microsoft.Extensions.AI's types
    /// is kept in their <c>RawRepresentation</c> (the <see cref="ChatCompletion"/> or
    /// <see cref="ChatCompletionChunk"/>) and <c>AdditionalProperties</c>.
    /// Disposing the <see cref="IChatClient"/> disposes <paramref name="client"/>.
    /// </summary>
    /// <param name="client">The chat client.</param>
    /// <param name="options">
    /// The options <paramref name="client"/> was made with, for <see cref="ChatClientMetadata"/>
    /// (its <c>ProviderUri</c> is <see cref="BasetenChatClient.AddressOf(BasetenChatClientOptions)"/>, its
    /// <c>DefaultModelId</c> <see cref="BasetenChatClientOptions.Model"/>); null leaves both unset.
    /// </param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> select no valid address (see <see cref="BasetenChatClient.AddressOf(BasetenChatClientOptions)"/>).</exception>
    public static IChatClient AsIChatClient(this BasetenChatClient client, BasetenChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        Uri? address = options is null ? null : BasetenChatClient.AddressOf(options);
        return new BasetenAIChatClient(client, new ChatClientMetadata(ProviderName, address, options?.Model));
    }
}
