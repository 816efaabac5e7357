namespace Baseten.Aot.Generator.Model;

/// <summary>
/// An object schema, emitted as a sealed class; a variant of a discriminated union derives from the
/// union's abstract class (<see cref="BaseName"/>). <see cref="KeepsUnknownMembers"/>: the schema
/// says <c>additionalProperties: true</c> beside its properties, so members it does not declare
/// are kept in <c>AdditionalProperties</c> and written back.
/// A base schema with a discriminator whose variants extend it through <c>allOf</c> is a class they
/// derive from: it lists them in <see cref="Derived"/>; each derived model names it in
/// <see cref="BaseName"/> and starts its <see cref="Properties"/> with the base's
/// (<see cref="InheritedCount"/> of them, declared on the base), the discriminator fixed to its value.
/// </summary>
internal sealed record ModelSpec(string Name, DocSpec Doc, EquatableArray<PropertySpec> Properties, string? BaseName = null, bool KeepsUnknownMembers = false)
{
    /// <summary>The models that derive from this one, with the discriminator values that select each.</summary>
    public EquatableArray<DerivedSpec> Derived { get; init; } = EquatableArray<DerivedSpec>.Empty;

    /// <summary>How many of <see cref="Properties"/> (the first ones) the base model declares.</summary>
    public int InheritedCount { get; init; }

    /// <summary>A base schema's class, which its variants derive from.</summary>
    public bool IsBase => Derived.Count > 0;

    /// <summary>The discriminator of a base model or of one derived from it, or null.</summary>
    public PropertySpec? Discriminator
    {
        get
        {
            foreach (PropertySpec property in Properties)
            {
                if (property.IsDiscriminator)
                {
                    return property;
                }
            }

            return null;
        }
    }

    /// <summary>The C# name of the property that keeps the members a schema does not declare.</summary>
    public const string AdditionalPropertiesName = "AdditionalProperties";

    /// <summary>The C# name of the static method that maps a written JSON name to its property (models that keep unknown members).</summary>
    public const string DeclaredPropertyOfName = "DeclaredPropertyOf";

    /// <summary>The bit of a tracked property in the model's assignment mask, by its index among tracked properties.</summary>
    public int TrackingIndexOf(PropertySpec property)
    {
        int index = 0;
        foreach (PropertySpec candidate in Properties)
        {
            if (candidate == property)
            {
                return index;
            }

            if (candidate.TracksAssignment)
            {
                index++;
            }
        }

        return -1;
    }

    public int TrackedCount
    {
        get
        {
            int count = 0;
            foreach (PropertySpec property in Properties)
            {
                count += property.TracksAssignment ? 1 : 0;
            }

            return count;
        }
    }

    public bool HasRequiredMembers
    {
        get
        {
            foreach (PropertySpec property in Properties)
            {
                // The discriminator of a hierarchy is set by the constructors, never by the caller.
                if (property.IsRequired && !property.IsDiscriminator)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>A model derived from a base model, and the discriminator values that select it (the first is the one it sends).</summary>
internal sealed record DerivedSpec(string Model, EquatableArray<string> Values);
