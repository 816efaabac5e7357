using System.Linq;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

// Path, query, header and cookie parameters: their names, types and serialization styles.
internal sealed partial class OperationShaper
{
    private ParameterSpec ShapeParameter(ParameterObject parameter, ParameterLocation location, string baseName, NameTable names)
    {
        // A name already taken (a local the method declares, the same name in another location) is
        // told apart by its location: "path" in the query is pathQuery.
        string candidate = NameRules.ToCamelCase(parameter.Name, "parameter");
        string name = names.Claim(names.IsTaken(candidate) ? candidate.TrimStart('@') + location : candidate);
        TypeRef type = _types.Map(parameter.Schema, baseName + NameRules.ToPascalCase(parameter.Name, "Parameter"));
        ParameterStyle style = Style(parameter, location, type);
        if (location == ParameterLocation.Path && style != ParameterStyle.Default)
        {
            throw new Skip("the path parameter '" + parameter.Name + "' is not a single value, which a path segment cannot hold");
        }

        return new ParameterSpec(name, parameter.Name, location, type.WithNullable(!parameter.Required || type.IsNullable), parameter.Required, parameter.Doc, style);
    }

    // How the value is written: scalars as text, lists by their style, objects by theirs; anything
    // no style can write (lists of objects, unions, free-form JSON) as JSON text.
    private ParameterStyle Style(ParameterObject parameter, ParameterLocation location, TypeRef type)
    {
        if (IsScalar(type))
        {
            return ParameterStyle.Default;
        }

        if (type.Kind == TypeKind.Array && IsScalar(type.Element!) && !type.Element!.IsNullable)
        {
            bool explode = parameter.Explode ?? (parameter.Style is null or "form");
            return parameter.Style switch
            {
                "spaceDelimited" => ParameterStyle.SpaceDelimited,
                "pipeDelimited" => ParameterStyle.PipeDelimited,
                _ when location == ParameterLocation.Query && explode => ParameterStyle.Default,
                _ => ParameterStyle.CommaDelimited,
            };
        }

        if (type.Kind == TypeKind.Model && location == ParameterLocation.Query && _types.FindModel(type.Name!) is { } model
            && model.Properties.All(p => IsScalar(p.Type)))
        {
            if (parameter.Style == "deepObject")
            {
                return ParameterStyle.DeepObject;
            }

            if (parameter.Style is null or "form" && parameter.Explode != false)
            {
                return ParameterStyle.ObjectMembers;
            }
        }

        return ParameterStyle.Json;
    }

    private static bool IsScalar(TypeRef type) => type.IsScalar;
}
