using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Model;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// The names Shaping reserves for the JSON context are the names Emitting writes: every member the
/// generated context declares is one of <see cref="ContextMemberNames.Fixed"/> or a per-type name of
/// one of its metadata properties, and every fixed name is a member of the context (or of its base).
/// </summary>
public sealed class ContextMemberNamesTests
{
    [Fact]
    public void EveryMemberOfTheGeneratedContext_IsANameTheCollectorReserves()
    {
        (_, Compilation output) = GeneratorHarness.Run(GeneratorHarness.ReadSeedSpec(), "SeedClient", "Generated.Seed");
        INamedTypeSymbol context = output.GetTypeByMetadataName("Generated.Seed.SeedJsonContext")!;
        Assert.NotNull(context);

        ISymbol[] declared = context.GetMembers()
            .Where(m => !m.IsImplicitlyDeclared && m is not IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor or MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.ExplicitInterfaceImplementation })
            .ToArray();
        string[] infoProperties = declared
            .OfType<IPropertySymbol>()
            .Where(p => p.Type is INamedTypeSymbol { Name: "JsonTypeInfo", IsGenericType: true })
            .Select(p => p.Name)
            .ToArray();
        Assert.NotEmpty(infoProperties);
        var reserved = new HashSet<string>(ContextMemberNames.Fixed.Concat(infoProperties.SelectMany(ContextMemberNames.PerType)));

        string[] unreserved = declared.Select(m => m.Name).Where(n => !reserved.Contains(n)).Distinct().ToArray();
        Assert.Empty(unreserved);

        // And no fixed name is stale: each is something the context declares or inherits.
        var available = new HashSet<string>();
        for (INamedTypeSymbol? type = context; type is not null; type = type.BaseType)
        {
            available.UnionWith(type.GetMembers().Select(m => m.Name));
        }

        string[] stale = ContextMemberNames.Fixed.Where(n => !available.Contains(n)).ToArray();
        Assert.Empty(stale);
    }
}
