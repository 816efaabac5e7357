using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Cli;

/// <summary>
/// Prints the request the real client built, byte for byte but for the redacted key, and stops
/// it there: nothing leaves the machine.
/// </summary>
internal sealed class DryRunHandler(TextWriter output) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append(request.Method.Method).Append(' ').Append(request.RequestUri!.AbsoluteUri).Append(" HTTP/1.1\n");
        foreach ((string name, System.Collections.Generic.IEnumerable<string> values) in request.Headers)
        {
            text.Append(name).Append(": ").Append(name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ? Redact(values) : string.Join(", ", values)).Append('\n');
        }

        if (request.Content is { } content)
        {
            // Content-Length is computed on first read; read it so the header is listed as sent.
            _ = content.Headers.ContentLength;
            foreach ((string name, System.Collections.Generic.IEnumerable<string> values) in content.Headers)
            {
                text.Append(name).Append(": ").Append(string.Join(", ", values)).Append('\n');
            }

            text.Append('\n').Append(await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Append('\n');
        }

        await output.WriteAsync(text.ToString()).ConfigureAwait(false);
        throw new RequestPrintedException();
    }

    private static string Redact(System.Collections.Generic.IEnumerable<string> values)
    {
        string value = string.Join(", ", values);
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        return (space < 0 ? string.Empty : value.Substring(0, space + 1)) + "***";
    }

    /// <summary>Ends a dry run once the request is printed.</summary>
    internal sealed class RequestPrintedException : Exception
    {
        public RequestPrintedException()
            : base("The request was printed and not sent (--dry-run).")
        {
        }
    }
}
