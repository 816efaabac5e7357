using System;
using System.Globalization;
using System.Text.Json;

namespace Baseten.Aot.Cli;

/// <summary>
/// A <see cref="JsonException"/> from checking a body file, said in the file's terms: where (the
/// JSON path when there is one, line and byte, counted from 1) and what.
/// </summary>
internal static class JsonErrors
{
    public static string Describe(JsonException exception)
    {
        string reason = exception.Message;
        if (exception.Path is null)
        {
            // The reader's own: "... LineNumber: 0 | BytePositionInLine: 5." is said again below, counted from 1.
            int location = reason.IndexOf(" LineNumber: ", StringComparison.Ordinal);
            if (location >= 0)
            {
                reason = reason.Substring(0, location);
            }

            reason = reason.TrimEnd('.');
        }

        string where = exception.Path is { Length: > 0 } path ? "at " + path + " " : string.Empty;
        if (exception.LineNumber is { } line && exception.BytePositionInLine is { } bytes)
        {
            where += "(line " + (line + 1).ToString(CultureInfo.InvariantCulture) + ", byte " + (bytes + 1).ToString(CultureInfo.InvariantCulture) + ")";
        }

        return where.Length == 0 ? reason : where.TrimEnd() + ": " + reason;
    }
}
