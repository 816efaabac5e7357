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
    /// <see cref="ChatCompletionChunk"/>) and <c>AdditionalProperties</c>. Its
    /// <see cref="ChatClientMetadata"/> has the provider <see cref="ProviderName"/>, the client's
    /// <see cref="BasetenChatClient.BaseAddress"/> as <c>ProviderUri</c> and its
    /// <see cref="BasetenChatClient.Model"/> as <c>DefaultModelId</c>.
    /// Disposing the <see cref="IChatClient"/> disposes <paramref name="client"/>.
    /// </summary>
    /// <param name="client">The chat client.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public static IChatClient AsIChatClient(this BasetenChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new BasetenAIChatClient(client, new ChatClientMetadata(ProviderName, client.BaseAddress, client.Model));
    }
}
