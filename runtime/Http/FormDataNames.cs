using System;
using System.Net.Http;
using System.Net.Http.Headers;

namespace Baseten.Aot.Http;

/// <summary>
/// Writes the names in a <c>multipart/form-data</c> body the way browsers do: <c>name="..."</c> and
/// <c>filename="..."</c> always quoted, and <c>filename*</c> only for a file name that is not ASCII.
/// .NET leaves a name that is a token unquoted and always adds <c>filename*</c>, which RFC 7578
/// allows, but some servers' form parsers refuse (one mock server's crashes on it).
/// </summary>
internal static class FormDataNames
{
    /// <summary>Quotes the part names of <paramref name="form"/> in place; safe to call again.</summary>
    public static void Normalize(MultipartFormDataContent form)
    {
        foreach (HttpContent part in form)
        {
            if (part.Headers.ContentDisposition is not { } disposition)
            {
                continue;
            }

            disposition.Name = Quote(disposition.Name);
            // A file name that is not ASCII is left as .NET writes it: MIME-encoded, with filename*.
            if (disposition.FileName is { } fileName && IsAscii(fileName))
            {
                string? star = disposition.FileNameStar;
                disposition.FileName = Quote(fileName);
                if (star is not null && Quote(star) == Quote(fileName))
                {
                    disposition.FileNameStar = null;
                }
            }
        }
    }

    private static string? Quote(string? value)
    {
        if (value is null || (value.Length >= 2 && value[0] == '"' && value[^1] == '"'))
        {
            return value;
        }

        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    private static bool IsAscii(string value)
    {
        foreach (char c in value)
        {
            if (c >= 0x80)
            {
                return false;
            }
        }

        return true;
    }
}
