using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Baseten.Aot.Webhooks;

/// <summary>
/// A verified async predict result, as Baseten posts it to the <c>webhook_endpoint</c> of an
/// <c>async_predict</c>: <c>request_id</c>, <c>model_id</c>, <c>deployment_id</c>, <c>type</c>,
/// <c>time</c>, <c>data</c> (the model's output, null when it failed) and <c>errors</c>. Only a
/// <see cref="WebhookVerifier"/> makes one, after the signature matched.
/// </summary>
public sealed class AsyncPredictResult
{
    private static readonly byte[] s_null = "null"u8.ToArray();
    private readonly byte[] _data;

    internal AsyncPredictResult(string requestId, string? modelId, string? deploymentId, string? type, DateTimeOffset time, byte[]? data, IReadOnlyList<AsyncRequestError> errors)
    {
        RequestId = requestId;
        ModelId = modelId;
        DeploymentId = deploymentId;
        Type = type;
        Time = time;
        _data = data ?? s_null;
        HasData = data is not null;
        Errors = errors;
    }

    /// <summary>The request id <c>async_predict</c> returned: the key to deduplicate deliveries by.</summary>
    public string RequestId { get; }

    /// <summary>The model that ran the request; null when the payload has none (a chain's, say).</summary>
    public string? ModelId { get; }

    /// <summary>The deployment that ran the request; null when the payload has none.</summary>
    public string? DeploymentId { get; }

    /// <summary>The event type, <c>async_request_completed</c> in Baseten's documentation; null when absent.</summary>
    public string? Type { get; }

    /// <summary>When Baseten made the result (the payload's <c>time</c>; a time without an offset is read as UTC).</summary>
    public DateTimeOffset Time { get; }

    /// <summary>The errors Baseten reports (<c>MODEL_PREDICT_ERROR</c>, ...); empty when the request succeeded.</summary>
    public IReadOnlyList<AsyncRequestError> Errors { get; }

    /// <summary>Whether the request succeeded: no <see cref="Errors"/>.</summary>
    public bool Succeeded => Errors.Count == 0;

    /// <summary>Whether the payload has a <c>data</c> that is not null.</summary>
    public bool HasData { get; }

    /// <summary>The raw UTF-8 JSON of <c>data</c>, exactly as signed (<c>null</c> when absent).</summary>
    public ReadOnlyMemory<byte> DataJson => _data;

    /// <summary>
    /// Reads <c>data</c>, the model's output, as the caller's type, through its source-generated
    /// metadata (no reflection). Null when <c>data</c> is null or absent and <typeparamref name="T"/> allows it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    /// <exception cref="JsonException"><c>data</c> does not fit <typeparamref name="T"/>.</exception>
    public T? ReadData<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return JsonSerializer.Deserialize(_data, typeInfo);
    }

    /// <inheritdoc/>
    public override string ToString() => $"async predict result {RequestId} ({Type ?? "no type"}) at {Time:O}: {(Succeeded ? "succeeded" : $"{Errors.Count} error(s)")}";
}
