namespace Baseten.Aot.Generator.Model;

/// <summary>
/// An object schema, emitted as a sealed class; a variant of a discriminated union derives from the
/// union's abstract class (<see cref="BaseName"/>).
/// </summary>
internal sealed record ModelSpec(string Name, DocSpec Doc, EquatableArray<PropertySpec> Properties, string? BaseName = null)
{
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
                if (property.IsRequired)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
