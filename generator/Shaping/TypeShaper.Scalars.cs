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
                return TypeRef.Of(StringFormat(schema.Format));
            case "integer":
                return TypeRef.Of(IntegerFormat(schema.Format));
            case "number":
                return TypeRef.Of(NumberFormat(schema.Format));
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

    // `duration` stays a string: ISO 8601 durations hold years and months, which no TimeSpan holds
    // exactly, and System.Text.Json's TimeSpan reads .NET's "c" format, not ISO 8601.
    private static TypeKind StringFormat(string? format) => format switch
    {
        "date-time" => TypeKind.DateTimeOffset,
        "date" => TypeKind.DateOnly,
        "time" => TypeKind.TimeOnly,
        "uuid" => TypeKind.Guid,
        "uri" => TypeKind.Uri,
        "byte" => TypeKind.ByteArray,
        _ => TypeKind.String,
    };

    // JSON Schema integers are unbounded; only an explicit format narrows them below a long.
    private static TypeKind IntegerFormat(string? format) => format switch
    {
        "int32" => TypeKind.Int32,
        "int8" => TypeKind.SByte,
        "int16" => TypeKind.Int16,
        "uint8" => TypeKind.Byte,
        "uint16" => TypeKind.UInt16,
        "uint32" => TypeKind.UInt32,
        "uint64" => TypeKind.UInt64,
        _ => TypeKind.Int64,
    };

    private static TypeKind NumberFormat(string? format) => format switch
    {
        "decimal" => TypeKind.Decimal,
        "float" => TypeKind.Single,
        _ => TypeKind.Double,
    };

    private static TypeRef ConstType(JsonLiteral constant) => constant.Kind switch
    {
        JsonLiteralKind.Boolean => TypeRef.Of(TypeKind.Boolean),
        JsonLiteralKind.Number => constant.Text.IndexOfAny(['.', 'e', 'E']) >= 0 ? TypeRef.Of(TypeKind.Double) : TypeRef.Of(TypeKind.Int64),
        JsonLiteralKind.String => TypeRef.Of(TypeKind.String),
        _ => TypeRef.Of(TypeKind.JsonElement),
    };
}
