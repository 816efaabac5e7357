using System.Collections.Generic;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Parsing;

// securitySchemes and security requirements.
internal sealed partial class OpenApiParser
{
    private EquatableArray<SecuritySchemeObject> ReadSecuritySchemes()
    {
        var result = new List<SecuritySchemeObject>();
        if (_components?["securitySchemes"] is YamlMapping schemes)
        {
            foreach (KeyValuePair<YamlScalar, YamlNode> entry in schemes.Entries)
            {
                if (Resolve(entry.Value) is YamlMapping scheme && DocReader.Text(scheme["type"]) is { } type)
                {
                    result.Add(new SecuritySchemeObject(
                        entry.Key.Value,
                        type,
                        DocReader.Text(scheme["scheme"]),
                        DocReader.Text(scheme["in"]),
                        DocReader.Text(scheme["name"]),
                        DocReader.Text(scheme["description"])));
                }
            }
        }

        return result.ToEquatableArray();
    }

    // A security requirement list: the names of the schemes of each alternative, flattened in order.
    private static EquatableArray<string>? ReadSecurity(YamlNode? node)
    {
        if (node is not YamlSequence requirements)
        {
            return null;
        }

        var names = new List<string>();
        foreach (YamlNode requirement in requirements.Items)
        {
            if (requirement is YamlMapping mapping)
            {
                foreach (KeyValuePair<YamlScalar, YamlNode> entry in mapping.Entries)
                {
                    if (!names.Contains(entry.Key.Value))
                    {
                        names.Add(entry.Key.Value);
                    }
                }
            }
        }

        return names.ToEquatableArray();
    }
}
