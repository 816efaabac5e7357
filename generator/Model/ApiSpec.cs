using System;

namespace Baseten.Aot.Generator.Model;

// The model the emitters read. Cacheability contract: every type here is an immutable record
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
    /// <summary>What the client sends as its credential, or null when the document declares no security.</summary>
    public AuthSpec? Auth { get; init; }

    /// <summary>The document's servers whose URLs have variables: a static method each builds the address.</summary>
    public EquatableArray<ServerSpec> Servers { get; init; } = EquatableArray<ServerSpec>.Empty;

    /// <summary>The environment variable the options constructors read the credential from, or null.</summary>
    public string? CredentialVariable { get; init; }

    /// <summary>Whether the client gets constructors that take <c>ApiClientOptions</c>.</summary>
    public bool OptionsConstructors { get; init; } = true;
}

internal enum AuthKind
{
    /// <summary><c>Authorization: Bearer</c> (http bearer, OAuth 2, OpenID Connect).</summary>
    Bearer,

    /// <summary><c>Authorization: Basic</c>, from <c>user:password</c>.</summary>
    Basic,

    /// <summary><c>Authorization: &lt;Name&gt; &lt;credential&gt;</c>, for another http scheme.</summary>
    Scheme,
    ApiKeyHeader,
    ApiKeyQuery,
    ApiKeyCookie,
}

/// <summary>The security scheme the client uses: its kind, and the scheme or parameter name.</summary>
internal sealed record AuthSpec(AuthKind Kind, string Name, string? Description);

/// <summary>A server URL with variables, built by a static method of the client from one argument per variable.</summary>
internal sealed record ServerSpec(string MethodName, string Url, EquatableArray<PathSegmentSpec> Segments, EquatableArray<ServerVariableSpec> Variables, string? Description);

/// <summary>A server variable as a method parameter; <see cref="Default"/> is set when the document gives a real default.</summary>
internal sealed record ServerVariableSpec(string ParameterName, string WireName, string? Default, string? Description);

/// <summary>Documentation carried from the spec into XML doc comments.</summary>
internal sealed record DocSpec(
    string? Summary,
    string? Remarks,
    string? Default,
    EquatableArray<string> Examples,
    bool Deprecated)
{
    public static DocSpec None { get; } = new(null, null, null, EquatableArray<string>.Empty, false);
}

/// <summary>
/// An object schema, emitted as a sealed class; a variant of a discriminated union derives from the
/// union's abstract class (<see cref="BaseName"/>).
/// </summary>
internal sealed record ModelSpec(string Name, DocSpec Doc, EquatableArray<PropertySpec> Properties, string? BaseName = null)
{
    /// <summary>The bit of a tracked property in the model's assignment mask, by its index among tracked properties.</summary>
    public int TrackingIndexOf(PropertySpec property)
    {
        int index = 0;
        foreach (PropertySpec candidate in Properties)
        {
            if (candidate == property)
            {
                return index;
            }

            if (candidate.TracksAssignment)
            {
                index++;
            }
        }

        return -1;
    }

    public int TrackedCount
    {
        get
        {
            int count = 0;
            foreach (PropertySpec property in Properties)
            {
                count += property.TracksAssignment ? 1 : 0;
            }

            return count;
        }
    }

