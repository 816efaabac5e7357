using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

/// <summary>Emits one sealed class per object schema (open enums: <see cref="EnumEmitter"/>).</summary>
internal static class ModelEmitter
{
    private const string JsonSerialization = "global::System.Text.Json.Serialization";
    private const string OnSerializingInterface = JsonSerialization + ".IJsonOnSerializing";

    public static string EmitModel(ApiSpec spec, ModelSpec model)
    {
        SourceWriter writer = GeneratedFile.Start(spec);
        CSharpText.WriteDoc(writer, model.Doc, model.Name);
        if (model.Doc.Deprecated)
        {
            writer.WriteLine("[global::System.Obsolete(\"The API marks this schema as deprecated.\")]");
        }

        writer.WriteLine(GeneratedFile.GeneratedCodeAttribute);
        int trackedCount = model.TrackedCount;

        // A derived class sets the base's assignment bits for the members it inherits, and its own after them.
        int inheritedTracked = 0;
        for (int i = 0; i < model.InheritedCount; i++)
        {
            inheritedTracked += model.Properties[i].TracksAssignment ? 1 : 0;
        }

        // The base's guard covers the members it declares; a derived class with its own re-implements it for all.
        bool guards = trackedCount > inheritedTracked;
        string bases = (model.BaseName is { } baseName ? "global::" + spec.Namespace + "." + baseName : string.Empty)
            + (guards ? (model.BaseName is null ? string.Empty : ", ") + OnSerializingInterface : string.Empty);
        // A base schema's class is open to its derived classes only: they alone call its protected constructor.
        writer.WriteLine("public " + (model.IsBase ? string.Empty : "sealed ") + "partial class " + model.Name + (bases.Length > 0 ? " : " + bases : string.Empty));
        writer.OpenBlock();
        PropertySpec? discriminator = model.Discriminator;
        string chain = discriminator is null ? string.Empty
            : "\n    : " + (model.IsBase ? "this" : "base") + "(" + CSharpText.Literal(discriminator.Initializer!) + ")";
        string sends = discriminator is null ? string.Empty
            : "; it sends <c>" + CSharpText.XmlLine(discriminator.JsonName) + "</c> <c>" + CSharpText.XmlLine(discriminator.Initializer!) + "</c>";
        writer.WriteLine($$"""
            /// <summary>Creates an empty <see cref="{{model.Name}}"/>{{sends}}{{(model.HasRequiredMembers ? "; set every required member" : string.Empty)}}.</summary>
            public {{model.Name}}(){{chain}}
            {
            }
            """);
        if (model.IsBase)
        {
            writer.WriteLine($$"""

                /// <summary>For the derived classes, each of which sends its own value of <c>{{CSharpText.XmlLine(discriminator!.JsonName)}}</c>.</summary>
                private protected {{model.Name}}(string discriminator)
                {
                    _{{discriminator.Name}} = discriminator;
                }
                """);
        }

        if (model.HasRequiredMembers)
        {
            // The JSON context creates instances before it reads members and checks the required ones itself.
            writer.WriteLine($$"""

                /// <summary>For <see cref="global::{{spec.Namespace}}.{{spec.ContextName}}"/>, which checks required members itself.</summary>
                [global::System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
                internal {{model.Name}}(global::{{spec.Namespace}}.{{spec.ContextName}}? context){{chain}}
                {
                """);
            writer.Indent();
            foreach (PropertySpec property in model.Properties)
            {
                if (property.IsRequired && !property.IsDiscriminator && !property.Type.IsNullable && !property.Type.IsValueType)
                {
                    writer.WriteLine(property.Name + " = null!;");
                }
            }

            writer.Unindent();
            writer.WriteLine("}");
        }

        for (int mask = (inheritedTracked + 63) / 64; mask * 64 < trackedCount; mask++)
        {
            writer.WriteLine();
            writer.WriteLine("// Which optional, nullable properties were assigned: those are sent even when null.");
            writer.WriteLine("internal ulong " + AssignedMask(mask) + ";");
        }

        for (int i = model.InheritedCount; i < model.Properties.Count; i++)
        {
            PropertySpec property = model.Properties[i];
            writer.WriteLine();
            if (property.IsDiscriminator)
            {
                WriteBaseDiscriminator(writer, model, property);
                continue;
            }

            DocSpec doc = property.Doc;
            if (property.TracksAssignment)
            {
                doc = doc with { Remarks = (doc.Remarks is null ? string.Empty : doc.Remarks + "\n") + TrackedNote };
            }

            // C# forbids [Obsolete] on a required member (CS9042): the deprecation is documented instead.
            if (property.IsReadOnly)
            {
                doc = doc with { Remarks = (doc.Remarks is null ? string.Empty : doc.Remarks + "\n") + ReadOnlyNote };
            }
            else if (property.IsWriteOnly)
            {
                doc = doc with { Remarks = (doc.Remarks is null ? string.Empty : doc.Remarks + "\n") + WriteOnlyNote };
            }

            if (property.Doc.Deprecated && property.IsRequiredToWrite)
            {
                doc = doc with { Remarks = (doc.Remarks is null ? string.Empty : doc.Remarks + "\n") + "The API marks this property as deprecated." };
            }

            CSharpText.WriteDoc(writer, doc, property.JsonName);
            if (property.Doc.Deprecated && !property.IsRequiredToWrite)
            {
                writer.WriteLine("[global::System.Obsolete(\"The API marks this property as deprecated.\")]");
            }

            writer.WriteLine("[" + JsonSerialization + ".JsonPropertyName(" + CSharpText.Literal(property.JsonName) + ")]");
            if (!property.IsRequired)
            {
                writer.WriteLine("[" + JsonSerialization + ".JsonIgnore(Condition = " + JsonSerialization + ".JsonIgnoreCondition.WhenWritingNull)]");
            }

            string required = property.IsRequiredToWrite ? "required " : string.Empty;
            string type = TypeNames.CSharp(property.Type, spec.Namespace);
            string initializer = property.Initializer is { } value ? " = " + Initializer(spec, property.Type, value) + ";"
                : property.IsRequired && !property.IsRequiredToWrite && !property.Type.IsNullable && !property.Type.IsValueType ? " = null!;"
                : string.Empty;
            if (!property.TracksAssignment)
            {
                writer.WriteLine("public " + required + type + " " + property.Name + " { get; set; }" + initializer);
                continue;
            }

            int index = model.TrackingIndexOf(property);
            writer.WriteLine($$"""
                public {{type}} {{property.Name}}
                {
                    get => _{{property.Name}};
                    set
                    {
                        _{{property.Name}} = value;
                        {{AssignedMask(index / 64)}} |= {{AssignedBit(index)}};
                    }
                }

                private {{type}} _{{property.Name}}{{(initializer.Length == 0 ? ";" : initializer)}}
                """);
        }

        if (model.KeepsUnknownMembers && model.InheritedCount == 0)
        {
            // Null until a member is kept, so that an answer with none allocates nothing for it.
            writer.WriteLine($$"""

                /// <summary>
                /// The members the API's document does not declare for this object: those a newer server sent, as they
                /// were read, and any a caller adds to send (a server's own fields). Written after the declared ones;
                /// null when there are none. A name the document declares belongs in its property, not here: it would
                /// be written twice. The generated context keeps them with its own readers and writers (its default
                /// options); through its property metadata (a contract customization) they are ignored, as before;
                /// another resolver (reflection, System.Text.Json's own generator) treats this property as extension data.
                /// </summary>
                [{{JsonSerialization}}.JsonExtensionData]
                public global::System.Collections.Generic.IDictionary<string, global::System.Text.Json.JsonElement>? {{ModelSpec.AdditionalPropertiesName}} { get; set; }
                """);
        }

        if (model.KeepsUnknownMembers)
        {
            WriteDeclaredPropertyOf(writer, model);
        }

        if (guards)
        {
            WriteAssignedNullGuard(writer, spec, model);
        }

        writer.CloseBlock();
        return GeneratedFile.Finish(writer);
    }

