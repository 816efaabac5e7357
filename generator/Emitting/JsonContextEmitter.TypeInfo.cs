using Baseten.Aot.Generator.Model;
using Names = Baseten.Aot.Generator.Model.TypeMemberNames;

namespace Baseten.Aot.Generator.Emitting;

// One type's JsonTypeInfo: its property, factory, pre-encoded names, and a model's object
// metadata (property infos) or generated converter.
internal sealed partial class JsonContextEmitter
{
    private void EmitTypeInfo(JsonTypeSpec spec, bool first)
    {
        string type = Type(spec.Type);
        string name = spec.PropertyName;
        if (!first)
        {
            _writer.WriteLine();
        }

        _writer.WriteLine($$"""
            private {{Metadata}}.JsonTypeInfo<{{type}}>? {{ContextMemberNames.Field(name)}};

            /// <summary>JSON metadata for <see cref="{{DocCref(spec.Type)}}"/>.</summary>
            public {{Metadata}}.JsonTypeInfo<{{type}}> {{name}}
                => {{ContextMemberNames.Field(name)}} ??= ({{Metadata}}.JsonTypeInfo<{{type}}>){{ContextMemberNames.Resolve}}(typeof({{type}}), {{ContextMemberNames.Create(name)}});

            private {{Metadata}}.JsonTypeInfo<{{type}}> {{ContextMemberNames.Create(name)}}({{Json}}.JsonSerializerOptions options)
            {
                if (!{{Helpers}}.TryGetCustomConverter(options, out {{Metadata}}.JsonTypeInfo<{{type}}>? typeInfo))
                {
            """);
        _writer.Indent();
        _writer.Indent();
        foreach (TypeRef dependency in Dependencies(spec.Type))
        {
            _writer.WriteLine(ContextMemberNames.Register + "(typeof(" + Type(dependency) + "), " + ContextMemberNames.Create(InfoOf(dependency)) + ");");
        }

        switch (spec.Type)
        {
            case { IsNullable: true }:
                _writer.WriteLine("typeInfo = " + Metadata + ".JsonMetadataServices.CreateValueInfo<" + type + ">(options, " + Metadata + ".JsonMetadataServices.GetNullableConverter<" + Type(spec.Type.WithNullable(false)) + ">(options));");
                break;
            case { Kind: TypeKind.Model } when _models[spec.Type.Name!].IsBase:
                // A base schema with a discriminator: its generated reader and writer pick the derived
                // class always (property metadata would read and write the base's members only).
                _writer.WriteLine("typeInfo = " + Metadata + ".JsonMetadataServices.CreateValueInfo<" + type + ">(options, new " + Converter + "<" + type + ">(" + ContextMemberNames.Read(name) + ", " + ContextMemberNames.SerializeHandler(name) + "));");
                break;
            case { Kind: TypeKind.Model } when spec.IsRead && !spec.IsReadByMetadata:
                // Read only inside another model, whose reader reads it directly: its own metadata is
                // asked for only when property metadata is on, or when someone asks for the type.
                EmitReaderOrObjectInfo(spec, type, name, "!" + ContextMemberNames.PropertyMetadata);
                break;
            case { Kind: TypeKind.Model } when !spec.IsReadByMetadata:
                EmitObjectInfo(_models[spec.Type.Name!], type, name);
                break;
            case { Kind: TypeKind.Model }:
                EmitReaderOrObjectInfo(spec, type, name, "!" + ContextMemberNames.PropertyMetadata + " || " + Helpers + ".ReadsDirectly(options, this)");
                break;
            case { Kind: TypeKind.Enum or TypeKind.Union }:
                _writer.WriteLine("typeInfo = " + Metadata + ".JsonMetadataServices.CreateValueInfo<" + type + ">(options, new " + type + "." + Names.Converter + "());");
                break;
            case { Kind: TypeKind.Array }:
                _writer.WriteLine($$"""
                    var info = new {{Metadata}}.JsonCollectionInfoValues<{{type}}>
                    {
                        ObjectCreator = null,
                        SerializeHandler = {{ContextMemberNames.SerializeHandler(name)}},
                    };
                    typeInfo = {{Metadata}}.JsonMetadataServices.CreateIEnumerableInfo<{{type}}, {{Type(spec.Type.Element!)}}>(options, info);
                    """);
                break;
            case { Kind: TypeKind.Map }:
                _writer.WriteLine($$"""
                    var info = new {{Metadata}}.JsonCollectionInfoValues<{{type}}>
                    {
                        ObjectCreator = static () => new global::System.Collections.Generic.Dictionary<string, {{Type(spec.Type.Element!)}}>(),
                        SerializeHandler = {{ContextMemberNames.SerializeHandler(name)}},
                    };
                    typeInfo = {{Metadata}}.JsonMetadataServices.CreateIReadOnlyDictionaryInfo<{{type}}, string, {{Type(spec.Type.Element!)}}>(options, info);
                    """);
                break;
            case { Kind: TypeKind.TimeOnly }:
                // OpenAPI's time carries an offset (RFC 3339 full-time), which System.Text.Json's own converter refuses.
                _writer.WriteLine("typeInfo = " + Metadata + ".JsonMetadataServices.CreateValueInfo<" + type + ">(options, global::Baseten.Aot.Http.JsonTimeConverter.Instance);");
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
                case TypeKind.Union:
                    EmitUnionReader(_unions[spec.Type.Name!], type, name);
                    break;
            }
        }

