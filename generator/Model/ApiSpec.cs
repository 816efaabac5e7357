namespace Baseten.Aot.Generator.Model;

// The model the emitters read. Cacheability contract: every type in Model/ is an immutable record
// with structural equality, holds no Roslyn symbol, syntax node, compilation or location, and
// uses EquatableArray for collections. Two parses that differ only in comments or positions
// therefore produce equal models, and the emit step stays cached.

/// <summary>Everything generated for one OpenAPI file.</summary>
internal sealed record ApiSpec(
    string Namespace,
    string ClientName,
    string ContextName,
    string Title,
    string? DefaultBaseAddress,
    EquatableArray<ModelSpec> Models,
    EquatableArray<EnumSpec> Enums,
    EquatableArray<UnionSpec> Unions,
    EquatableArray<OperationSpec> Operations,
    EquatableArray<JsonTypeSpec> JsonTypes)
{
    /// <summary>The interface the client implements (<c>IPetsClient</c>), or null for none.</summary>
    public string? InterfaceName { get; init; }

    /// <summary>What the client sends as its credential, or null when the document declares no security.</summary>
    public AuthSpec? Auth { get; init; }

    /// <summary>The document's servers whose URLs have variables: a static method each builds the address.</summary>
    public EquatableArray<ServerSpec> Servers { get; init; } = EquatableArray<ServerSpec>.Empty;

    /// <summary>The environment variable the options constructors read the credential from, or null.</summary>
    public string? CredentialVariable { get; init; }

    /// <summary>Whether the client gets constructors that take <c>ApiClientOptions</c>.</summary>
    public bool OptionsConstructors { get; init; } = true;

    /// <summary>One per tag when <c>BasetenClientPerTag</c> is set; <see cref="Operations"/> then holds only the untagged ones.</summary>
    public EquatableArray<SubClientSpec> SubClients { get; init; } = EquatableArray<SubClientSpec>.Empty;

    /// <summary>The class that reads the document's webhook and callback payloads, or null when it declares none.</summary>
    public WebhooksSpec? Webhooks { get; init; }
}
