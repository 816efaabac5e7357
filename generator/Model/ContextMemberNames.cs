namespace Baseten.Aot.Generator.Model;

/// <summary>
/// The names of the generated JSON context's members, in one place: Shaping reserves and claims them
/// (so no name from the document can collide with one), Emitting writes them. A rename here renames
/// both, so the two cannot drift apart.
/// </summary>
internal static class ContextMemberNames
{
    /// <summary>The context over default options that the generated client uses.</summary>
    public const string Default = "Default";

    /// <summary>The context as a resolver that knows every type of the document.</summary>
    public const string AllTypes = "AllTypes";

    /// <summary>Registers how to make one type's metadata.</summary>
    public const string Register = "Register";

    /// <summary>Registers every type's metadata.</summary>
    public const string RegisterAll = "RegisterAll";

    /// <summary>Registers a type and returns its metadata from the options.</summary>
    public const string Resolve = "Resolve";

    /// <summary>The registered metadata factories, by type.</summary>
    public const string Factories = "_factories";

    /// <summary>The options a context made without options starts from.</summary>
    public const string DefaultOptions = "s_defaultOptions";

    /// <summary>The nested class holding each model's pre-encoded property names.</summary>
    public const string PropertyNames = "PropertyNames";

    /// <summary>The feature switch that keeps (or drops) response models' property metadata.</summary>
    public const string PropertyMetadata = "PropertyMetadata";

    /// <summary>Inherited from <c>JsonSerializerContext</c>: the context's options.</summary>
    public const string Options = "Options";

    /// <summary>Inherited from <c>JsonSerializerContext</c>, overridden: the options the context was generated with.</summary>
    public const string GeneratedSerializerOptions = "GeneratedSerializerOptions";

    /// <summary>Inherited from <c>JsonSerializerContext</c>, overridden: metadata by <c>System.Type</c>.</summary>
    public const string GetTypeInfo = "GetTypeInfo";

    /// <summary>Every name above: what a type's metadata property (or its helpers) must not be called.</summary>
    public static readonly string[] Fixed =
        [Default, Options, GeneratedSerializerOptions, GetTypeInfo, AllTypes, Register, RegisterAll, Resolve, Factories, DefaultOptions, PropertyNames, PropertyMetadata];

    /// <summary>The field behind the metadata property <paramref name="info"/>.</summary>
    public static string Field(string info) => "_" + info;

    /// <summary>The factory that makes <paramref name="info"/>'s metadata.</summary>
    public static string Create(string info) => "Create_" + info;

    /// <summary>A model's property metadata.</summary>
    public static string Properties(string info) => info + "Properties";

    /// <summary>The fast-path writer.</summary>
    public static string SerializeHandler(string info) => info + "SerializeHandler";

    /// <summary>The generated reader.</summary>
    public static string Read(string info) => "Read_" + info;

    /// <summary>A model reader's lookup of a member by its UTF-8 name.</summary>
    public static string PropertyIndex(string info) => "PropertyIndex_" + info;

    /// <summary>
    /// The metadata property <paramref name="info"/> and every member named after it: a type's
    /// name is free only when all of them are (not every type declares every one).
    /// </summary>
    public static string[] PerType(string info)
        => [info, Field(info), Create(info), Properties(info), SerializeHandler(info), Read(info), PropertyIndex(info)];
}
