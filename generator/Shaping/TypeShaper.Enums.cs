using System;
using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

// String enums become open enums: a member per value.
internal sealed partial class TypeShaper
{
    private EnumSpec BuildEnum(string name, SchemaObject schema)
    {
        var members = new List<EnumMemberSpec>();
        string[] reserved = [name, .. ReservedNames.EnumMembers];
        var memberNames = new NameTable(null, reserved);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonLiteral value in schema.Enum)
        {
            if (value.Kind is JsonLiteralKind.Null or JsonLiteralKind.Structured || !seen.Add(value.Text))
            {
                continue;
            }

            // "" is a common value ("unset"); "unknown" meets the sentinel Known.Unknown.
            string candidate = Unreserved(value.Text.Trim().Length == 0 ? "Empty" : NameRules.ToPascalCase(value.Text, "Value"), reserved);
            string memberName = memberNames.Claim(candidate);
            if (memberName != candidate)
            {
                _diagnostics.Add(DiagnosticDescriptors.NameCollision, value.Span, name + "." + value.Text, candidate, memberName);
            }

            members.Add(new EnumMemberSpec(memberName, value.Text));
        }

        return new EnumSpec(name, schema.Doc, members.ToEquatableArray());
    }

    // String enums: "type: string" (or no type) and at least one value that is not null.
    private static bool IsStringEnum(SchemaObject schema)
    {
        if (!schema.HasEnum || schema.Types.Count > 1 || (schema.Types.Count == 1 && schema.Types[0] != "string"))
        {
            return false;
        }

        bool any = false;
        foreach (JsonLiteral value in schema.Enum)
        {
            switch (value.Kind)
            {
                case JsonLiteralKind.Null:
                    continue;
                case JsonLiteralKind.Structured:
                    return false;
                case JsonLiteralKind.Number or JsonLiteralKind.Boolean when schema.Types.Count == 0:
                    return false;
            }

            any = true;
        }

        return any;
    }

    private static bool EnumAllowsNull(SchemaObject schema) => schema.Enum.Any(v => v.Kind == JsonLiteralKind.Null);
}
