using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Parsing.Document;

/// <summary>
/// One operation as the document states it, with the path item's parameters already merged in
/// (an operation's parameter overrides the path item's one of the same name and location) and
/// references to <c>components/parameters</c>, <c>requestBodies</c> and <c>responses</c> followed.
/// </summary>
internal sealed record OperationObject(
    string Method,
    string Path,
    SourceSpan MethodSpan,
    string? OperationId,
    string? Summary,
    string? Description,
    bool Deprecated,
    EquatableArray<ParameterObject> Parameters,
    RequestBodyObject? RequestBody,
    EquatableArray<ResponseObject> Responses,
    EquatableArray<string>? Security)
{
    /// <summary>The operation's <c>tags</c>, in order: what a scope selects by, and the first one names its sub-client.</summary>
    public EquatableArray<string> Tags { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The operation's <c>callbacks</c>: requests the server sends back, kept or left out with the operation.</summary>
    public EquatableArray<HookObject> Callbacks { get; init; } = EquatableArray<HookObject>.Empty;
}

/// <summary>A parameter: <c>in</c> is path, query, header or cookie; style and explode as written (null when absent).</summary>
internal sealed record ParameterObject(
    string Name,
    string In,
    bool Required,
    string? Style,
    bool? Explode,
    SchemaObject? Schema,
    DocSpec Doc,
    SourceSpan Span);

internal sealed record RequestBodyObject(bool Required, EquatableArray<MediaTypeObject> Content, DocSpec Doc, SourceSpan Span);

/// <summary>A response per status code (<c>200</c>, <c>2XX</c>, <c>default</c>), with its content per media type.</summary>
internal sealed record ResponseObject(string StatusCode, string? Description, EquatableArray<MediaTypeObject> Content, SourceSpan Span);

/// <summary>
/// A media type (lower case, parameters removed) and its schema, if any; <see cref="ItemSchema"/> is
/// OpenAPI 3.2's schema of each item of a sequential media type (an event, a JSON line).
/// </summary>
internal sealed record MediaTypeObject(string MediaType, SchemaObject? Schema, SourceSpan Span, SchemaObject? ItemSchema = null);

/// <summary>
/// A webhook (a <c>webhooks</c> entry) or a callback (an entry of an operation's <c>callbacks</c>):
/// its name (for a callback, its key and the runtime expression of its URL) and the operations of its
/// path item, each read as a path's operations are.
/// </summary>
internal sealed record HookObject(string Name, string? Expression, SourceSpan Span, EquatableArray<OperationObject> Operations);
