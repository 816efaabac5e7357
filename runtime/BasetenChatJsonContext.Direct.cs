using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Baseten.Aot.Http;

namespace Baseten.Aot;

// What the chat client itself sends and reads (the request, the streamed chunks, an error event),
// through the generated writers and readers alone. The client always uses Default, whose options
// are System.Text.Json's defaults and read-only once bound, so Default's own metadata for these
// types would use the same generated code (GeneratedJson.ReadsDirectly holds for it). What differs is what a
// trimmed app keeps: the public typed properties register each type's object metadata and, through
// it, the metadata of every type under it (each model costs 8-20 KB of System.Text.Json
// instantiations), which the generated code never asks for here. An app that only streams a
// completion keeps the generated writer and readers and not the metadata of the whole request and
// chunk graphs (benchmarks/README.md, "Chat").
public sealed partial class BasetenChatJsonContext
{
    private JsonTypeInfo<ChatCompletionRequest>? _requestWriter;
    private JsonTypeInfo<ChatCompletionChunk>? _chunkReader;
    private JsonTypeInfo<ChatErrorResponse>? _errorReader;

    /// <summary>The request, written by its generated writer; never read (a request model has no reader).</summary>
    internal JsonTypeInfo<ChatCompletionRequest> RequestWriter
        => _requestWriter ??= Direct(new GeneratedJsonConverter<ChatCompletionRequest>(static (ref Utf8JsonReader _, JsonSerializerOptions _) => throw new NotSupportedException("The chat client only sends a ChatCompletionRequest; read one with BasetenChatJsonContext.Default.ChatCompletionRequest."), ChatCompletionRequestSerializeHandler));

    /// <summary>A streamed chunk, read by its generated reader (unknown members kept); never written.</summary>
    // Without the writer: a converter that held it would keep the writers of the whole chunk graph,
    // which the client never calls.
    internal JsonTypeInfo<ChatCompletionChunk> ChunkReader
        => _chunkReader ??= Direct(new GeneratedJsonConverter<ChatCompletionChunk>(Read_ChatCompletionChunk, static (_, _) => throw OnlyRead(nameof(ChatCompletionChunk))));

    /// <summary>An error body or event, read by its generated reader (the error's union too); never written.</summary>
    internal JsonTypeInfo<ChatErrorResponse> ErrorReader
        => _errorReader ??= Direct(new GeneratedJsonConverter<ChatErrorResponse>(Read_ChatErrorResponse, static (_, _) => throw OnlyRead(nameof(ChatErrorResponse))));

    private static NotSupportedException OnlyRead(string type)
        => new("The chat client only reads a " + type + "; write one with BasetenChatJsonContext.Default." + type + ".");

    // Metadata of the converter alone, bound to these options but not registered with them: the
    // resolver keeps answering for the type as before.
    private JsonTypeInfo<T> Direct<T>(GeneratedJsonConverter<T> converter)
        where T : class
    {
        JsonTypeInfo<T> typeInfo = JsonMetadataServices.CreateValueInfo<T>(Options, converter);
        typeInfo.OriginatingResolver = this;
        return typeInfo;
    }
}