        switch (spec.Type.Kind)
        {
            case TypeKind.Model:
                EmitObjectHandlers(_models[spec.Type.Name!], type, name);
                break;
            case TypeKind.Union when !spec.Type.IsNullable:
                EmitUnionHandler(_unions[spec.Type.Name!], type, name);
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
        _writer.WriteLine("private static partial class " + ContextMemberNames.PropertyNames);
        _writer.OpenBlock();
        for (int i = 0; i < _spec.Models.Count; i++)
        {
            ModelSpec model = _spec.Models[i];
            _writer.WriteLine((i == 0 ? string.Empty : "\n") + "internal static class " + model.Name);
            _writer.OpenBlock();
            foreach (PropertySpec property in model.Properties)
            {
                _writer.WriteLine("internal static readonly " + Json + ".JsonEncodedText " + property.EncodedNameField + " = " + Json + ".JsonEncodedText.Encode(" + CSharpText.Literal(property.JsonName) + ");");
            }

            _writer.CloseBlock();
        }

        _writer.CloseBlock();
    }

    // The model's generated reader and writer as its converter when the condition holds, its object
    // metadata otherwise.
    private void EmitReaderOrObjectInfo(JsonTypeSpec spec, string type, string name, string condition)
    {
        _writer.WriteLine("if (" + condition + ")");
        _writer.OpenBlock();
        _writer.WriteLine("typeInfo = " + Metadata + ".JsonMetadataServices.CreateValueInfo<" + type + ">(options, new " + Converter + "<" + type + ">(" + ContextMemberNames.Read(name) + ", " + ContextMemberNames.SerializeHandler(name) + "));");
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
                PropertyMetadataInitializer = _ => {{ContextMemberNames.Properties(name)}}(options),
                ConstructorParameterMetadataInitializer = null,
                SerializeHandler = {{ContextMemberNames.SerializeHandler(name)}},
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

    private void EmitObjectHandlers(ModelSpec model, string type, string name)
    {
        _writer.WriteLine();
        _writer.WriteLine("private static " + Metadata + ".JsonPropertyInfo[] " + ContextMemberNames.Properties(name) + "(" + Json + ".JsonSerializerOptions options)");
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
                    Setter = {{Setter(model, property, type)}},
                    IgnoreCondition = {{ignore}},
                    HasJsonInclude = false,
                    IsExtensionData = false,
                    NumberHandling = null,
                    PropertyName = "{{property.Name}}",
                    JsonPropertyName = {{CSharpText.Literal(property.JsonName)}},
                });
                """);
            if (property.IsRequiredToRead)
            {
                _writer.WriteLine("properties[" + index + "].IsRequired = true;");
            }

            if (property.IsReadOnly)
            {
                // The server sets it; a request never sends it back.
                _writer.WriteLine("properties[" + index + "].ShouldSerialize = static (_, _) => false;");
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
            foreach (DerivedSpec derived in model.Derived)
            {
                // A derived class is written with all its members, its discriminator value included.
                TypeRef derivedType = TypeRef.ModelNamed(derived.Model);
                string local = NextLocal();
                _writer.WriteLine("if (value is " + Type(derivedType) + " " + local + ")");
                _writer.OpenBlock();
                _writer.WriteLine(ContextMemberNames.SerializeHandler(InfoOf(derivedType)) + "(writer, " + local + ");");
                _writer.WriteLine("return;");
                _writer.CloseBlock();
                _writer.WriteLine();
            }

            _writer.WriteLine("writer.WriteStartObject();");
            foreach (PropertySpec property in model.Properties)
            {
                if (!property.IsReadOnly)
                {
                    WriteProperty(model, property);
                }
            }

            if (model.KeepsUnknownMembers)
            {
                WriteKeptMembers(model);
            }

            _writer.WriteLine("writer.WriteEndObject();");
        });
    }

    // The discriminator of a hierarchy has no setter: a derived class's is fixed, a base's is set by its reader.
    private static string Setter(ModelSpec model, PropertySpec property, string type)
        => property.IsDiscriminator
            ? model.IsBase ? "static (obj, value) => ((" + type + ")obj)._" + property.Name + " = value!" : "null"
            : "static (obj, value) => ((" + type + ")obj)." + property.Name + " = " + SetValue(model, property);

    // A required property whose type cannot be null refuses a JSON null, as a missing one is refused:
    // System.Text.Json checks only that a required property is present.
    private static string SetValue(ModelSpec model, PropertySpec property)
        => property.IsRequiredToRead && !property.Type.IsNullable && !property.Type.IsValueType
            ? "value ?? throw " + Helpers + ".NullForRequired(" + CSharpText.Literal(property.JsonName) + ", " + CSharpText.Literal(model.Name) + ")"
            : "value!";
}
