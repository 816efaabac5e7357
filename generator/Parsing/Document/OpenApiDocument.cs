using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Parsing.Document;

// The document model: what an OpenAPI file says, keyword by keyword, with where each thing is.
// It makes no C# decision (no names, no types); Shaping does, seeing the whole document at once.
// Records with EquatableArray collections, so that a parse whose text did not change compares equal.

/// <summary>One OpenAPI file, read.</summary>
internal sealed record OpenApiDocument(
    string FilePath,
    string? ClientName,
    string? Namespace,
    string Version,
    string? Title,
    EquatableArray<ServerObject> Servers,
    EquatableArray<NamedSchema> Schemas,
    EquatableArray<OperationObject> Operations,
    EquatableArray<SecuritySchemeObject> SecuritySchemes,
    EquatableArray<string> GlobalSecurity,
    string? CredentialVariable,
    bool OptionsConstructors)
{
    /// <summary>The document's <c>webhooks</c> (OpenAPI 3.1): requests the API sends to its users' services.</summary>
    public EquatableArray<HookObject> Webhooks { get; init; } = EquatableArray<HookObject>.Empty;
}

/// <summary>A <c>components/schemas</c> entry.</summary>
internal sealed record NamedSchema(string Name, SourceSpan KeySpan, SchemaObject Schema);

/// <summary>A server: its URL template and the variables it uses, each with its default.</summary>
internal sealed record ServerObject(string Url, EquatableArray<ServerVariableObject> Variables, string? Description);

internal sealed record ServerVariableObject(string Name, string Default, EquatableArray<string> Enum, string? Description);

/// <summary>A <c>components/securitySchemes</c> entry: <c>type</c> (http, apiKey, oauth2, ...), <c>scheme</c> for http, <c>in</c> and <c>name</c> for apiKey.</summary>
internal sealed record SecuritySchemeObject(string Key, string Type, string? Scheme, string? In, string? ParameterName, string? Description);
