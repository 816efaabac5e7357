using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

// The context class itself: construction, options and the resolver, all of which use the context's own
// state. The stateless helpers its metadata, readers and writers call are Baseten.Aot.Http.GeneratedJson's.
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
                private static readonly {{Json}}.JsonSerializerOptions {{ContextMemberNames.DefaultOptions}} = new();

                /// <summary>A context over default options; what the generated client uses.</summary>
                public static {{name}} {{ContextMemberNames.Default}} { get; } = new(new {{Json}}.JsonSerializerOptions({{ContextMemberNames.DefaultOptions}}));

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
                protected override {{Json}}.JsonSerializerOptions? {{ContextMemberNames.GeneratedSerializerOptions}} { get; } = {{ContextMemberNames.DefaultOptions}};

                /// <summary>
                /// The metadata for <paramref name="type"/>, or null. Asking by <see cref="global::System.Type"/>
                /// makes every type of the document reachable; the typed properties keep only what they use.
                /// </summary>
                public override {{Metadata}}.JsonTypeInfo? {{ContextMemberNames.GetTypeInfo}}(global::System.Type type)
                {
                    {{ContextMemberNames.RegisterAll}}();
                    {{ContextMemberNames.Options}}.TryGetTypeInfo(type, out {{Metadata}}.JsonTypeInfo? typeInfo);
                    return typeInfo;
                }

                // Pay for what you use: System.Text.Json asks this resolver for a type's metadata only after
                // something registered how to make it, and registration follows the type graph from the
                // typed property the caller used (each object registers its properties' types). A trimmed
                // app that calls one operation keeps the metadata of that operation's types and no more.
                private readonly global::System.Collections.Generic.Dictionary<global::System.Type, global::System.Func<{{Json}}.JsonSerializerOptions, {{Metadata}}.JsonTypeInfo>> {{ContextMemberNames.Factories}} = new();

                {{Metadata}}.JsonTypeInfo? {{Metadata}}.IJsonTypeInfoResolver.GetTypeInfo(global::System.Type type, {{Json}}.JsonSerializerOptions options)
                {
                    global::System.Func<{{Json}}.JsonSerializerOptions, {{Metadata}}.JsonTypeInfo>? factory;
                    lock ({{ContextMemberNames.Factories}})
                    {
                        {{ContextMemberNames.Factories}}.TryGetValue(type, out factory);
                    }

                    return factory?.Invoke(options);
                }

                private void {{ContextMemberNames.Register}}(global::System.Type type, global::System.Func<{{Json}}.JsonSerializerOptions, {{Metadata}}.JsonTypeInfo> factory)
                {
                    lock ({{ContextMemberNames.Factories}})
                    {
                        {{ContextMemberNames.Factories}}.TryAdd(type, factory);
                    }
                }

                /// <summary>
                /// This context as a resolver that knows every type of the document, for composing into other
                /// options: ASP.NET's <c>TypeInfoResolverChain</c>, <c>JsonTypeInfoResolver.Combine</c>, <c>WithAddedModifier</c>.
                /// Used as a resolver directly, the context serves only the types its typed properties have reached;
                /// this keeps every type's metadata in a trimmed app.
                /// </summary>
                public {{Metadata}}.IJsonTypeInfoResolver {{ContextMemberNames.AllTypes}}
                {
                    get
                    {
                        {{ContextMemberNames.RegisterAll}}();
                        return this;
                    }
                }

                private {{Metadata}}.JsonTypeInfo {{ContextMemberNames.Resolve}}(global::System.Type type, global::System.Func<{{Json}}.JsonSerializerOptions, {{Metadata}}.JsonTypeInfo> factory)
                {
                    {{ContextMemberNames.Register}}(type, factory);
                    return {{ContextMemberNames.Options}}.GetTypeInfo(type);
                }

                private void {{ContextMemberNames.RegisterAll}}()
                {
            """);
        _writer.Indent();
        _writer.Indent();
        foreach (JsonTypeSpec type in _spec.JsonTypes)
        {
            _writer.WriteLine(ContextMemberNames.Register + "(typeof(" + Type(type.Type) + "), " + ContextMemberNames.Create(type.PropertyName) + ");");
        }

        _writer.Unindent();
        _writer.WriteLine("}");
        _writer.WriteLine($$"""

            // Stays in the context, unlike the helpers in Baseten.Aot.Http.GeneratedJson: the feature switch
            // attribute exists from .NET 9 and must be compiled for the app's own target framework. An app
            // that never customizes the contracts of response models (no modifier, chain or option of those
            // in GeneratedJson.ReadsDirectly for them) sets the switch Baseten.Aot.Json.PropertyMetadata to
            // false: every response model then uses its generated reader and writer, and a trimmed app
            // drops their property metadata (a NativeAOT compiler folds the property into a constant).
            #if NET9_0_OR_GREATER
            [global::System.Diagnostics.CodeAnalysis.FeatureSwitchDefinition("Baseten.Aot.Json.PropertyMetadata")]
            #endif
            private static bool {{ContextMemberNames.PropertyMetadata}} { get; } = !global::System.AppContext.TryGetSwitch("Baseten.Aot.Json.PropertyMetadata", out bool enabled) || enabled;
            """);

        _writer.Unindent();
        _writer.WriteLine("}");
    }
}
