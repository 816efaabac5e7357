using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

// oneOf, anyOf and type lists become unions told apart by shape (see TypeShaper.Discriminator.cs
// for unions with a discriminator).
internal sealed partial class TypeShaper
{
    private TypeRef MapUnion(SchemaObject schema, string nameHint) => BuildUnion(null, schema, nameHint, named: false);

    /// <summary>
    /// Builds the union a schema describes, under <paramref name="name"/> (a named schema's) or a name
    /// of its own; an inline union equal to one already built is that one. Null when it cannot be expressed.
    /// </summary>
    private TypeRef BuildUnion(string? name, SchemaObject schema, string nameHint, bool named)
    {
        bool isOneOf = schema.OneOf.Count > 0;
        EquatableArray<SchemaObject> listed = isOneOf ? schema.OneOf : schema.AnyOf;
        SourceSpan span = isOneOf ? schema.OneOfSpan : schema.AnyOf.Count > 0 ? schema.AnyOfSpan : schema.TypeSpan;
        bool nullable = schema.Nullable;
        List<SchemaObject> alternatives;
        if (listed.Count > 0)
        {
            alternatives = NonNull(listed, out bool hasNull);
            nullable |= hasNull;
        }
        else
        {
            // A type list: one alternative per type, each keeping the schema's other keywords.
            alternatives = schema.Types.Select(t => schema with { Types = new EquatableArray<string>([t]), Nullable = false }).ToList();
        }

        if (schema.Discriminator is { } discriminator
            && BuildDiscriminatedUnion(name, schema, discriminator, alternatives, nameHint, span) is { } discriminated)
        {
            return discriminated.WithNullable(nullable);
        }

        var cases = new List<(TypeRef Type, SchemaObject Schema)>();
        bool anyInline = false;
        for (int i = 0; i < alternatives.Count; i++)
        {
            SchemaObject alternative = alternatives[i];
            TypeRef type = Map(alternative, nameHint + AlternativeName(alternative, i)).WithNullable(false);
            if (alternative.Ref is not null && ComponentOf(alternative.Ref) is { } component)
            {
                // Its required properties tell objects apart: build it now if it is still to come.
                Build(component);
            }

            anyInline |= alternative.Ref is null && type.Kind is TypeKind.Model or TypeKind.Enum or TypeKind.Union;
            if (!cases.Any(c => c.Type.MetadataKey == type.MetadataKey))
            {
                cases.Add((type, alternative));
            }
        }

        if (cases.Count == 1 && !named)
        {
            // anyOf [string, {type: string, format: uuid}]: one C# type in the end.
            return cases[0].Type.WithNullable(nullable);
        }

        if (cases.Any(c => c.Type.Kind == TypeKind.JsonElement) && cases.Count > 1 && !named)
        {
            // A free-form alternative accepts anything: the union is as free as that.
            return new TypeRef(TypeKind.JsonElement, nullable);
        }

        string shape = "U:" + string.Join("|", cases.Select(c => TypeNames.CSharp(c.Type, _namespace)));
        if (!named && _unionsByShape.TryGetValue(shape, out string? existing))
        {
            return TypeRef.UnionNamed(existing).WithNullable(nullable);
        }

        var memberNames = new NameTable(null, [.. ReservedNames.UnionMembers, name ?? ReservedNames.UnionMembers[0]]);
        var caseSpecs = new List<UnionCaseSpec>();
        foreach ((TypeRef type, _) in cases)
        {
            // An inline alternative is named after the union's place ("PetCat"); its case is "Cat".
            string caseName = CaseName(type);
            string member = memberNames.Claim(caseName.Length > nameHint.Length && caseName.StartsWith(nameHint, StringComparison.Ordinal) ? caseName.Substring(nameHint.Length) : caseName);
            memberNames.TryClaim(TypeMemberNames.Is(member));
            caseSpecs.Add(new UnionCaseSpec(member, type, EquatableArray<string>.Empty, RequiredOf(type)));
        }

        if (name is null)
        {
            string composite = string.Join("Or", caseSpecs.Select(c => c.MemberName));
            string candidate = !anyInline && caseSpecs.Count <= 3 && composite.Length <= 64 ? composite : NameRules.ToTypeName(nameHint, "Union");
            name = ClaimTypeName(candidate, ShapeKind.Union);
        }

        _unionsByShape[shape] = name;
        _unions.Add(new UnionSpec(name, schema.Doc, null, caseSpecs.ToEquatableArray()));
        return TypeRef.UnionNamed(name).WithNullable(nullable);
    }

    // What an inline alternative is called: its title, the value of its const property (the
    // discriminator, usually), or its position.
    private static string AlternativeName(SchemaObject alternative, int index)
    {
        if (alternative.Title is { } title)
        {
            return NameRules.ToPascalCase(title, "Option");
        }

        foreach (PropertyObject property in alternative.Properties)
        {
            if (property.Schema.Const is { Kind: JsonLiteralKind.String } constant)
            {
                return NameRules.ToPascalCase(constant.Text, "Option");
            }
        }

        return "Option" + (index + 1).ToString(CultureInfo.InvariantCulture);
    }

    private static string CaseName(TypeRef type) => type.Kind switch
    {
        TypeKind.String => "String",
        TypeKind.Boolean => "Boolean",
        TypeKind.Int32 or TypeKind.Int64 => "Integer",
        TypeKind.Double => "Number",
        TypeKind.DateTimeOffset => "DateTime",
        TypeKind.DateOnly => "Date",
        TypeKind.TimeOnly => "Time",
        TypeKind.Guid => "Uuid",
        TypeKind.Uri => "Uri",
        TypeKind.ByteArray => "Bytes",
        TypeKind.Decimal => "Decimal",
        TypeKind.Single or TypeKind.SByte or TypeKind.Int16 or TypeKind.Byte or TypeKind.UInt16 or TypeKind.UInt32 or TypeKind.UInt64 => type.Kind.ToString(),
        TypeKind.JsonElement => "Json",
        TypeKind.Array => CaseName(type.Element!) + "List",
        TypeKind.Map => CaseName(type.Element!) + "Map",
        _ => type.Name!,
    };

    // The required properties of an object case, by which an object is matched to it.
    private EquatableArray<string> RequiredOf(TypeRef type)
        => type.Kind == TypeKind.Model && _models.TryGetValue(type.Name!, out ModelSpec? model)
            ? model.Properties.Where(p => p.IsRequiredToRead || p.Initializer is not null).Select(p => p.JsonName).ToEquatableArray()
            : EquatableArray<string>.Empty;
}
