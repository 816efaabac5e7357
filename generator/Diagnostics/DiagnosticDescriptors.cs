using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports. Ids are stable: never reuse or renumber one. Each
/// descriptor documents its message arguments; each points at the line of the OpenAPI file it is about.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Baseten.Aot.Generator";

    // Each id has a section of docs/diagnostics.md (what triggers it, how to fix it), anchored by
    // its id in lower case, in the repository the packages name (BasetenRepositoryUrl's default in
    // Packaging.props). An IDE opens it from the id; a test holds the two together.
    internal const string HelpLinkBase = "https://github.com/baseten-aot/Baseten.Aot/blob/main/docs/diagnostics.md#";

    /// <summary>{0}: what the YAML/JSON reader found wrong.</summary>
    public static readonly DiagnosticDescriptor InvalidSyntax = new(
        "BTN0001", "The OpenAPI file is not valid YAML or JSON",
        "The OpenAPI file is not valid YAML or JSON: {0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0001");

    /// <summary>{0}: why the document is not an OpenAPI 3.0, 3.1 or 3.2 document.</summary>
    public static readonly DiagnosticDescriptor NotOpenApi3 = new(
        "BTN0002", "Not an OpenAPI 3.0, 3.1 or 3.2 document",
        "The file is not an OpenAPI 3.0, 3.1 or 3.2 document: {0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0002");

    /// <summary>{0}: the reference as written, {1}: why it leads nowhere. A warning: what refers to it is degraded, the rest is generated.</summary>
    public static readonly DiagnosticDescriptor UnresolvedReference = new(
        "BTN0003", "Unresolved $ref",
        "The reference '{0}' does not resolve: {1}; a schema that uses it is read as any JSON value (JsonElement), a parameter, request body or response that is it is left out",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0003");

    /// <summary>{0}: the construct, {1}: what the generated code does instead.</summary>
    public static readonly DiagnosticDescriptor UnsupportedSchema = new(
        "BTN0004", "Schema construct not supported yet",
        "{0} is not supported yet: {1}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0004");

    /// <summary>{0}: the spec name, {1}: the C# name it maps to, {2}: the name it gets instead.</summary>
    public static readonly DiagnosticDescriptor NameCollision = new(
        "BTN0005", "Two spec names map to one C# name",
        "'{0}' maps to the C# name '{1}', which is already taken; it is named '{2}' instead", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0005");

    /// <summary>{0}: the metadata name, {1}: its value, {2}: what it must be.</summary>
    public static readonly DiagnosticDescriptor InvalidOption = new(
        "BTN0006", "Invalid generator option",
        "The AdditionalFiles metadata {0}=\"{1}\" is not valid: it must be {2}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0006");

    /// <summary>{0}: the limit that was exceeded.</summary>
    public static readonly DiagnosticDescriptor TooComplex = new(
        "BTN0007", "OpenAPI file too large or too deep",
        "The OpenAPI file is not read: {0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0007");

    /// <summary>{0}: HTTP method, {1}: path, {2}: why it is skipped.</summary>
    public static readonly DiagnosticDescriptor OperationSkipped = new(
        "BTN0008", "Operation not generated",
        "{0} {1} is not generated: {2}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0008");

    /// <summary>
    /// {0}: the key or element, {1}: what it must be, {2}: what is generated instead. A warning: one
    /// malformed part is degraded and the rest of the document is generated.
    /// </summary>
    public static readonly DiagnosticDescriptor InvalidStructure = new(
        "BTN0009", "Invalid OpenAPI structure, degraded",
        "'{0}' must be {1}: {2}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0009");

    /// <summary>{0}: where the parameter goes (header, cookie, ...), {1}: its name, {2}: HTTP method, {3}: path, {4}: why.</summary>
    public static readonly DiagnosticDescriptor ParameterNotGenerated = new(
        "BTN0010", "Parameter not generated",
        "The {0} parameter '{1}' of {2} {3} is not generated: {4}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0010");

    /// <summary>{0}: why the discriminator cannot be used, {1}: the union.</summary>
    public static readonly DiagnosticDescriptor DiscriminatorNotUsed = new(
        "BTN0011", "Discriminator not used",
        "The discriminator of '{1}' is not used ({0}): the union is read by the shape of its alternatives instead",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0011");

    /// <summary>{0}: the metadata name MSBuild does not pass to the generator.</summary>
    public static readonly DiagnosticDescriptor MetadataNotVisible = new(
        "BTN0012", "Generator option not visible to the generator",
        "The AdditionalFiles metadata {0} is not passed to the generator, so a value set on the item is ignored: import Baseten.Aot.Generator.props (the Baseten.Aot.Generator package imports it for you) or add <CompilerVisibleItemMetadata Include=\"AdditionalFiles\" MetadataName=\"{0}\" />",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0012");

    /// <summary>{0}: the step that failed (read, shape), {1}: the exception's type and message.</summary>
    public static readonly DiagnosticDescriptor GeneratorFailure = new(
        "BTN0013", "The generator failed: a bug in Baseten.Aot.Generator",
        "Baseten.Aot.Generator failed to {0} this file ({1}). This is a bug in the generator, not in the file: please report it, with the file attached.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0013");

    /// <summary>{0}: the feature (OpenAPI 3.2 and later keywords), {1}: what the generated code does instead.</summary>
    public static readonly DiagnosticDescriptor FeatureNotSupported = new(
        "BTN0014", "OpenAPI feature not supported yet",
        "{0} is not supported yet: {1}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0014");

    /// <summary>{0}: the metadata name, {1}: the entry, {2}: what it was matched against.</summary>
    public static readonly DiagnosticDescriptor ScopeNameUnknown = new(
        "BTN0020", "A scope names nothing in the document",
        "{0} names '{1}', but no operation of the document has that {2} (names are matched exactly, case included): the entry selects nothing",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0020");

    /// <summary>{0}: how many operations the document has.</summary>
    public static readonly DiagnosticDescriptor EmptyScope = new(
        "BTN0021", "The scope leaves no operation",
        "BasetenIncludeTags, BasetenExcludeTags, BasetenIncludeOperations and BasetenExcludeOperations leave none of the document's {0} operations: the client has no methods and no models are generated",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "btn0021");
}
