using System.Collections.Generic;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Parsing;

// servers: URLs and their variables.
internal sealed partial class OpenApiParser
{
    private EquatableArray<ServerObject> ReadServers(YamlNode? node)
    {
        var result = new List<ServerObject>();
        if (node is not YamlSequence servers)
        {
            return result.ToEquatableArray();
        }

        foreach (YamlNode item in servers.Items)
        {
            if (item is not YamlMapping server || DocReader.Text(server["url"]) is not { } url)
            {
                continue;
            }

            var variables = new List<ServerVariableObject>();
            bool complete = true;
            if (server["variables"] is YamlMapping declared)
            {
                foreach (KeyValuePair<YamlScalar, YamlNode> entry in declared.Entries)
                {
                    if (entry.Value is YamlMapping variable && (variable["default"] as YamlScalar)?.Value is { } defaultValue)
                    {
                        var values = new List<string>();
                        if (variable["enum"] is YamlSequence allowed)
                        {
                            foreach (YamlNode value in allowed.Items)
                            {
                                if (value is YamlScalar scalar)
                                {
                                    values.Add(scalar.Value);
                                }
                            }
                        }

                        variables.Add(new ServerVariableObject(entry.Key.Value, defaultValue, values.ToEquatableArray(), DocReader.Text(variable["description"])));
                    }
                    else
                    {
                        _diagnostics.Add(DiagnosticDescriptors.InvalidStructure, entry.Value, "servers.variables." + entry.Key.Value, "a server variable with a 'default'", "this server is left out, since its URL cannot be completed");
                        complete = false;
                    }
                }
            }

            if (!complete)
            {
                continue;
            }

            result.Add(new ServerObject(url, variables.ToEquatableArray(), DocReader.Text(server["description"])));
        }

        return result.ToEquatableArray();
    }
}
