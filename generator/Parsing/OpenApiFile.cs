namespace Baseten.Aot.Generator.Parsing;

/// <summary>
/// One OpenAPI file that opted in, with its options: the input of the parse step. The environment
/// variable the client reads its credential from, if any, and whether to emit the constructors that
/// take <c>ApiClientOptions</c> (the hand-written Baseten clients have their own). <paramref name="HiddenMetadata"/>:
/// the generator's metadata names that MSBuild does not pass (no <c>CompilerVisibleItemMetadata</c>), comma-separated.
/// </summary>
internal sealed record OpenApiFile(string Path, string Text, string? ClientName, string? Namespace, string? CredentialVariable = null, bool OptionsConstructors = true, string? HiddenMetadata = null);
