using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Parsing.Document;

/// <summary>
/// A JSON schema as written: every keyword the generator may act on, unresolved (<c>$ref</c> kept as
/// text), with the span of the schema and of the keywords diagnostics point at.
/// </summary>
internal sealed record SchemaObject
{
    public SourceSpan Span { get; init; }

    /// <summary>A boolean schema: <c>true</c> (anything) or <c>false</c> (nothing); null for a schema object.</summary>
    public bool? BooleanSchema { get; init; }

    public string? Ref { get; init; }

    public SourceSpan RefSpan { get; init; }

    /// <summary>The <c>type</c> names other than <c>null</c>, in order.</summary>
    public EquatableArray<string> Types { get; init; } = EquatableArray<string>.Empty;

    public SourceSpan TypeSpan { get; init; }

    /// <summary><c>type</c> lists <c>null</c>, or OpenAPI 3.0's <c>nullable: true</c>.</summary>
    public bool Nullable { get; init; }

    public string? Format { get; init; }

    /// <summary>The media type of a string's content (<c>application/json</c>: the string holds JSON text).</summary>
    public string? ContentMediaType { get; init; }

    /// <summary>The schema of a string's decoded content, when <see cref="ContentMediaType"/> names one.</summary>
    public SchemaObject? ContentSchema { get; init; }

    public EquatableArray<PropertyObject> Properties { get; init; } = EquatableArray<PropertyObject>.Empty;

    /// <summary>The schema has a <c>properties</c> keyword, even an empty one: it describes an object.</summary>
    public bool HasProperties { get; init; }

    public EquatableArray<string> Required { get; init; } = EquatableArray<string>.Empty;

    public SchemaObject? Items { get; init; }

    /// <summary><c>additionalProperties</c>: null when absent; a boolean schema for <c>true</c>/<c>false</c>.</summary>
    public SchemaObject? AdditionalProperties { get; init; }

    public EquatableArray<SchemaObject> AllOf { get; init; } = EquatableArray<SchemaObject>.Empty;

    public SourceSpan AllOfSpan { get; init; }

    public EquatableArray<SchemaObject> OneOf { get; init; } = EquatableArray<SchemaObject>.Empty;

    public SourceSpan OneOfSpan { get; init; }

    public EquatableArray<SchemaObject> AnyOf { get; init; } = EquatableArray<SchemaObject>.Empty;

    public SourceSpan AnyOfSpan { get; init; }

    public SchemaObject? Not { get; init; }

    public DiscriminatorObject? Discriminator { get; init; }

    public JsonLiteral? Const { get; init; }

    /// <summary>The <c>enum</c> values; <see cref="HasEnum"/> tells an absent list from an empty one.</summary>
    public EquatableArray<JsonLiteral> Enum { get; init; } = EquatableArray<JsonLiteral>.Empty;

    public bool HasEnum { get; init; }

    public bool ReadOnly { get; init; }

    public bool WriteOnly { get; init; }

    public string? Title { get; init; }

    public DocSpec Doc { get; init; } = DocSpec.None;

    /// <summary>The schema is (after <c>$ref</c>) or holds a composition: <c>oneOf</c>, <c>anyOf</c> or <c>allOf</c>.</summary>
    public bool IsComposition => OneOf.Count > 0 || AnyOf.Count > 0 || AllOf.Count > 0;
}

/// <summary>A property of an object schema: its exact wire name and its schema.</summary>
internal sealed record PropertyObject(string Name, SourceSpan KeySpan, SchemaObject Schema);

/// <summary><c>discriminator</c>: the property name and the explicit value-to-<c>$ref</c> mapping.</summary>
internal sealed record DiscriminatorObject(string PropertyName, EquatableArray<DiscriminatorMapping> Mapping, SourceSpan Span);

internal sealed record DiscriminatorMapping(string Value, string Ref, SourceSpan Span);

internal enum JsonLiteralKind
{
    Null,
    Boolean,
    Number,
    String,

    /// <summary>An object or an array: kept rendered, never matched against.</summary>
    Structured,
}

/// <summary>A scalar value in the document (an enum member, a const), with its JSON kind: <c>1</c> and <c>'1'</c> differ.</summary>
internal sealed record JsonLiteral(JsonLiteralKind Kind, string Text, SourceSpan Span);
