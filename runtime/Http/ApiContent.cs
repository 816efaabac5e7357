using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Serialization.Metadata;

namespace Baseten.Aot.Http;

/// <summary>Request bodies for <see cref="ApiRequest.Content"/>, one per media type a generated client sends.</summary>
public static class ApiContent
{
    /// <summary>
    /// <paramref name="value"/> as JSON, written once into a pooled buffer (returned when the content
    /// is disposed) and sent with a Content-Length; it can be sent again on a retry.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    public static HttpContent Json<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return PooledJsonContent.Create(value, typeInfo);
    }

    /// <summary>
    /// JSON the caller already holds as UTF-8 bytes (forwarded from elsewhere, read from a file), sent
    /// as it is with <c>Content-Type: application/json</c>. The bytes are not checked: that is the caller's.
    /// </summary>
    public static HttpContent Json(ReadOnlyMemory<byte> utf8Json)
    {
        var content = new ReadOnlyMemoryContent(utf8Json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>
    /// The rest of <paramref name="stream"/>, copied to the connection as it is sent, never buffered
    /// (with a Content-Length when the stream can seek, chunked otherwise). The stream is read once:
    /// a request with this body is not retried once sending has begun. The stream stays the caller's;
    /// it is not disposed.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read.</exception>
    /// <exception cref="FormatException"><paramref name="mediaType"/> is not a media type.</exception>
    public static HttpContent Binary(Stream stream, string mediaType = "application/octet-stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(mediaType);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }

        var content = new StreamBodyContent(stream);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }

    /// <summary><paramref name="text"/> in UTF-8, with <c>charset=utf-8</c> on its media type.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="FormatException"><paramref name="mediaType"/> is not a media type.</exception>
    public static HttpContent Text(string text, string mediaType = "text/plain")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(mediaType);
        return new StringContent(text, Encoding.UTF8, mediaType);
    }

    /// <summary>The fields as <c>application/x-www-form-urlencoded</c>, in order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="fields"/> is null.</exception>
    public static HttpContent FormUrlEncoded(IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new FormUrlEncodedContent(fields);
    }

    /// <summary>
    /// An empty <c>multipart/form-data</c> body to add parts to (<see cref="Json"/>, <see cref="Binary"/>,
    /// <see cref="Text"/> contents with a name and, for files, a file name). Disposing it disposes the parts.
    /// It is retried only when every part can be sent again.
    /// </summary>
    public static MultipartFormDataContent Multipart() => new();
}
