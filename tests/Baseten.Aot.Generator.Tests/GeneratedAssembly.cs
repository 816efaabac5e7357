using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Tests;

/// <summary>
/// A generator run's compiled output, loaded into a collectible load context so that a test can
/// read and write JSON with the generated context (the runtime library resolves to the one the
/// tests already loaded). Disposing unloads it.
/// </summary>
internal sealed class GeneratedAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private GeneratedAssembly(AssemblyLoadContext context, Assembly assembly)
    {
        _context = context;
        Assembly = assembly;
    }

    public Assembly Assembly { get; }

    /// <summary>Emits <paramref name="output"/>; a compilation that does not emit fails the test with its diagnostics.</summary>
    public static GeneratedAssembly Load(Compilation output)
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = output.Emit(image);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        var context = new AssemblyLoadContext("generated-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return new GeneratedAssembly(context, context.LoadFromStream(image));
    }

    /// <summary>The metadata of <paramref name="property"/> of the context's <c>Default</c> instance.</summary>
    public JsonTypeInfo TypeInfo(string contextType, string property)
    {
        Type context = Assembly.GetType(contextType, throwOnError: true)!;
        object instance = context.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        PropertyInfo info = context.GetProperty(property, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException(contextType + " has no property " + property + ".");
        return (JsonTypeInfo)info.GetValue(instance)!;
    }

    /// <summary>Reads <paramref name="json"/> and writes the value back, both with <paramref name="typeInfo"/>.</summary>
    public static string RoundTrip(string json, JsonTypeInfo typeInfo)
        => JsonSerializer.Serialize(JsonSerializer.Deserialize(json, typeInfo), typeInfo);

    public void Dispose() => _context.Unload();
}
