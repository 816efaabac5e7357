using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Model;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// The names Shaping reserves for open enum and union classes are the names Emitting writes: every
/// member a generated enum or union declares is a value or case from the document or one of
/// <see cref="TypeMemberNames"/>, and every one of those is declared by some generated type. A value
/// named like a member the template writes is renamed, so the class still compiles.
/// </summary>
public sealed class TypeMemberNamesTests
{
    // Enum values that meet the template's own names, and a union of every kind.
    private const string Spec = """
        openapi: 3.0.3
        info: { title: Names, version: '1' }
        paths:
          /things:
            post:
              operationId: sendThing
              requestBody: { required: true, content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
              responses:
                '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
        components:
          schemas:
            Color: { type: string, enum: [known_of, known_value, is_known, value, converter, red] }
            Shade: { type: string, enum: [light, dark] }
            Cat: { type: object, required: [kind], properties: { kind: { type: string }, lives: { type: integer } } }
            Dog: { type: object, required: [kind], properties: { kind: { type: string }, bark: { type: string } } }
            Pet:
              oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }]
              discriminator: { propertyName: kind, mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' } }
            Size: { oneOf: [{ type: string }, { type: integer }] }
            Tone: { oneOf: [{ $ref: '#/components/schemas/Shade' }, { type: number }] }
            Thing:
              type: object
              properties:
                color: { $ref: '#/components/schemas/Color' }
                pet: { $ref: '#/components/schemas/Pet' }
                size: { $ref: '#/components/schemas/Size' }
                tone: { $ref: '#/components/schemas/Tone' }
        """;

    private static readonly HashSet<string> s_objectMembers = ["Equals", "GetHashCode", "ToString"];

    [Fact]
    public void EveryMemberOfAGeneratedEnumOrUnion_IsAValueOrCase_OrANameShapingReserves()
    {
        (_, Compilation output) = GeneratorHarness.Run(Spec, "NamesClient", "Names");
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));

        var declaredByTemplates = new HashSet<string>();
        foreach (string enumName in new[] { "Color", "Shade" })
        {
            INamedTypeSymbol type = output.GetTypeByMetadataName("Names." + enumName)!;
            INamedTypeSymbol known = type.GetTypeMembers(TypeMemberNames.Known).Single();
            var values = known.GetMembers().OfType<IFieldSymbol>().Select(f => f.Name).Where(n => n != TypeMemberNames.Unknown).ToHashSet();
            string[] own = Declared(type).Where(n => !values.Contains(n)).ToArray();
            Assert.Empty(own.Except(TypeMemberNames.Enum).Except(s_objectMembers));
            declaredByTemplates.UnionWith(own);
            declaredByTemplates.UnionWith(known.GetMembers().Select(m => m.Name));
        }

        foreach (string unionName in new[] { "Pet", "Size", "Tone" })
        {
            INamedTypeSymbol type = output.GetTypeByMetadataName("Names." + unionName)!;
            string[] declared = Declared(type).ToArray();

            // A case is a pair: the case's property and Is<case>.
            var cases = declared.Where(n => declared.Contains(TypeMemberNames.Is(n)) && !TypeMemberNames.Union.Contains(n)).ToHashSet();
            string[] own = declared.Where(n => !cases.Contains(n) && !cases.Any(c => TypeMemberNames.Is(c) == n)).ToArray();
            Assert.Empty(own.Except(TypeMemberNames.Union).Except(s_objectMembers));
            declaredByTemplates.UnionWith(own);
        }

        // And no reserved name is stale: each is a member some template writes.
        Assert.Empty(TypeMemberNames.Enum.Concat(TypeMemberNames.Union).Except(declaredByTemplates));
    }

    [Fact]
    public void EnumValuesNamedLikeTheTemplatesMembers_AreRenamed_AndKeepTheirWireText()
    {
        (_, Compilation output) = GeneratorHarness.Run(Spec, "NamesClient", "Names");
        INamedTypeSymbol color = output.GetTypeByMetadataName("Names.Color")!;
        string[] values = color.GetTypeMembers(TypeMemberNames.Known).Single().GetMembers().OfType<IFieldSymbol>().Select(f => f.Name).ToArray();

        Assert.Equal(["Unknown", "KnownOfValue", "KnownValueValue", "IsKnownValue", "ValueValue", "ConverterValue", "Red"], values);
    }

    // What a type declares itself, by name: no constructors, accessors or operators.
    private static IEnumerable<string> Declared(INamedTypeSymbol type)
        => type.GetMembers()
            .Where(m => !m.IsImplicitlyDeclared && m is not IMethodSymbol { MethodKind: not MethodKind.Ordinary })
            .Where(m => m is not IFieldSymbol { DeclaredAccessibility: Accessibility.Private })
            .Select(m => m.Name)
            .Distinct();
}
