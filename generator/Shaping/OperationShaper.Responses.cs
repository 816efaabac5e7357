using System;
using System.Globalization;
using System.Linq;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

// The success response (JSON, server-sent events, JSON lines, text or a stream) and the error body.
internal sealed partial class OperationShaper
{
    private ResponseSpec ShapeResponse(OperationObject operation, string baseName)
    {
        ResponseObject? success = null;
        int best = int.MaxValue;
        foreach (ResponseObject response in operation.Responses)
        {
            string code = response.StatusCode;
            int rank = code.Length == 3 && code[0] == '2' && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out int number) ? number
                : string.Equals(code, "2XX", StringComparison.OrdinalIgnoreCase) ? 300 : int.MaxValue;
            if (rank < best)
            {
                best = rank;
                success = response;
            }
        }

        if (success is null || best == 204 || success.Content.Count == 0)
        {
            return ResponseSpec.None;
        }

        if (JsonMedia(success.Content) is { } json)
        {
            return new ResponseSpec(ResponseKind.Json, _types.Map(json.Schema, baseName + "Response").WithNullable(false), json.MediaType)
            {
                AlsoRead = StreamedData(success, baseName),
            };
        }

        MediaTypeObject media = success.Content[0];
        switch (media.MediaType)
        {
            case "text/event-stream":
                return new ResponseSpec(ResponseKind.Events, EventData(media, baseName), media.MediaType);
            case "application/x-ndjson" or "application/jsonl" or "application/x-jsonlines" or "application/jsonlines" or "application/json-seq":
                return new ResponseSpec(ResponseKind.JsonLines, _types.Map(LineSchema(media), baseName + "Line").WithNullable(false), media.MediaType);
        }

        if (media.MediaType.StartsWith("text/", StringComparison.Ordinal) || media.MediaType is "application/xml" or "application/yaml")
        {
            return new ResponseSpec(ResponseKind.Text, TypeRef.Of(TypeKind.String), media.MediaType);
        }

        return new ResponseSpec(ResponseKind.Stream, TypeRef.Of(TypeKind.Stream), media.MediaType.Contains('*') ? "*/*" : media.MediaType);
    }

    // The data of an event stream or JSON lines documented beside the JSON body (OpenAI's chat
    // completions: one object, or chunks when the request asks for a stream).
    private EquatableArray<TypeRef> StreamedData(ResponseObject success, string baseName)
    {
        var types = new System.Collections.Generic.List<TypeRef>();
        foreach (MediaTypeObject media in success.Content)
        {
            TypeRef? type = media.MediaType switch
            {
                "text/event-stream" => EventData(media, baseName),
                "application/x-ndjson" or "application/jsonl" or "application/x-jsonlines" or "application/jsonlines" or "application/json-seq" when LineSchema(media) is { } line => _types.Map(line, baseName + "Line").WithNullable(false),
                _ => null,
            };
            if (type is { Kind: not TypeKind.JsonElement } && !types.Contains(type))
            {
                types.Add(type);
            }
        }

        return types.ToEquatableArray();
    }

    // Each line's schema: OpenAPI 3.2's itemSchema says it; before 3.2 the schema is guessed to be
    // an array of the lines (its items) or one line.
    private static SchemaObject? LineSchema(MediaTypeObject media) => media.ItemSchema ?? media.Schema?.Items ?? media.Schema;

    // The data of each event, when the document says what it is; otherwise the raw events.
    private TypeRef? EventData(MediaTypeObject media, string baseName)
    {
        if (media.ItemSchema is { } item)
        {
            return ItemEventData(item, baseName);
        }

        if (media.Schema is null || media.Schema.Types is ["string"])
        {
            return null;
        }

        TypeRef type = _types.Map(media.Schema.Items ?? media.Schema, baseName + "Event").WithNullable(false);
        return type.Kind == TypeKind.JsonElement && media.Schema.Items is null && !media.Schema.HasProperties ? null : type;
    }

    // OpenAPI 3.2's itemSchema describes the event itself (data, event, id, retry); the stream yields
    // its data: the contentSchema of a string that holds JSON, or the data's own schema. An itemSchema
    // without a 'data' member is read as the data's schema, as the schema of 3.0 and 3.1 documents is.
    private TypeRef? ItemEventData(SchemaObject item, string baseName)
    {
        SchemaObject envelope = item.Ref is { } reference && _types.Resolve(reference) is { } target ? target : item;
        SchemaObject? data = envelope.Properties.FirstOrDefault(p => p.Name == "data")?.Schema;
        if (data is null)
        {
            data = item;
        }
        else if (data.ContentSchema is { } content && (data.ContentMediaType is null || IsJsonMediaType(data.ContentMediaType)))
        {
            data = content;
        }
        else if (data.Types is ["string"])
        {
            return null;
        }

        TypeRef type = _types.Map(data, baseName + "Event").WithNullable(false);
        return type.Kind == TypeKind.JsonElement && data.Items is null && !data.HasProperties && data.Ref is null ? null : type;
    }

    private static bool IsJsonMediaType(string mediaType)
        => mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    // The documented error body, readable from the exception: the first 4xx, 5xx or default JSON body.
    private TypeRef? ShapeError(OperationObject operation, string baseName)
    {
        foreach (ResponseObject response in operation.Responses)
        {
            if ((response.StatusCode.StartsWith("4", StringComparison.Ordinal) || response.StatusCode.StartsWith("5", StringComparison.Ordinal) || response.StatusCode == "default")
                && JsonMedia(response.Content) is { Schema: not null } media)
            {
                TypeRef type = _types.Map(media.Schema, baseName + "Error").WithNullable(false);
                return type.Kind is TypeKind.Model or TypeKind.Union ? type : null;
            }
        }

        return null;
    }
}
