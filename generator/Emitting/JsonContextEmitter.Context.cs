using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

// The context class itself: construction, options, the resolver and the helpers the metadata calls.
internal sealed partial class JsonContextEmitter
{
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

            // A union's array or object case, tried as the union's converter tries it through System.Text.Json:
            // from a copy of the reader, so that a value that does not fit leaves the reader where it was. A
            // value does not fit when reading it throws a JsonException, or one of the reader's own
            // InvalidOperationException and FormatException (a token of another kind, a number out of range)
            // that System.Text.Json marks with this Source and turns into a JsonException.
            private static bool TryReadCase<T>(ref {{Json}}.Utf8JsonReader reader, ValueReader<T> read, {{Json}}.JsonSerializerOptions options, [global::System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value)
                where T : class
            {
                {{Json}}.Utf8JsonReader copy = reader;
                try
                {
                    value = read(ref copy, options);
                }
                catch (global::System.Exception exception) when (exception is {{Json}}.JsonException
                    || (exception is global::System.InvalidOperationException or global::System.FormatException && exception.Source == "System.Text.Json.Rethrowable"))
                {
                    value = null;
                    return false;
                }

                reader = copy;
                return value is not null;
            }

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
}
