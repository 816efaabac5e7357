using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

// Webhook and callback payloads: the JSON request body of an operation the API sends, typed as a
// request body is, without the rest of a client method.
internal sealed partial class OperationShaper
{
    /// <summary>
    /// The type of <paramref name="operation"/>'s JSON request body (an inline schema is named
    /// <paramref name="typeName"/>); null with <paramref name="why"/> set when it has no JSON body.
    /// <paramref name="span"/> is where the body's media type is written, for a diagnostic.
    /// </summary>
    public TypeRef? ShapePayload(OperationObject operation, string typeName, out string? why, out SourceSpan span)
    {
        why = null;
        span = operation.MethodSpan;
        if (operation.RequestBody is not { } body)
        {
            return null;
        }

        span = body.Content.Count > 0 ? body.Content[0].Span : body.Span;
        if (JsonMedia(body.Content) is not { } json)
        {
            why = body.Content.Count > 0 ? "a payload of media type " + body.Content[0].MediaType + " (only JSON payloads are read)" : "a payload with no content";
            return null;
        }

        span = json.Span;
        return _types.Map(json.Schema, typeName);
    }
}
