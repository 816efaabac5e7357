namespace Baseten.Aot.Generator.Model;

internal enum ResponseKind
{
    /// <summary>No body of interest (204, or no content documented): the method returns <c>Task</c>.</summary>
    None,
    Json,
    Text,

    /// <summary>Binary: a <c>Stream</c> read as it arrives, never buffered.</summary>
    Stream,

    /// <summary><c>text/event-stream</c>: an <c>IAsyncEnumerable</c> of events, each parsed as it arrives.</summary>
    Events,

    /// <summary>Newline-delimited JSON: an <c>IAsyncEnumerable</c> of values.</summary>
    JsonLines,
}

/// <summary>What an operation returns: the kind of the success body, its C# type (JSON kinds), and its media type.</summary>
internal sealed record ResponseSpec(ResponseKind Kind, TypeRef? Type, string? MediaType)
{
    /// <summary>
    /// The data of the other success media types the method does not return (an event stream
    /// documented beside JSON): code written beside the client reads them, so the context gets
    /// their generated readers as it does for <see cref="Type"/>.
    /// </summary>
    public EquatableArray<TypeRef> AlsoRead { get; init; }

    public static ResponseSpec None { get; } = new(ResponseKind.None, null, null);
}
