using System.Collections.Generic;
using System.Text;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Shaping;

// The path template cut into literal text and parameter placeholders.
internal sealed partial class OperationShaper
{
    private static EquatableArray<PathSegmentSpec> ShapePathTemplate(string path, List<ParameterSpec> parameters, NameTable names)
    {
        var segments = new List<PathSegmentSpec>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < path.Length)
        {
            int open = path.IndexOf('{', i);
            int close = open < 0 ? -1 : path.IndexOf('}', open);
            if (open < 0)
            {
                literal.Append(path, i, path.Length - i);
                break;
            }

            if (close < 0 || path.IndexOf('}', i) < open)
            {
                throw new Skip("its path template has unbalanced braces");
            }

            literal.Append(path, i, open - i);
            if (literal.Length > 0)
            {
                segments.Add(new PathSegmentSpec(literal.ToString(), -1));
                literal.Clear();
            }

            string wireName = path.Substring(open + 1, close - open - 1);
            int index = parameters.FindIndex(p => p.WireName == wireName);
            if (index < 0)
            {
                // A placeholder the document forgot to declare: still a required string.
                parameters.Add(new ParameterSpec(names.Claim(NameRules.ToCamelCase(wireName, "parameter")), wireName, ParameterLocation.Path, TypeRef.Of(TypeKind.String), true, DocSpec.None));
                index = parameters.Count - 1;
            }

            segments.Add(new PathSegmentSpec(null, index));
            i = close + 1;
        }

        if (literal.Length > 0)
        {
            segments.Add(new PathSegmentSpec(literal.ToString(), -1));
        }

        return segments.ToEquatableArray();
    }
}
