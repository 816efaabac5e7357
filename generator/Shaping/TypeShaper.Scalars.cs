using System.Linq;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

// Plain types: strings, date-times, numbers, booleans, arrays, maps and const values.
internal sealed partial class TypeShaper
{
    private TypeRef MapPlain(SchemaObject schema, string nameHint)
    {
        string? type = schema.Types.Count == 1 ? schema.Types[0] : null;
        switch (type)
        {
            case "string":
                return schema.Format == "date-time" ? TypeRef.Of(TypeKind.DateTimeOffset) : TypeRef.Of(TypeKind.String);
            case "integer":
                // JSON Schema integers are unbounded; only an explicit int32 fits an int.
                return schema.Format == "int32" ? TypeRef.Of(TypeKind.Int32) : TypeRef.Of(TypeKind.Int64);
            case "number":
                return TypeRef.Of(TypeKind.Double);
            case "boolean":
                return TypeRef.Of(TypeKind.Boolean);
            case "array":
                return TypeRef.ArrayOf(Map(schema.Items, nameHint + "Item"));
            case "null":
                return new TypeRef(TypeKind.JsonElement, true);
        }

        if (schema.AdditionalProperties is { BooleanSchema: null } valueSchema)
        {
            return TypeRef.MapOf(Map(valueSchema, nameHint + "Value"));
        }

        if (type is null && schema.Items is not null)
        {
            return TypeRef.ArrayOf(Map(schema.Items, nameHint + "Item"));
        }

        if (type is null && schema.Const is { } constant)
        {
            return ConstType(constant);
        }

        if (type is null && schema.HasEnum && schema.Enum.Count > 0 && schema.Enum.All(v => v.Kind is JsonLiteralKind.Number or JsonLiteralKind.Null))
        {
            return schema.Enum.Any(v => v.Text.IndexOfAny(['.', 'e', 'E']) >= 0) ? TypeRef.Of(TypeKind.Double) : TypeRef.Of(TypeKind.Int64);
        }

        return TypeRef.Of(TypeKind.JsonElement);
    }

    private static TypeRef ConstType(JsonLiteral constant) => constant.Kind switch
    {
        JsonLiteralKind.Boolean => TypeRef.Of(TypeKind.Boolean),
        JsonLiteralKind.Number => constant.Text.IndexOfAny(['.', 'e', 'E']) >= 0 ? TypeRef.Of(TypeKind.Double) : TypeRef.Of(TypeKind.Int64),
        JsonLiteralKind.String => TypeRef.Of(TypeKind.String),
        _ => TypeRef.Of(TypeKind.JsonElement),
    };
}
