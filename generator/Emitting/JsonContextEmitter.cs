using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

/// <summary>
/// Emits the <c>JsonSerializerContext</c> with metadata built through <c>JsonMetadataServices</c>,
/// in the shape System.Text.Json's own generator uses (that generator never runs on our output),
/// plus fast-path serialize handlers that write with pre-encoded property names.
/// </summary>
internal sealed partial class JsonContextEmitter
{
    private const string Json = "global::System.Text.Json";
    private const string Metadata = "global::System.Text.Json.Serialization.Metadata";

    // The runtime's helpers every context shares, by full name: no name of the document can hide them.
    internal const string Helpers = "global::Baseten.Aot.Http.GeneratedJson";
    internal const string Converter = "global::Baseten.Aot.Http.GeneratedJsonConverter";

    private readonly ApiSpec _spec;
    private readonly SourceWriter _writer;
    private readonly Dictionary<TypeRef, string> _infoNames = new();
    private readonly Dictionary<string, ModelSpec> _models = new();
    private readonly Dictionary<string, UnionSpec> _unions = new();
    private int _locals;

    private JsonContextEmitter(ApiSpec spec)
    {
        _spec = spec;
        _writer = GeneratedFile.Start(spec);
        foreach (JsonTypeSpec type in spec.JsonTypes)
        {
            _infoNames[type.Type] = type.PropertyName;
        }

        foreach (ModelSpec model in spec.Models)
        {
            _models[model.Name] = model;
        }

        foreach (UnionSpec union in spec.Unions)
        {
            _unions[union.Name] = union;
        }
    }

    /// <summary>The context itself: construction, the resolver, registration of every type.</summary>
    public static string EmitContext(ApiSpec spec)
    {
        var emitter = new JsonContextEmitter(spec);
        emitter.EmitContext();
        return GeneratedFile.Finish(emitter._writer);
    }

    /// <summary>
    /// One type's metadata, as a part of the context: its typed property, factory and handlers, and
    /// a model's pre-encoded names. <paramref name="slice"/> holds that type, its model or union,
    /// and the metadata names of the types it refers to; nothing else, so that an edit elsewhere in
    /// the document leaves this file alone.
    /// </summary>
    public static string EmitTypeMetadata(ApiSpec slice, JsonTypeSpec type)
    {
        var emitter = new JsonContextEmitter(slice);
        emitter._writer.WriteLine("partial class " + slice.ContextName);
        emitter._writer.OpenBlock();
        emitter.EmitTypeInfo(type, first: true);
        if (type.Type.Kind == TypeKind.Model && !type.Type.IsNullable)
        {
            emitter.EmitPropertyNames();
        }

        emitter._writer.CloseBlock();
        return GeneratedFile.Finish(emitter._writer);
    }

    // The field holding a property's pre-encoded name, e.g. PropertyNames.Pet.Name.
    private static string EncodedName(ModelSpec model, PropertySpec property) => ContextMemberNames.PropertyNames + "." + model.Name + "." + property.EncodedNameField;

    private string Type(TypeRef type) => TypeNames.CSharp(type, _spec.Namespace);

    private string InfoOf(TypeRef type) => _infoNames[type.MetadataKey];

    // The types whose metadata System.Text.Json asks for while it builds this type's.
    private IEnumerable<TypeRef> Dependencies(TypeRef type)
    {
        var seen = new HashSet<TypeRef>();
        IEnumerable<TypeRef> direct = type switch
        {
            { IsNullable: true } => [type.WithNullable(false)],
            { Kind: TypeKind.Model } => _models[type.Name!].Properties.Select(p => p.Type.MetadataKey)
                .Concat(_models[type.Name!].Derived.Select(d => TypeRef.ModelNamed(d.Model))),
            { Kind: TypeKind.Union } => _unions[type.Name!].Cases.Select(c => c.Type.MetadataKey),
            { Kind: TypeKind.Array or TypeKind.Map } => [type.Element!.MetadataKey],
            _ => [],
        };

        foreach (TypeRef dependency in direct)
        {
            if (seen.Add(dependency))
            {
                yield return dependency;
            }
        }
    }

    private string DocCref(TypeRef type) => type.Kind switch
    {
        TypeKind.Model or TypeKind.Enum or TypeKind.Union when !type.IsNullable => Type(type),
        TypeKind.Array => TypeNames.ReadOnlyList + "{T}",
        TypeKind.Map => TypeNames.ReadOnlyDictionary + "{TKey, TValue}",
        _ when type.IsNullable => "global::System.Nullable{T}",
        TypeKind.String => "string",
        TypeKind.Boolean => "bool",
        TypeKind.Int32 => "int",
        TypeKind.Int64 => "long",
        TypeKind.Double => "double",
        TypeKind.ByteArray => "byte",
        _ => Type(type),
    };

    private static int Utf8Length(string value) => System.Text.Encoding.UTF8.GetByteCount(value);

    // A u8 literal; a name with a lone surrogate (which no u8 literal can hold) as the bytes System.Text.Json compares it by.
    private static string Utf8Literal(string value)
    {
        foreach (char c in value)
        {
            if (char.IsSurrogate(c))
            {
                return "new byte[] { " + string.Join(", ", System.Text.Encoding.UTF8.GetBytes(value).Select(b => Invariant(b))) + " }";
            }
        }

        return CSharpText.Literal(value) + "u8";
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A handler is declared for the metadata key, whose nested reference types are not annotated;
    /// an argument whose element is <c>string?</c> differs only in nullability, which <c>!</c> accepts.
    /// </summary>
    internal static string ForgivingSuffix(TypeRef type)
        => type.WithNullable(false) == type.MetadataKey.WithNullable(false) ? string.Empty : "!";

    private string NextLocal() => "v" + (_locals++).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
