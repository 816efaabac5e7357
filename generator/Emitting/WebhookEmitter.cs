using System;
using System.Linq;
using System.Text;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

/// <summary>
/// Emits the static class that reads webhook and callback payloads: per payload a span reader and a
/// stream reader, both through the document's generated JSON context (no reflection, trim safe).
/// </summary>
internal static class WebhookEmitter
{
    private const string Json = "global::System.Text.Json";

    public static string Emit(ApiSpec spec)
    {
        WebhooksSpec webhooks = spec.Webhooks!;
        SourceWriter writer = GeneratedFile.Start(spec);
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// Reads the payloads of the webhooks and callbacks of " + CSharpText.XmlLine(spec.Title) + ": a receiving service passes each request's body");
        writer.WriteLine("/// to the <c>Parse</c> method of its webhook, and gets the payload read with <see cref=\"" + spec.ContextName + "\"/> (no reflection).");
        writer.WriteLine("/// </summary>");
        writer.WriteLine(GeneratedFile.GeneratedCodeAttribute);
        writer.WriteLine("public static partial class " + webhooks.ClassName);
        writer.OpenBlock();
        bool first = true;
        foreach (WebhookSpec payload in webhooks.Payloads)
        {
            if (!first)
            {
                writer.WriteLine();
            }

            first = false;
            WritePayload(writer, spec, payload);
        }

        writer.CloseBlock();
        return GeneratedFile.Finish(writer);
    }

    private static void WritePayload(SourceWriter writer, ApiSpec spec, WebhookSpec payload)
    {
        string type = TypeNames.CSharpNonNullable(payload.Payload, spec.Namespace);
        JsonTypeSpec info = spec.JsonTypes.First(t => t.Type == payload.Payload.MetadataKey);
        string typeInfo = "global::" + spec.Namespace + "." + spec.ContextName + ".Default." + info.PropertyName;
        string what = payload.OperationMethod is null
            ? "the <c>" + CSharpText.XmlLine(payload.Name) + "</c> webhook"
            : "the <c>" + CSharpText.XmlLine(payload.Name) + "</c> callback of <c>" + spec.ClientName + "." + payload.OperationMethod + "</c>";
        string nullMessage = CSharpText.Literal("The payload of the " + (payload.OperationMethod is null ? "webhook '" : "callback '") + payload.Name + "' is JSON null.");

        var remarks = new StringBuilder();
        remarks.Append("Sent as ").Append(payload.HttpMethod);
        if (payload.Expression is not null)
        {
            remarks.Append(" to ").Append(payload.Expression);
        }

        remarks.Append('.');
        if (payload.Headers.Count > 0)
        {
            remarks.Append(" Headers: ").Append(string.Join(", ", payload.Headers.Select(h => h.Name + (h.Required ? " (required)" : string.Empty) + (h.Description is { } d ? ": " + d.TrimEnd('.') : string.Empty)))).Append('.');
        }

        string remarksLine = "/// <remarks>" + CSharpText.XmlLine(remarks.ToString()) + "</remarks>";
        string exceptions = """
            /// <exception cref="global::System.Text.Json.JsonException">The body is not valid JSON, is JSON <c>null</c>, or does not have the payload's shape (a required member missing, a member of another type).</exception>
            """;

        WriteSummary(writer, "Reads the payload of " + what + ".", payload.Doc.Summary);
        writer.WriteLine(remarksLine);
        writer.WriteLine("/// <param name=\"utf8Json\">The request body: UTF-8 JSON.</param>");
        writer.WriteLine("/// <returns>The payload.</returns>");
        writer.WriteLine(exceptions);
        writer.WriteLine($$"""
            public static {{type}} {{payload.MethodName}}(global::System.ReadOnlySpan<byte> utf8Json)
                => {{Json}}.JsonSerializer.Deserialize(utf8Json, {{typeInfo}})
                    ?? throw new {{Json}}.JsonException({{nullMessage}});
            """);
        writer.WriteLine();
        WriteSummary(writer, "Reads the payload of " + what + " from a stream, such as an ASP.NET Core request's body.", payload.Doc.Summary);
        writer.WriteLine(remarksLine);
        writer.WriteLine("/// <param name=\"utf8Json\">The request body: UTF-8 JSON, read to its end.</param>");
        writer.WriteLine("/// <param name=\"cancellationToken\">Cancels the read.</param>");
        writer.WriteLine("/// <returns>The payload.</returns>");
        writer.WriteLine(exceptions);
        writer.WriteLine($$"""
            /// <exception cref="global::System.ArgumentNullException"><paramref name="utf8Json"/> is null.</exception>
            public static async global::System.Threading.Tasks.ValueTask<{{type}}> {{payload.MethodName}}Async(global::System.IO.Stream utf8Json, global::System.Threading.CancellationToken cancellationToken = default)
            {
                if (utf8Json is null)
                {
                    throw new global::System.ArgumentNullException(nameof(utf8Json));
                }

                return await {{Json}}.JsonSerializer.DeserializeAsync(utf8Json, {{typeInfo}}, cancellationToken).ConfigureAwait(false)
                    ?? throw new {{Json}}.JsonException({{nullMessage}});
            }
            """);
    }

    // The first line is markup of ours (already escaped); the document's summary follows, escaped.
    private static void WriteSummary(SourceWriter writer, string markup, string? summary)
    {
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// " + markup);
        foreach (string line in summary is null ? Array.Empty<string>() : CSharpText.Xml(summary).Split('\n'))
        {
            writer.WriteLine(line.Trim().Length == 0 ? "///" : "/// " + line.Trim());
        }

        writer.WriteLine("/// </summary>");
    }
}
