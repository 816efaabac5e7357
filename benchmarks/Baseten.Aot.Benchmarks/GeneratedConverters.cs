using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baseten.Aot.Benchmarks;

/// <summary>
/// The generated open enums and unions carry no [JsonConverter] attribute (a trimmed app keeps only
/// the converters it uses; the generated context hands them out), so a resolver other than the
/// generated context, reflection or System.Text.Json's generator, is given their converters, as
/// the README tells users to.
/// </summary>
internal static class GeneratedConverters
{
    /// <summary>Options with the converter of every generated enum and union in <paramref name="model"/>'s namespace.</summary>
    public static JsonSerializerOptions Options(Type model, JsonSerializerOptions? options = null)
    {
        options ??= new JsonSerializerOptions();
        foreach (Type converter in model.Assembly.GetTypes()
            .Where(t => t.IsNested && t.Name == "Converter" && t.Namespace == model.Namespace && typeof(JsonConverter).IsAssignableFrom(t)))
        {
            options.Converters.Add((JsonConverter)Activator.CreateInstance(converter)!);
        }

        return options;
    }
}