    // Which property a JSON name written by the generated writer belongs to, so that code sending a
    // model can refuse a kept member that would repeat a declared one (the generated writer writes
    // both). Read-only members are never written, so a kept member of that name repeats nothing.
    // A class derived from a base model hides the base's list with its own, which has the inherited
    // members too (a union's variant derives from the union's class, which has no list).
    private static void WriteDeclaredPropertyOf(SourceWriter writer, ModelSpec model)
    {
        writer.WriteLine($$"""

            /// <summary>The C# property that writes the JSON member <paramref name="jsonName"/>, or null when none does (a name <c>{{ModelSpec.AdditionalPropertiesName}}</c> may hold).</summary>
            internal static {{(model.InheritedCount > 0 ? "new " : string.Empty)}}string? {{ModelSpec.DeclaredPropertyOfName}}(string jsonName) => jsonName switch
            {
            """);
        writer.Indent();
        foreach (PropertySpec property in model.Properties)
        {
            if (!property.IsReadOnly)
            {
                writer.WriteLine(CSharpText.Literal(property.JsonName) + " => " + CSharpText.Literal(property.Name) + ",");
            }
        }

        writer.WriteLine("_ => null,");
        writer.Unindent();
        writer.WriteLine("};");
    }

    // The [JsonIgnore(WhenWritingNull)] above is all another resolver (reflection, System.Text.Json's
    // own generator) can know of a tracked property: it would drop an assigned null, a "clear this",
    // without a word. Every resolver calls IJsonOnSerializing, so the model refuses there; the
    // generated context, which writes assigned nulls itself, never calls it.
    private static void WriteAssignedNullGuard(SourceWriter writer, ApiSpec spec, ModelSpec model)
    {
        writer.WriteLine($$"""

            /// <summary>
            /// Refuses a resolver other than <see cref="global::{{spec.Namespace}}.{{spec.ContextName}}"/> when a property
            /// that can be cleared was assigned null: such a resolver reads only [JsonIgnore(WhenWritingNull)] and
            /// would leave the null out. The generated context sends it and does not call this.
            /// </summary>
            /// <exception cref="global::System.InvalidOperationException">A property that can be cleared was assigned null.</exception>
            void {{OnSerializingInterface}}.OnSerializing()
            {
            """);
        writer.Indent();
        bool first = true;
        foreach (PropertySpec property in model.Properties)
        {
            if (!property.TracksAssignment)
            {
                continue;
            }

            if (!first)
            {
                writer.WriteLine();
            }

            first = false;
            int index = model.TrackingIndexOf(property);

            // An inherited member's field is the base's own: its property reads it.
            string field = System.Linq.Enumerable.ToList(model.Properties).IndexOf(property) < model.InheritedCount ? property.Name : "_" + property.Name;
            writer.WriteLine($$"""
                if ({{field}} is null && ({{AssignedMask(index / 64)}} & {{AssignedBit(index)}}) != 0)
                {
                    throw {{JsonContextEmitter.Helpers}}.AssignedNullRefused({{CSharpText.Literal(model.Name + "." + property.Name)}}, {{CSharpText.Literal(spec.ContextName)}});
                }
                """);
        }

        writer.Unindent();
        writer.WriteLine("}");
    }

