using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Shaping;

namespace Baseten.Aot.Generator.Emitting;

/// <summary>
/// Emits the <c>JsonSerializerContext</c> with metadata built through <c>JsonMetadataServices</c>,
/// in the shape System.Text.Json's own generator uses (that generator never runs on our output),
/// plus fast-path serialize handlers that write with pre-encoded property names.
/// </summary>
internal sealed class JsonContextEmitter
{
    private const string Json = "global::System.Text.Json";
    private const string Metadata = "global::System.Text.Json.Serialization.Metadata";

    private readonly ApiSpec _spec;
    private readonly SourceWriter _writer;
    private readonly Dictionary<TypeRef, string> _infoNames = new();
    // (model, wire name) -> the field holding the pre-encoded name, e.g. PropertyNames.Pet.Name.
    private readonly Dictionary<(string Model, string JsonName), string> _propertyNameFields = new();
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

        foreach (ModelSpec model in spec.Models)
        {
            var fieldNames = new NameTable(null, model.Name);
            foreach (PropertySpec property in model.Properties)
            {
                _propertyNameFields[(model.Name, property.JsonName)] = "PropertyNames." + model.Name + "." + fieldNames.Claim(property.Name);
            }
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

    private string Type(TypeRef type) => TypeNames.CSharp(type, _spec.Namespace);

    private string InfoOf(TypeRef type) => _infoNames[type.MetadataKey];

    private void EmitContext()
    {
        string name = _spec.ContextName;
        _writer.WriteLine($$"""
            /// <summary>
            /// System.Text.Json metadata for every type of the {{CSharpText.XmlLine(_spec.Title)}} client, written by
            /// Baseten.Aot.Generator without reflection: safe for trimming and NativeAOT.
            /// </summary>
            {{GeneratedFile.GeneratedCodeAttribute}}
            public sealed partial class {{name}} : {{Json}}.Serialization.JsonSerializerContext, {{Metadata}}.IJsonTypeInfoResolver
            {
                private static readonly {{Json}}.JsonSerializerOptions s_defaultOptions = new();

                /// <summary>A context over default options; what the generated client uses.</summary>
                public static {{name}} Default { get; } = new(new {{Json}}.JsonSerializerOptions(s_defaultOptions));

                /// <summary>Creates a context over default options.</summary>
                public {{name}}()
                    : base(null)
                {
                }

                /// <summary>Creates a context over <paramref name="options"/> (indentation, unmapped member handling, ...).</summary>
                public {{name}}({{Json}}.JsonSerializerOptions options)
                    : base(options)
                {
                }

                /// <inheritdoc/>
                protected override {{Json}}.JsonSerializerOptions? GeneratedSerializerOptions { get; } = s_defaultOptions;

                /// <summary>
                /// The metadata for <paramref name="type"/>, or null. Asking by <see cref="global::System.Type"/>
                /// makes every type of the document reachable; the typed properties keep only what they use.
                /// </summary>
                public override {{Metadata}}.JsonTypeInfo? GetTypeInfo(global::System.Type type)
                {
                    RegisterAll();
                    Options.TryGetTypeInfo(type, out {{Metadata}}.JsonTypeInfo? typeInfo);
                    return typeInfo;
                }

                // Pay for what you use: System.Text.Json asks this resolver for a type's metadata only after
                // something registered how to make it, and registration follows the type graph from the
                // typed property the caller used (each object registers its properties' types). A trimmed
                // app that calls one operation keeps the metadata of that operation's types and no more.
                private readonly global::System.Collections.Generic.Dictionary<global::System.Type, global::System.Func<{{Json}}.JsonSerializerOptions, {{Metadata}}.JsonTypeInfo>> _factories = new();

                {{Metadata}}.JsonTypeInfo? {{Metadata}}.IJsonTypeInfoResolver.GetTypeInfo(global::System.Type type, {{Json}}.JsonSerializerOptions options)
                {
                    global::System.Func<{{Json}}.JsonSerializerOptions, {{Metadata}}.JsonTypeInfo>? factory;
                    lock (_factories)
                    {
                        _factories.TryGetValue(type, out factory);
                    }

                    return factory?.Invoke(options);
                }

                private void Register(global::System.Type type, global::System.Func<{{Json}}.JsonSerializerOptions, {{Metadata}}.JsonTypeInfo> factory)
                {
                    lock (_factories)
                    {
                        _factories.TryAdd(type, factory);
                    }
                }

                // The models whose generated readers have registered what they read through metadata (unions):
                // System.Text.Json never builds the metadata of a model another reads directly, so registration
                // cannot follow the type graph there; each reader's RegisterReads_ does it, once.
                // (A dictionary of the same type as _factories, the values unused: no other collection type in a trimmed app.)
                private readonly global::System.Collections.Generic.Dictionary<global::System.Type, global::System.Func<{{Json}}.JsonSerializerOptions, {{Metadata}}.JsonTypeInfo>?> _readsRegistered = new();

                private bool FirstReadRegistration(global::System.Type type)
                {
                    lock (_factories)
                    {
                        return _readsRegistered.TryAdd(type, null);
                    }
                }

                /// <summary>
                /// This context as a resolver that knows every type of the document, for composing into other
                /// options: ASP.NET's <c>TypeInfoResolverChain</c>, <c>JsonTypeInfoResolver.Combine</c>, <c>WithAddedModifier</c>.
                /// Used as a resolver directly, the context serves only the types its typed properties have reached;
                /// this keeps every type's metadata in a trimmed app.
                /// </summary>
                public {{Metadata}}.IJsonTypeInfoResolver AllTypes
                {
                    get
                    {
                        RegisterAll();
                        return this;
                    }
                }

                private {{Metadata}}.JsonTypeInfo Resolve(global::System.Type type, global::System.Func<{{Json}}.JsonSerializerOptions, {{Metadata}}.JsonTypeInfo> factory)
                {
                    Register(type, factory);
                    return Options.GetTypeInfo(type);
                }

                private void RegisterAll()
                {
            """);
        _writer.Indent();
        _writer.Indent();
        foreach (JsonTypeSpec type in _spec.JsonTypes)
        {
            _writer.WriteLine("Register(typeof(" + Type(type.Type) + "), Create_" + type.PropertyName + ");");
        }

        _writer.Unindent();
        _writer.WriteLine("}");
        _writer.WriteLine($$"""

            // Options may carry a converter for any type; it wins over generated metadata, as in System.Text.Json.
            private static bool TryGetCustomConverter<T>({{Json}}.JsonSerializerOptions options, [global::System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out {{Metadata}}.JsonTypeInfo<T>? typeInfo)
            {
                for (int i = 0; i < options.Converters.Count; i++)
                {
                    {{Json}}.Serialization.JsonConverter converter = options.Converters[i];
                    if (converter.CanConvert(typeof(T)))
                    {
                        if (converter is {{Json}}.Serialization.JsonConverterFactory factory)
                        {
                            converter = factory.CreateConverter(typeof(T), options)
                                ?? throw new global::System.InvalidOperationException("The converter factory " + factory.GetType() + " returned null for " + typeof(T) + ".");
                        }

                        typeInfo = {{Metadata}}.JsonMetadataServices.CreateValueInfo<T>(options, converter);
                        return true;
                    }
                }

                typeInfo = null;
                return false;
            }

            // An app that never customizes the contracts of response models (no modifier, chain or
            // option of those below for them) sets the feature switch Baseten.Aot.Json.PropertyMetadata to
            // false: every response model then uses its generated reader and writer, and a trimmed app
            // drops their property metadata (a NativeAOT compiler folds the property into a constant).
            #if NET9_0_OR_GREATER
            [global::System.Diagnostics.CodeAnalysis.FeatureSwitchDefinition("Baseten.Aot.Json.PropertyMetadata")]
            #endif
            private static bool PropertyMetadata { get; } = !global::System.AppContext.TryGetSwitch("Baseten.Aot.Json.PropertyMetadata", out bool enabled) || enabled;

            // The generated readers and writers stand in for System.Text.Json's object converters only where
            // nothing could make them differ: the context is the options' whole resolver (no modifier or
            // chain can see or change a contract), no converter is added, and every option that changes how
            // an object is read or written has its default. Otherwise objects get property metadata.
            // IgnoreNullValues, obsolete since .NET 5, is not consulted: DefaultIgnoreCondition replaces it.
            private bool ReadsDirectly({{Json}}.JsonSerializerOptions options)
                => ReferenceEquals(options.TypeInfoResolver, this)
                    && options.Converters.Count == 0
                    && options.Encoder is null
                    && options.NumberHandling == {{Json}}.Serialization.JsonNumberHandling.Strict
                    && options.UnmappedMemberHandling == {{Json}}.Serialization.JsonUnmappedMemberHandling.Skip
                    && options.PreferredObjectCreationHandling == {{Json}}.Serialization.JsonObjectCreationHandling.Replace
                    && options.DefaultIgnoreCondition == {{Json}}.Serialization.JsonIgnoreCondition.Never
                    && !options.IgnoreReadOnlyProperties
                    && !options.PropertyNameCaseInsensitive
                    && options.ReferenceHandler is null
                    && options.DictionaryKeyPolicy is null
            #if NET9_0_OR_GREATER
                    && !options.RespectNullableAnnotations
            #endif
            #if NET10_0_OR_GREATER
                    && options.AllowDuplicateProperties
            #endif
                    ;

            internal delegate T? ValueReader<T>(ref {{Json}}.Utf8JsonReader reader, {{Json}}.JsonSerializerOptions options);

            /// <summary>A model's generated reader and writer, as its metadata's converter (see <c>ReadsDirectly</c>).</summary>
            internal sealed class GeneratedConverter<T> : {{Json}}.Serialization.JsonConverter<T>
                where T : class
            {
                private readonly ValueReader<T> _read;
                private readonly global::System.Action<{{Json}}.Utf8JsonWriter, T?> _write;

                internal GeneratedConverter(ValueReader<T> read, global::System.Action<{{Json}}.Utf8JsonWriter, T?> write)
                {
                    _read = read;
                    _write = write;
                }

                /// <summary>Reads the value at the reader, a JSON null as null; for the unions, which read variants directly.</summary>
                internal T? ReadValue(ref {{Json}}.Utf8JsonReader reader, {{Json}}.JsonSerializerOptions options) => _read(ref reader, options);

                public override T Read(ref {{Json}}.Utf8JsonReader reader, global::System.Type typeToConvert, {{Json}}.JsonSerializerOptions options)
                    => _read(ref reader, options)!;

                public override void Write({{Json}}.Utf8JsonWriter writer, T value, {{Json}}.JsonSerializerOptions options)
                    => _write(writer, value);
            }

            // A union as a member: read by its own converter (the context's, since no converter was added).
            private static T? ReadWithMetadata<T>(ref {{Json}}.Utf8JsonReader reader, {{Json}}.JsonSerializerOptions options)
                where T : class
                => reader.TokenType == {{Json}}.JsonTokenType.Null
                    ? null
                    : (({{Json}}.Serialization.JsonConverter<T>)options.GetTypeInfo(typeof(T)).Converter).Read(ref reader, typeof(T), options);

            // A property name that is escaped or split across buffers, unescaped; null when it is too long to be
            // any of the caller's names (an escape takes at most 6 bytes for one byte of the name).
            private static byte[]? UnescapedName(ref {{Json}}.Utf8JsonReader reader, int longest)
            {
                long length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
                if (length > 6L * longest)
                {
                    return null;
                }

                byte[] name = new byte[length];
                int written = reader.CopyString(name);
                return written == name.Length ? name : global::System.MemoryExtensions.AsSpan(name, 0, written).ToArray();
            }

            private static {{Json}}.JsonException NotA(string what, string type, {{Json}}.JsonTokenType token)
                => new("The JSON value could not be converted to " + type + ": expected " + what + ", found " + token + ".");

            // missing: the required names, null where the property was read.
            private static {{Json}}.JsonException MissingRequired(string type, string?[] missing)
            {
                var names = new global::System.Text.StringBuilder();
                foreach (string? name in missing)
                {
                    if (name is not null)
                    {
                        names.Append(names.Length == 0 ? "'" : ", '").Append(name).Append('\'');
                    }
                }

                return new("The JSON object for " + type + " is missing required properties: " + names + ".");
            }

            // A JSON null for a required member whose type cannot be null: refused, as a missing one is.
            private static {{Json}}.JsonException NullForRequired(string property, string type)
                => new("The JSON property '" + property + "' of " + type + " is required and cannot be null.");

            // For the models' IJsonOnSerializing, which only a resolver other than this context calls.
            internal static global::System.InvalidOperationException AssignedNullRefused(string member)
                => new(member + " was assigned null, which only {{name}} sends (as JSON null: clear this value); this resolver would leave it out. Serialize with {{name}}, or compose {{name}}.Default.AllTypes into your resolver.");
            """);

        _writer.Unindent();
        _writer.WriteLine("}");
    }

    private void EmitTypeInfo(JsonTypeSpec spec, bool first)
    {
        string type = Type(spec.Type);
        string name = spec.PropertyName;
        if (!first)
        {
            _writer.WriteLine();
        }

        _writer.WriteLine($$"""
            private {{Metadata}}.JsonTypeInfo<{{type}}>? _{{name}};

            /// <summary>JSON metadata for <see cref="{{DocCref(spec.Type)}}"/>.</summary>
            public {{Metadata}}.JsonTypeInfo<{{type}}> {{name}}
                => _{{name}} ??= ({{Metadata}}.JsonTypeInfo<{{type}}>)Resolve(typeof({{type}}), Create_{{name}});

            private {{Metadata}}.JsonTypeInfo<{{type}}> Create_{{name}}({{Json}}.JsonSerializerOptions options)
            {
                if (!TryGetCustomConverter(options, out {{Metadata}}.JsonTypeInfo<{{type}}>? typeInfo))
                {
            """);
        _writer.Indent();
        _writer.Indent();
        foreach (TypeRef dependency in Dependencies(spec.Type))
        {
            _writer.WriteLine("Register(typeof(" + Type(dependency) + "), Create_" + InfoOf(dependency) + ");");
        }

        switch (spec.Type)
        {
            case { IsNullable: true }:
                _writer.WriteLine("typeInfo = " + Metadata + ".JsonMetadataServices.CreateValueInfo<" + type + ">(options, " + Metadata + ".JsonMetadataServices.GetNullableConverter<" + Type(spec.Type.WithNullable(false)) + ">(options));");
                break;
            case { Kind: TypeKind.Model } when spec.IsRead && !spec.IsReadByMetadata:
                // Read only inside another model, whose reader reads it directly: its own metadata is
                // asked for only when property metadata is on, or when someone asks for the type.
                EmitReaderOrObjectInfo(spec, type, name, "!PropertyMetadata", registersReads: false);
                break;
            case { Kind: TypeKind.Model } when !spec.IsReadByMetadata:
                EmitObjectInfo(_models[spec.Type.Name!], type, name);
                break;
            case { Kind: TypeKind.Model }:
                EmitReaderOrObjectInfo(spec, type, name, "!PropertyMetadata || ReadsDirectly(options)", registersReads: true);
                break;
            case { Kind: TypeKind.Enum or TypeKind.Union }:
                _writer.WriteLine("typeInfo = " + Metadata + ".JsonMetadataServices.CreateValueInfo<" + type + ">(options, new " + type + ".Converter());");
                break;
            case { Kind: TypeKind.Array }:
                _writer.WriteLine($$"""
                    var info = new {{Metadata}}.JsonCollectionInfoValues<{{type}}>
                    {
                        ObjectCreator = null,
                        SerializeHandler = {{name}}SerializeHandler,
                    };
                    typeInfo = {{Metadata}}.JsonMetadataServices.CreateIEnumerableInfo<{{type}}, {{Type(spec.Type.Element!)}}>(options, info);
                    """);
                break;
            case { Kind: TypeKind.Map }:
                _writer.WriteLine($$"""
                    var info = new {{Metadata}}.JsonCollectionInfoValues<{{type}}>
                    {
                        ObjectCreator = static () => new global::System.Collections.Generic.Dictionary<string, {{Type(spec.Type.Element!)}}>(),
                        SerializeHandler = {{name}}SerializeHandler,
                    };
                    typeInfo = {{Metadata}}.JsonMetadataServices.CreateIReadOnlyDictionaryInfo<{{type}}, string, {{Type(spec.Type.Element!)}}>(options, info);
                    """);
                break;
            default:
                _writer.WriteLine("typeInfo = " + Metadata + ".JsonMetadataServices.CreateValueInfo<" + type + ">(options, " + Metadata + ".JsonMetadataServices." + spec.Type.Kind + "Converter);");
                break;
        }

        _writer.Unindent();
        _writer.Unindent();
        _writer.WriteLine("""
                }

                typeInfo.OriginatingResolver = this;
                return typeInfo;
            }
            """);

        if (spec.IsRead && !spec.Type.IsNullable)
        {
            switch (spec.Type.Kind)
            {
                case TypeKind.Model:
                    EmitModelReader(_models[spec.Type.Name!], type, name);
                    break;
                case TypeKind.Array:
                    EmitArrayReader(spec.Type, type, name);
                    break;
                case TypeKind.Map:
                    EmitMapReader(spec.Type, type, name);
                    break;
            }
        }

        switch (spec.Type.Kind)
        {
            case TypeKind.Model:
                EmitObjectHandlers(_models[spec.Type.Name!], type, name);
                break;
            case TypeKind.Array:
                EmitHandler(type, name, () =>
                {
                    _writer.WriteLine("writer.WriteStartArray();");
                    _writer.WriteLine("for (int i = 0; i < value.Count; i++)");
                    _writer.OpenBlock();
                    WriteValue(spec.Type.Element!, "value[i]");
                    _writer.CloseBlock();
                    _writer.WriteLine("writer.WriteEndArray();");
                });
                break;
            case TypeKind.Map:
                EmitHandler(type, name, () =>
                {
                    _writer.WriteLine("writer.WriteStartObject();");
                    _writer.WriteLine("foreach (global::System.Collections.Generic.KeyValuePair<string, " + Type(spec.Type.Element!) + "> entry in value)");
                    _writer.OpenBlock();
                    _writer.WriteLine("writer.WritePropertyName(entry.Key);");
                    WriteValue(spec.Type.Element!, "entry.Value");
                    _writer.CloseBlock();
                    _writer.WriteLine("writer.WriteEndObject();");
                });
                break;
        }
    }

    // Pre-encoded property names, one class per model: each is initialized on first use, so a
    // trimmed app keeps (and encodes at start-up) only the names of the models it writes.
    private void EmitPropertyNames()
    {
        if (_spec.Models.Count == 0)
        {
            return;
        }

        _writer.WriteLine();
        _writer.WriteLine("private static partial class PropertyNames");
        _writer.OpenBlock();
        for (int i = 0; i < _spec.Models.Count; i++)
        {
            ModelSpec model = _spec.Models[i];
            _writer.WriteLine((i == 0 ? string.Empty : "\n") + "internal static class " + model.Name);
            _writer.OpenBlock();
            foreach (PropertySpec property in model.Properties)
            {
                string field = _propertyNameFields[(model.Name, property.JsonName)];
                _writer.WriteLine("internal static readonly " + Json + ".JsonEncodedText " + field.Substring(field.LastIndexOf('.') + 1) + " = " + Json + ".JsonEncodedText.Encode(" + CSharpText.Literal(property.JsonName) + ");");
            }

            _writer.CloseBlock();
        }

        _writer.CloseBlock();
    }

    // The types whose metadata System.Text.Json asks for while it builds this type's.
    private IEnumerable<TypeRef> Dependencies(TypeRef type)
    {
        var seen = new HashSet<TypeRef>();
        IEnumerable<TypeRef> direct = type switch
        {
            { IsNullable: true } => [type.WithNullable(false)],
            { Kind: TypeKind.Model } => _models[type.Name!].Properties.Select(p => p.Type.MetadataKey),
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
        _ => Type(type),
    };

    // The model's generated reader and writer as its converter when the condition holds, its object
    // metadata otherwise.
    private void EmitReaderOrObjectInfo(JsonTypeSpec spec, string type, string name, string condition, bool registersReads)
    {
        _writer.WriteLine("if (" + condition + ")");
        _writer.OpenBlock();
        if (registersReads)
        {
            _writer.WriteLine("RegisterReads_" + name + "();");
        }

        _writer.WriteLine("typeInfo = " + Metadata + ".JsonMetadataServices.CreateValueInfo<" + type + ">(options, new GeneratedConverter<" + type + ">(Read_" + name + ", " + name + "SerializeHandler));");
        _writer.CloseBlock();
        _writer.WriteLine("else");
        _writer.OpenBlock();
        EmitObjectInfo(_models[spec.Type.Name!], type, name);
        _writer.CloseBlock();
    }

    private void EmitObjectInfo(ModelSpec model, string type, string name)
    {
        string creator = model.HasRequiredMembers ? "new " + type + "(context: null)" : "new " + type + "()";
        _writer.WriteLine($$"""
            var info = new {{Metadata}}.JsonObjectInfoValues<{{type}}>
            {
                ObjectCreator = static () => {{creator}},
                ObjectWithParameterizedConstructorCreator = null,
                PropertyMetadataInitializer = _ => {{name}}Properties(options),
                ConstructorParameterMetadataInitializer = null,
                SerializeHandler = {{name}}SerializeHandler,
            };
            typeInfo = {{Metadata}}.JsonMetadataServices.CreateObjectInfo<{{type}}>(options, info);
            typeInfo.NumberHandling = null;
            """);
        if (model.TrackedCount > 0)
        {
            // The model's IJsonOnSerializing refuses other resolvers an assigned null; this metadata writes it.
            _writer.WriteLine("typeInfo.OnSerializing = null;");
        }
    }

    // The generated reader: property names matched as UTF-8 bytes (by length, then content), values read
    // with the reader's own getters (which System.Text.Json's converters for them use too) and nested
    // models, lists and maps by their generated readers. What System.Text.Json's object converter does
    // is kept: members in any order, unknown ones skipped, the last of a repeated one wins, a missing
    // required one (or a null for one that cannot be null) is a JsonException.
    private void EmitModelReader(ModelSpec model, string type, string name)
    {
        string creator = model.HasRequiredMembers ? "new " + type + "(context: null)" : "new " + type + "()";
        var required = new List<PropertySpec>();
        int longest = 0;
        foreach (PropertySpec property in model.Properties)
        {
            longest = System.Math.Max(longest, Utf8Length(property.JsonName));
            if (property.IsRequired)
            {
                required.Add(property);
            }
        }

        _writer.WriteLine($$"""

            private static {{type}}? Read_{{name}}(ref {{Json}}.Utf8JsonReader reader, {{Json}}.JsonSerializerOptions options)
            {
                if (reader.TokenType != {{Json}}.JsonTokenType.StartObject)
                {
                    return reader.TokenType == {{Json}}.JsonTokenType.Null ? null : throw NotA("an object", {{CSharpText.Literal(model.Name)}}, reader.TokenType);
                }

                var value = {{creator}};
            """);
        _writer.Indent();
        for (int mask = 0; mask * 64 < required.Count; mask++)
        {
            _writer.WriteLine("ulong required" + Invariant(mask) + " = 0;");
        }

        _writer.WriteLine($$"""
            while (reader.Read() && reader.TokenType == {{Json}}.JsonTokenType.PropertyName)
            {
                int property = reader.HasValueSequence || reader.ValueIsEscaped
                    ? UnescapedName(ref reader, {{Invariant(longest)}}) is { } unescaped ? PropertyIndex_{{name}}(unescaped) : -1
                    : PropertyIndex_{{name}}(reader.ValueSpan);
                reader.Read();
                switch (property)
                {
            """);
        _writer.Indent();
        _writer.Indent();
        for (int i = 0; i < model.Properties.Count; i++)
        {
            PropertySpec property = model.Properties[i];
            _writer.WriteLine("case " + Invariant(i) + ":");
            _writer.Indent();
            string read = ReadExpression(property.Type);
            bool forgive = !property.Type.IsValueType && (!property.Type.IsNullable || ForgivingSuffix(property.Type).Length > 0);
            _writer.WriteLine(property.IsRequired && !property.Type.IsNullable && !property.Type.IsValueType
                ? "value." + property.Name + " = (" + read + " ?? throw NullForRequired(" + CSharpText.Literal(property.JsonName) + ", " + CSharpText.Literal(model.Name) + "))" + ForgivingSuffix(property.Type) + ";"
                : "value." + property.Name + " = " + read + (forgive ? "!" : string.Empty) + ";");
            if (property.IsRequired)
            {
                int bit = required.IndexOf(property);
                _writer.WriteLine("required" + Invariant(bit / 64) + " |= " + ModelEmitter.AssignedBit(bit) + ";");
            }

            _writer.WriteLine("break;");
            _writer.Unindent();
        }

        _writer.WriteLine("default:");
        _writer.WriteLine("    reader.Skip();");
        _writer.WriteLine("    break;");
        _writer.Unindent();
        _writer.Unindent();
        _writer.WriteLine("""
                }
            }

            """);
        _writer.WriteLine("if (reader.TokenType != " + Json + ".JsonTokenType.EndObject)");
        _writer.OpenBlock();
        _writer.WriteLine("throw NotA(\"a complete object\", " + CSharpText.Literal(model.Name) + ", reader.TokenType);");
        _writer.CloseBlock();
        if (required.Count > 0)
        {
            var complete = new List<string>();
            for (int mask = 0; mask * 64 < required.Count; mask++)
            {
                int bits = System.Math.Min(64, required.Count - (mask * 64));
                ulong all = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
                complete.Add("required" + Invariant(mask) + " != 0x" + all.ToString("X", System.Globalization.CultureInfo.InvariantCulture) + "UL");
            }

            _writer.WriteLine();
            _writer.WriteLine("if (" + string.Join(" || ", complete) + ")");
            _writer.OpenBlock();
            _writer.WriteLine("throw MissingRequired(" + CSharpText.Literal(model.Name) + ",");
            _writer.WriteLine("[");
            _writer.Indent();
            for (int bit = 0; bit < required.Count; bit++)
            {
                _writer.WriteLine("(required" + Invariant(bit / 64) + " & " + ModelEmitter.AssignedBit(bit) + ") == 0 ? " + CSharpText.Literal(required[bit].JsonName) + " : null,");
            }

            _writer.Unindent();
            _writer.WriteLine("]);");
            _writer.CloseBlock();
        }

        _writer.WriteLine();
        _writer.WriteLine("return value;");
        _writer.Unindent();
        _writer.WriteLine("}");

        // What this reader reads through metadata, and the same for the models it reads directly.
        _writer.WriteLine();
        _writer.WriteLine("private void RegisterReads_" + name + "()");
        _writer.OpenBlock();
        _writer.WriteLine("if (!FirstReadRegistration(typeof(" + type + ")))");
        _writer.OpenBlock();
        _writer.WriteLine("return;");
        _writer.CloseBlock();
        bool blank = false;
        var registered = new HashSet<TypeRef>();
        foreach (PropertySpec property in model.Properties)
        {
            for (TypeRef? part = property.Type.MetadataKey.WithNullable(false); part is not null; part = part.Element?.MetadataKey.WithNullable(false))
            {
                if (part.Kind is TypeKind.Union or TypeKind.Model && registered.Add(part))
                {
                    if (!blank)
                    {
                        _writer.WriteLine();
                        blank = true;
                    }

                    _writer.WriteLine(part.Kind == TypeKind.Union
                        ? "Register(typeof(" + Type(part) + "), Create_" + InfoOf(part) + ");"
                        : "RegisterReads_" + InfoOf(part) + "();");
                }
            }
        }

        _writer.CloseBlock();

        // Names by UTF-8 length, then by their bytes.
        _writer.WriteLine();
        _writer.WriteLine("private static int PropertyIndex_" + name + "(global::System.ReadOnlySpan<byte> name)");
        _writer.OpenBlock();
        if (model.Properties.Count > 0)
        {
            _writer.WriteLine("switch (name.Length)");
            _writer.OpenBlock();
            foreach (IGrouping<int, (PropertySpec Property, int Index)> group in model.Properties
                .Select((p, i) => (Property: p, Index: i))
                .GroupBy(x => Utf8Length(x.Property.JsonName))
                .OrderBy(g => g.Key))
            {
                _writer.WriteLine("case " + Invariant(group.Key) + ":");
                _writer.Indent();
                foreach ((PropertySpec property, int index) in group)
                {
                    _writer.WriteLine("if (global::System.MemoryExtensions.SequenceEqual(name, " + Utf8Literal(property.JsonName) + "))");
                    _writer.OpenBlock();
                    _writer.WriteLine("return " + Invariant(index) + ";");
                    _writer.CloseBlock();
                    _writer.WriteLine();
                }

                _writer.WriteLine("break;");
                _writer.Unindent();
            }

            _writer.CloseBlock();
            _writer.WriteLine();
        }

        _writer.WriteLine("return -1;");
        _writer.CloseBlock();
    }

    private void EmitArrayReader(TypeRef array, string type, string name)
    {
        string element = Type(array.Element!);
        _writer.WriteLine($$"""

            private static {{type}}? Read_{{name}}(ref {{Json}}.Utf8JsonReader reader, {{Json}}.JsonSerializerOptions options)
            {
                if (reader.TokenType != {{Json}}.JsonTokenType.StartArray)
                {
                    return reader.TokenType == {{Json}}.JsonTokenType.Null ? null : throw NotA("an array", {{CSharpText.Literal(type)}}, reader.TokenType);
                }

                var list = new global::System.Collections.Generic.List<{{element}}>();
                while (reader.Read() && reader.TokenType != {{Json}}.JsonTokenType.EndArray)
                {
                    list.Add({{ReadExpression(array.Element!)}}{{ElementSuffix(array.Element!)}});
                }

                return reader.TokenType == {{Json}}.JsonTokenType.EndArray ? list : throw NotA("a complete array", {{CSharpText.Literal(type)}}, reader.TokenType);
            }
            """);
    }

    private void EmitMapReader(TypeRef map, string type, string name)
    {
        string element = Type(map.Element!);
        _writer.WriteLine($$"""

            private static {{type}}? Read_{{name}}(ref {{Json}}.Utf8JsonReader reader, {{Json}}.JsonSerializerOptions options)
            {
                if (reader.TokenType != {{Json}}.JsonTokenType.StartObject)
                {
                    return reader.TokenType == {{Json}}.JsonTokenType.Null ? null : throw NotA("an object", {{CSharpText.Literal(type)}}, reader.TokenType);
                }

                var map = new global::System.Collections.Generic.Dictionary<string, {{element}}>();
                while (reader.Read() && reader.TokenType == {{Json}}.JsonTokenType.PropertyName)
                {
                    string key = reader.GetString()!;
                    reader.Read();
                    map[key] = {{ReadExpression(map.Element!)}}{{ElementSuffix(map.Element!)}};
                }

                return reader.TokenType == {{Json}}.JsonTokenType.EndObject ? map : throw NotA("a complete object", {{CSharpText.Literal(type)}}, reader.TokenType);
            }
            """);
    }

    // An element whose type cannot be null still takes a JSON null, as System.Text.Json's collections do.
    private static string ElementSuffix(TypeRef element) => element.IsValueType ? string.Empty : "!";

    // Reads the value at the reader as `type` (a JSON null as null where the type is a reference or Nullable).
    private string ReadExpression(TypeRef type)
    {
        if (type.IsNullable && type.IsValueType)
        {
            return "(reader.TokenType == " + Json + ".JsonTokenType.Null ? null : (" + Type(type) + ")" + ReadExpression(type.WithNullable(false)) + ")";
        }

        return type.Kind switch
        {
            TypeKind.String => "reader.GetString()",
            TypeKind.Boolean => "reader.GetBoolean()",
            TypeKind.Int32 => "reader.GetInt32()",
            TypeKind.Int64 => "reader.GetInt64()",
            TypeKind.Double => "reader.GetDouble()",
            TypeKind.DateTimeOffset => "reader.GetDateTimeOffset()",
            TypeKind.JsonElement => Json + ".JsonElement.ParseValue(ref reader)",
            TypeKind.Enum => "(reader.TokenType == " + Json + ".JsonTokenType.Null ? null : " + Type(type.WithNullable(false)) + ".Converter.ReadValue(ref reader))",
            TypeKind.Union => "ReadWithMetadata<" + Type(type.WithNullable(false)) + ">(ref reader, options)",
            _ => "Read_" + InfoOf(type) + "(ref reader, options)",
        };
    }

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

    private void EmitObjectHandlers(ModelSpec model, string type, string name)
    {
        _writer.WriteLine();
        _writer.WriteLine("private static " + Metadata + ".JsonPropertyInfo[] " + name + "Properties(" + Json + ".JsonSerializerOptions options)");
        _writer.OpenBlock();
        _writer.WriteLine("var properties = new " + Metadata + ".JsonPropertyInfo[" + model.Properties.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + "];");
        for (int i = 0; i < model.Properties.Count; i++)
        {
            PropertySpec property = model.Properties[i];
            string propertyType = Type(property.Type);
            string index = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string ignore = property.IsRequired || property.TracksAssignment ? "null" : Json + ".Serialization.JsonIgnoreCondition.WhenWritingNull";
            _writer.WriteLine($$"""

                properties[{{index}}] = {{Metadata}}.JsonMetadataServices.CreatePropertyInfo(options, new {{Metadata}}.JsonPropertyInfoValues<{{propertyType}}>
                {
                    IsProperty = true,
                    IsPublic = true,
                    IsVirtual = false,
                    DeclaringType = typeof({{type}}),
                    Converter = null,
                    Getter = static obj => (({{type}})obj).{{property.Name}},
                    Setter = static (obj, value) => (({{type}})obj).{{property.Name}} = {{SetValue(model, property)}},
                    IgnoreCondition = {{ignore}},
                    HasJsonInclude = false,
                    IsExtensionData = false,
                    NumberHandling = null,
                    PropertyName = "{{property.Name}}",
                    JsonPropertyName = {{CSharpText.Literal(property.JsonName)}},
                });
                """);
            if (property.IsRequired)
            {
                _writer.WriteLine("properties[" + index + "].IsRequired = true;");
            }

            if (property.TracksAssignment)
            {
                // Unset is omitted, assigned null is written: the same rule as the fast path below.
                _writer.WriteLine("properties[" + index + "].ShouldSerialize = static (obj, value) => value is not null || " + IsAssigned(model, property, "((" + type + ")obj)") + ";");
            }
        }

        _writer.WriteLine();
        _writer.WriteLine("return properties;");
        _writer.CloseBlock();

        EmitHandler(type, name, () =>
        {
            _writer.WriteLine("writer.WriteStartObject();");
            foreach (PropertySpec property in model.Properties)
            {
                WriteProperty(model, property);
            }

            _writer.WriteLine("writer.WriteEndObject();");
        });
    }

    // A required property whose type cannot be null refuses a JSON null, as a missing one is refused:
    // System.Text.Json checks only that a required property is present.
    private static string SetValue(ModelSpec model, PropertySpec property)
        => property.IsRequired && !property.Type.IsNullable && !property.Type.IsValueType
            ? "value ?? throw NullForRequired(" + CSharpText.Literal(property.JsonName) + ", " + CSharpText.Literal(model.Name) + ")"
            : "value!";

    // Handlers are instance methods: STJ calls them through a delegate, and a delegate to an
    // instance method avoids the shuffle thunk a static one needs.
    private void EmitHandler(string type, string name, System.Action body)
    {
        _writer.WriteLine($$"""

            private void {{name}}SerializeHandler({{Json}}.Utf8JsonWriter writer, {{type}}? value)
            {
                if (value is null)
                {
                    writer.WriteNullValue();
                    return;
                }

            """);
        _writer.Indent();
        _locals = 0;
        body();
        _writer.Unindent();
        _writer.WriteLine("}");
    }

    private void WriteProperty(ModelSpec model, PropertySpec property)
    {
        string field = _propertyNameFields[(model.Name, property.JsonName)];
        string access = "value." + property.Name;
        if (property.IsRequired && !property.Type.IsNullable)
        {
            WriteNamedValue(field, property.Type, access);
            return;
        }

        string local = NextLocal();
        _writer.WriteLine("if (" + access + " is { } " + local + ")");
        _writer.OpenBlock();
        WriteNamedValue(field, property.Type.WithNullable(false), local);
        _writer.CloseBlock();
        if (property.IsRequired)
        {
            _writer.WriteLine("else");
            _writer.OpenBlock();
            _writer.WriteLine("writer.WriteNull(" + field + ");");
            _writer.CloseBlock();
        }
        else if (property.TracksAssignment)
        {
            _writer.WriteLine("else if (" + IsAssigned(model, property, "value") + ")");
            _writer.OpenBlock();
            _writer.WriteLine("writer.WriteNull(" + field + ");");
            _writer.CloseBlock();
        }
    }

    private static string IsAssigned(ModelSpec model, PropertySpec property, string instance)
    {
        int index = model.TrackingIndexOf(property);
        return "(" + instance + "." + ModelEmitter.AssignedMask(index / 64) + " & " + ModelEmitter.AssignedBit(index) + ") != 0";
    }

    // Writes "name": value, for a value whose type is not nullable (reference types may still hold null at run time).
    private void WriteNamedValue(string field, TypeRef type, string expression)
    {
        switch (type.Kind)
        {
            case TypeKind.String:
            case TypeKind.DateTimeOffset:
                _writer.WriteLine("writer.WriteString(" + field + ", " + expression + ");");
                break;
            case TypeKind.Enum:
                _writer.WriteLine("writer.WriteString(" + field + ", " + expression + "?.Value);");
                break;
            case TypeKind.Boolean:
                _writer.WriteLine("writer.WriteBoolean(" + field + ", " + expression + ");");
                break;
            case TypeKind.Int32:
            case TypeKind.Int64:
            case TypeKind.Double:
                _writer.WriteLine("writer.WriteNumber(" + field + ", " + expression + ");");
                break;
            default:
                _writer.WriteLine("writer.WritePropertyName(" + field + ");");
                WriteValue(type, expression);
                break;
        }
    }

    private void WriteValue(TypeRef type, string expression)
    {
        if (type.IsNullable && type.IsValueType)
        {
            string local = NextLocal();
            _writer.WriteLine("if (" + expression + " is { } " + local + ")");
            _writer.OpenBlock();
            WriteValue(type.WithNullable(false), local);
            _writer.CloseBlock();
            _writer.WriteLine("else");
            _writer.OpenBlock();
            _writer.WriteLine("writer.WriteNullValue();");
            _writer.CloseBlock();
            return;
        }

        _writer.WriteLine(type.Kind switch
        {
            TypeKind.String or TypeKind.DateTimeOffset => "writer.WriteStringValue(" + expression + ");",
            TypeKind.Enum => "writer.WriteStringValue(" + expression + "?.Value);",
            TypeKind.Boolean => "writer.WriteBooleanValue(" + expression + ");",
            TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double => "writer.WriteNumberValue(" + expression + ");",
            TypeKind.JsonElement => expression + ".WriteTo(writer);",
            TypeKind.Union => Json + ".JsonSerializer.Serialize(writer, " + expression + ", " + InfoOf(type) + ");",
            _ => InfoOf(type) + "SerializeHandler(writer, " + expression + ForgivingSuffix(type) + ");",
        });
    }

    /// <summary>
    /// A handler is declared for the metadata key, whose nested reference types are not annotated;
    /// an argument whose element is <c>string?</c> differs only in nullability, which <c>!</c> accepts.
    /// </summary>
    internal static string ForgivingSuffix(TypeRef type)
        => type.WithNullable(false) == type.MetadataKey.WithNullable(false) ? string.Empty : "!";

    private string NextLocal() => "v" + (_locals++).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
