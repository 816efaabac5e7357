using System;
using System.Globalization;
using System.Text.Json;

namespace Baseten.Aot.Cli;

/// <summary>
/// A <see cref="JsonException"/> from reading a body file, said in the file's terms: where (the JSON
/// path, line and byte, counted from 1) and what, with System.Text.Json's .NET type names replaced
/// by the JSON a user should have written. Plain string matching: System.Text.RegularExpressions
/// would add about 37 KB to the native CLI.
/// </summary>
internal static class JsonErrors
{
    public static string Describe(JsonException exception)
    {
        string reason = exception.Message;
        // "... Path: $.x | LineNumber: 0 | BytePositionInLine: 5." from the serializer, "... LineNumber: 0 |
        // BytePositionInLine: 5." from the reader alone: said again below, from the properties, counted from 1.
        int location = reason.IndexOf(" Path: ", StringComparison.Ordinal);
        if (location < 0)
        {
            location = reason.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        if (location >= 0)
        {
            reason = reason.Substring(0, location);
        }

        reason = reason.TrimEnd('.');
        const string NotConverted = "The JSON value could not be converted to ";
        const string NotMapped = "The JSON property '";
        const string NotMappedType = "' could not be mapped to any .NET member contained in type '";
        int member = reason.IndexOf(NotMappedType, StringComparison.Ordinal);
        if (reason.StartsWith(NotConverted, StringComparison.Ordinal))
        {
            reason = "expected " + Expected(reason.Substring(NotConverted.Length));
        }
        else if (reason.StartsWith(NotMapped, StringComparison.Ordinal) && member > NotMapped.Length && reason.EndsWith('\''))
        {
            string property = reason.Substring(NotMapped.Length, member - NotMapped.Length);
            string type = reason.Substring(member + NotMappedType.Length, reason.Length - 1 - member - NotMappedType.Length);
            reason = "'" + property + "' is not a property of " + ShortName(type) + " (misspelt?)";
        }

        string where = exception.Path is { Length: > 0 } path ? "at " + path + " " : string.Empty;
        if (exception.LineNumber is { } line && exception.BytePositionInLine is { } bytes)
        {
            where += "(line " + (line + 1).ToString(CultureInfo.InvariantCulture) + ", byte " + (bytes + 1).ToString(CultureInfo.InvariantCulture) + ")";
        }

        return where.Length == 0 ? reason : where.TrimEnd() + ": " + reason;
    }

    // What a .NET type a value failed to convert to asks for in JSON.
    private static string Expected(string type)
    {
        string? item = GenericArgument(type, "System.Collections.Generic.IReadOnlyList`1[") ?? GenericArgument(type, "System.Collections.Generic.List`1[");
        if (item is not null)
        {
            return "an array, each item " + Expected(item);
        }

        return ShortName(type) switch
        {
            "Int64" or "Int32" or "Int16" or "Byte" or "UInt64" or "UInt32" => "an integer",
            "Double" or "Single" or "Decimal" => "a number",
            "Boolean" => "true or false",
            "String" => "a string",
            "DateTimeOffset" or "DateTime" => "a date and time (RFC 3339)",
            { } name => "a " + name,
        };
    }

    // "System.Nullable`1[System.Int64]" -> "Int64"; "Baseten.Aot.ChainletV1" -> "ChainletV1".
    private static string ShortName(string type)
    {
        type = GenericArgument(type, "System.Nullable`1[") ?? type;
        int dot = type.LastIndexOf('.');
        return dot < 0 ? type : type.Substring(dot + 1);
    }

    // The argument of a one-parameter generic type as Type.ToString writes it: "Open`1[Argument]".
    private static string? GenericArgument(string type, string open)
        => type.StartsWith(open, StringComparison.Ordinal) && type.EndsWith(']') ? type.Substring(open.Length, type.Length - open.Length - 1) : null;
}
