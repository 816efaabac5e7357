using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Unicode;

namespace Baseten.Aot.Webhooks;

/// <summary>
/// Reads the envelope of a signed delivery with a <see cref="Utf8JsonReader"/>: the named fields,
/// <c>data</c> kept as its raw JSON for the caller's own type, <c>errors</c> through the inference
/// document's generated metadata. Tells JSON that is not JSON from JSON that is not a result; throws nothing.
/// </summary>
internal static class AsyncPredictResultReader
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 64 };

    public static WebhookFailureReason Read(ReadOnlySpan<byte> body, out AsyncPredictResult? result)
    {
        result = null;
        if (!Utf8.IsValid(body))
        {
            return WebhookFailureReason.NotJson;
        }

        var fields = new Fields();
        bool shaped;
        try
        {
            var reader = new Utf8JsonReader(body, isFinalBlock: true, new JsonReaderState(s_options));
            if (!reader.Read())
            {
                return WebhookFailureReason.NotJson;
            }

            shaped = reader.TokenType == JsonTokenType.StartObject ? ReadObject(ref reader, ref fields) : Skip(ref reader);

            // Anything after the one value is not JSON; the reader throws on it.
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            return WebhookFailureReason.NotJson;
        }
        catch (InvalidOperationException)
        {
            return WebhookFailureReason.NotJson;
        }

        if (!shaped || fields.RequestId is null || fields.Time is null)
        {
            return WebhookFailureReason.InvalidPayload;
        }

        IReadOnlyList<AsyncRequestError> errors = [];
        if (fields.ErrorsLength > 0)
        {
            try
            {
                errors = JsonSerializer.Deserialize(body.Slice(fields.ErrorsStart, fields.ErrorsLength), BasetenInferenceJsonContext.Default.IReadOnlyListAsyncRequestError) ?? [];
            }
            catch (JsonException)
            {
                return WebhookFailureReason.InvalidPayload;
            }
            catch (InvalidOperationException)
            {
                return WebhookFailureReason.InvalidPayload;
            }

            foreach (AsyncRequestError? error in errors)
            {
                if (error is null)
                {
                    return WebhookFailureReason.InvalidPayload;
                }
            }
        }

        byte[]? data = fields.DataLength > 0 ? body.Slice(fields.DataStart, fields.DataLength).ToArray() : null;
        result = new AsyncPredictResult(fields.RequestId, fields.ModelId, fields.DeploymentId, fields.Type, fields.Time.Value, data, errors);
        return WebhookFailureReason.None;
    }

    private static bool ReadObject(ref Utf8JsonReader reader, ref Fields fields)
    {
        bool shaped = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // A name given twice makes "which one was meant" a question; refused rather than guessed.
            string name = reader.GetString()!;
            if (!seen.Add(name))
            {
                shaped = false;
            }

            reader.Read();
            switch (name)
            {
                case "request_id":
                    fields.RequestId = ReadString(ref reader, ref shaped, nullable: false);
                    shaped &= fields.RequestId is not { Length: 0 };
                    break;
                case "model_id":
                    fields.ModelId = ReadString(ref reader, ref shaped, nullable: true);
                    break;
                case "deployment_id":
                    fields.DeploymentId = ReadString(ref reader, ref shaped, nullable: true);
                    break;
                case "type":
                    fields.Type = ReadString(ref reader, ref shaped, nullable: true);
                    break;
                case "time":
                    fields.Time = ReadTime(ref reader);
                    break;
                case "data":
                    (fields.DataStart, fields.DataLength) = ReadRaw(ref reader);
                    break;
                case "errors":
                    (fields.ErrorsStart, fields.ErrorsLength) = ReadRaw(ref reader);
                    shaped &= fields.ErrorsLength == 0 || reader.TokenType == JsonTokenType.EndArray;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return shaped;
    }

    private static bool Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return false;
    }

    private static string? ReadString(ref Utf8JsonReader reader, ref bool shaped, bool nullable)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        shaped &= nullable && reader.TokenType == JsonTokenType.Null;
        reader.Skip();
        return null;
    }

    private static DateTimeOffset? ReadTime(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out DateTimeOffset time))
        {
            reader.Skip();
            return null;
        }

        // The reader gives a time without an offset the machine's local one; Baseten's times are UTC.
        return HasOffset(reader.GetString()) ? time : new DateTimeOffset(time.DateTime, TimeSpan.Zero);
    }

    private static bool HasOffset(ReadOnlySpan<char> value)
    {
        int t = value.IndexOf('T');
        return t >= 0 && value[t..].IndexOfAny("Zz+-") >= 0;
    }

    // A null is the same as absent: (0, 0).
    private static (int Start, int Length) ReadRaw(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return (0, 0);
        }

        int start = checked((int)reader.TokenStartIndex);
        reader.Skip();
        return (start, checked((int)reader.BytesConsumed) - start);
    }

    private struct Fields
    {
        public string? RequestId;
        public string? ModelId;
        public string? DeploymentId;
        public string? Type;
        public DateTimeOffset? Time;
        public int DataStart;
        public int DataLength;
        public int ErrorsStart;
        public int ErrorsLength;
    }
}