    public bool HasRequiredMembers
    {
        get
        {
            foreach (PropertySpec property in Properties)
            {
                if (property.IsRequired)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>
/// One property of a model: its C# name, its exact wire name, its C# type (nullable when optional)
/// and whether the schema itself allows null.
/// <see cref="Initializer"/> is the JSON text of the value the property starts with: a <c>const</c>,
/// or the value that selects this variant of a discriminated union.
/// </summary>
internal sealed record PropertySpec(string Name, string JsonName, TypeRef Type, bool IsRequired, bool AllowsNull, DocSpec Doc, string? Initializer = null)
{
    /// <summary>
    /// An optional property that may be null on the wire has three states: unset (omitted), null
    /// (sent as null, e.g. "clear this") and a value. The model records which were assigned.
    /// </summary>
    public bool TracksAssignment => !IsRequired && AllowsNull;
}

/// <summary>A string enum, emitted as an open enum class.</summary>
internal sealed record EnumSpec(string Name, DocSpec Doc, EquatableArray<EnumMemberSpec> Members);

internal sealed record EnumMemberSpec(string Name, string Value);

/// <summary>
/// A union (<c>oneOf</c>/<c>anyOf</c> of several schemas, or a <c>type</c> list). With a
/// <see cref="DiscriminatorProperty"/> it is an abstract class its variants derive from, read by the
/// discriminator's value; without one, a class holding one of its cases, read by JSON token kind
/// and then by which required properties an object has. Either keeps JSON that fits no case.
/// </summary>
internal sealed record UnionSpec(string Name, DocSpec Doc, string? DiscriminatorProperty, EquatableArray<UnionCaseSpec> Cases)
{
    public bool IsDiscriminated => DiscriminatorProperty is not null;
}

/// <summary>
/// One case of a union: the C# member that exposes it, its type, the discriminator values that
/// select it (discriminated unions) and the required properties of an object case (the others).
/// </summary>
internal sealed record UnionCaseSpec(string MemberName, TypeRef Type, EquatableArray<string> DiscriminatorValues, EquatableArray<string> RequiredProperties);

/// <summary>One operation, emitted as one async method on the client.</summary>
internal sealed record OperationSpec(
    string MethodName,
    string HttpMethod,
    string Path,
    EquatableArray<PathSegmentSpec> PathSegments,
    EquatableArray<ParameterSpec> Parameters,
    BodySpec? Body,
    ResponseSpec Response,
    DocSpec Doc,
    PaginationSpec? Pagination = null,
    TypeRef? ErrorType = null);

internal enum ResponseKind
{
    /// <summary>No body of interest (204, or no content documented): the method returns <c>Task</c>.</summary>
    None,
    Json,
    Text,

    /// <summary>Binary: a <c>Stream</c> read as it arrives, never buffered.</summary>
    Stream,

    /// <summary><c>text/event-stream</c>: an <c>IAsyncEnumerable</c> of events, each parsed as it arrives.</summary>
    Events,

    /// <summary>Newline-delimited JSON: an <c>IAsyncEnumerable</c> of values.</summary>
    JsonLines,
}

/// <summary>What an operation returns: the kind of the success body, its C# type (JSON kinds), and its media type.</summary>
internal sealed record ResponseSpec(ResponseKind Kind, TypeRef? Type, string? MediaType)
{
    public static ResponseSpec None { get; } = new(ResponseKind.None, null, null);
}

/// <summary>
/// A recognised paged operation: the parameter that takes the next page's token, the response's
/// list of items, and the path (C# members) to the next token and, when there is one, to "has more".
/// </summary>
internal sealed record PaginationSpec(
    string MethodName,
    string TokenParameter,
    string ItemsProperty,
    TypeRef ItemType,
    EquatableArray<string> NextTokenPath,
    EquatableArray<string> HasMorePath);

/// <summary>A piece of a path template: literal text, or the index of a path parameter.</summary>
internal sealed record PathSegmentSpec(string? Literal, int ParameterIndex);

internal enum ParameterLocation
{
    Path,
    Query,
    Header,
    Cookie,
}

/// <summary>How a value is written into the URL or a header (OpenAPI's <c>style</c> and <c>explode</c>).</summary>
internal enum ParameterStyle
{
    /// <summary>One value; a list repeats the name (<c>form</c>, exploded) in a query, and is comma-joined elsewhere.</summary>
    Default,

    /// <summary>A list joined by commas (<c>form</c>, <c>explode: false</c>).</summary>
    CommaDelimited,
    SpaceDelimited,
    PipeDelimited,

    /// <summary>An object's scalar members as <c>name[member]=value</c>.</summary>
    DeepObject,

    /// <summary>An object's scalar members as <c>member=value</c> (<c>form</c>, exploded).</summary>
    ObjectMembers,

    /// <summary>A value no style can write (a list of objects, say), sent as JSON text.</summary>
    Json,
}

internal sealed record ParameterSpec(
    string Name,
    string WireName,
    ParameterLocation Location,
    TypeRef Type,
    bool IsRequired,
    DocSpec Doc,
    ParameterStyle Style = ParameterStyle.Default);

internal enum BodyKind
{
    Json,
    Text,
    Binary,
    FormUrlEncoded,
    Multipart,
}

/// <summary>
/// A request body. JSON and text bodies are one parameter; a binary body is a <c>Stream</c>; the
/// members of a form or multipart body are parameters of their own (<see cref="Fields"/>).
/// </summary>
internal sealed record BodySpec(string ParameterName, TypeRef Type, bool IsRequired, DocSpec Doc, BodyKind Kind = BodyKind.Json, string MediaType = "application/json")
{
    public EquatableArray<FieldSpec> Fields { get; init; } = EquatableArray<FieldSpec>.Empty;
}

/// <summary>A member of a form or multipart body, as a method parameter; a file is a <c>Stream</c>.</summary>
internal sealed record FieldSpec(string ParameterName, string WireName, TypeRef Type, bool IsRequired, bool IsFile, DocSpec Doc);

/// <summary>
/// A type the JSON context gives metadata for, with the name of its context property.
/// <see cref="IsRead"/>: the client reads it (it is in a response or an error body, at any depth),
/// so it gets a generated reader. <see cref="IsReadByMetadata"/>: System.Text.Json reaches it through
/// its own metadata when reading (a response itself, a union's case, or the element of one), so a
/// model gets the generated reader as its converter; models read only inside others are read by
/// their parents' generated readers and keep object metadata of their own.
/// </summary>
internal sealed record JsonTypeSpec(string PropertyName, TypeRef Type, bool IsRead = false, bool IsReadByMetadata = false);