    // The discriminator of a base schema: the type says which value it sends, so it has no setter. A plain
    // base instance sends the base's own value, or the value it was read with (one this client does not know).
    private static void WriteBaseDiscriminator(SourceWriter writer, ModelSpec model, PropertySpec property)
    {
        const string Note = "Set by the type: each derived class sends its own value, a plain instance of this class its own or the one it was read with (a value this client does not know is kept).";
        DocSpec doc = property.Doc with { Remarks = property.Doc.Remarks is null ? Note : property.Doc.Remarks + "\n" + Note };
        CSharpText.WriteDoc(writer, doc, property.JsonName);
        writer.WriteLine($$"""
            [{{JsonSerialization}}.JsonPropertyName({{CSharpText.Literal(property.JsonName)}})]
            public string {{property.Name}} => _{{property.Name}};

            // Set by the constructors; the JSON context sets the value it read on a plain instance.
            internal string _{{property.Name}};
            """);
    }

    private static string Initializer(ApiSpec spec, TypeRef type, string value)
    {
        switch (type.Kind)
        {
            case TypeKind.Enum:
                foreach (EnumSpec candidate in spec.Enums)
                {
                    if (candidate.Name == type.Name)
                    {
                        foreach (EnumMemberSpec member in candidate.Members)
                        {
                            if (member.Value == value)
                            {
                                return "global::" + spec.Namespace + "." + type.Name + "." + member.Name;
                            }
                        }
                    }
                }

                return "new global::" + spec.Namespace + "." + type.Name + "(" + CSharpText.Literal(value) + ")";
            case TypeKind.Int64:
                return value + "L";
            case TypeKind.Int32 or TypeKind.Boolean:
                return value;
            default:
                return CSharpText.Literal(value);
        }
    }

    private const string ReadOnlyNote = "Read-only: the server sets it; a request never sends it, so a new object need not set it.";

    private const string WriteOnlyNote = "Write-only: sent in requests; a response leaves it out, even when it is required.";

    private const string TrackedNote = "Left unassigned, this property is not sent; assigned null, it is sent as JSON null.";

    /// <summary>The mask field holding the assignment bit of tracked property <paramref name="mask"/>*64 onwards.</summary>
    public static string AssignedMask(int mask) => "_assigned" + mask.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The bit of tracked property number <paramref name="index"/> within its mask, as a C# literal.</summary>
    public static string AssignedBit(int index) => "0x" + (1UL << (index % 64)).ToString("X", System.Globalization.CultureInfo.InvariantCulture) + "UL";
}
