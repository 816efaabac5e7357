using System.Linq;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

// The options constructors (credential, address, retries) and the server-address methods.
internal static partial class ClientEmitter
{
    // The options pattern of the Baseten clients, for any document: the credential its security
    // scheme asks for (from the options or an environment variable), the address, the retries.
    private static void EmitOptionsConstructors(SourceWriter writer, ApiSpec spec)
    {
        string credential = spec.Auth is null
            ? "The document declares no security scheme, so no credential is sent."
            : "The credential (" + CSharpText.XmlLine(Describe(spec.Auth)) + ") is <see cref=\"" + Http + ".ApiClientOptions.Credential\"/>"
              + (spec.CredentialVariable is { } variable ? ", or the <c>" + CSharpText.XmlLine(variable) + "</c> environment variable" : string.Empty) + ".";
        string address = spec.DefaultBaseAddress is not null
            ? "The address is <see cref=\"" + Http + ".ApiClientOptions.BaseAddress\"/>, or <see cref=\"DefaultBaseAddress\"/>."
            : "The address is <see cref=\"" + Http + ".ApiClientOptions.BaseAddress\"/>" + (spec.Servers.Count > 0 ? " (see <see cref=\"" + spec.Servers[0].MethodName + "\"/>)" : string.Empty) + ".";
        string arguments = (spec.DefaultBaseAddress is not null ? "DefaultBaseAddress" : "null") + ", "
            + (spec.Auth is null ? "null" : "Authorize") + ", "
            + (spec.CredentialVariable is { } name ? CSharpText.Literal(name) : "null") + ", "
            + CSharpText.Literal(spec.ClientName);
        writer.WriteLine($$"""

            /// <summary>Creates a client that owns its HttpClient and disposes it with itself. {{credential}} {{address}}</summary>
            /// <exception cref="global::System.ArgumentNullException"><paramref name="options"/> is null.</exception>
            /// <exception cref="global::System.ArgumentException">No credential or no address is set, or one is not valid.</exception>
            public {{spec.ClientName}}({{Http}}.ApiClientOptions options)
                : this({{Http}}.ApiTransport.Create(options, null, {{arguments}}))
            {
            }

            /// <summary>Creates a client over a caller-owned HttpClient (from IHttpClientFactory, say), which it never disposes. {{credential}} {{address}}</summary>
            /// <exception cref="global::System.ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
            /// <exception cref="global::System.ArgumentException">No credential or no address is set, or one is not valid.</exception>
            public {{spec.ClientName}}(global::System.Net.Http.HttpClient httpClient, {{Http}}.ApiClientOptions options)
                : this({{Http}}.ApiTransport.Create(options, httpClient ?? throw new global::System.ArgumentNullException(nameof(httpClient)), {{arguments}}))
            {
            }
            """);
        if (spec.Auth is { } auth)
        {
            string authorize = auth.Kind switch
            {
                AuthKind.Bearer => Http + ".ApiAuthorization.Bearer(credential)",
                AuthKind.Basic => "credential.IndexOf(':') is int colon and >= 0 ? " + Http + ".ApiAuthorization.Basic(credential.Substring(0, colon), credential.Substring(colon + 1)) : throw new global::System.ArgumentException(\"The credential for HTTP Basic is user:password.\", \"options\")",
                AuthKind.Scheme => "new " + Http + ".ApiAuthorization(" + CSharpText.Literal(auth.Name) + ", credential)",
                AuthKind.ApiKeyHeader => Http + ".ApiAuthorization.ApiKeyHeader(" + CSharpText.Literal(auth.Name) + ", credential)",
                AuthKind.ApiKeyQuery => Http + ".ApiAuthorization.ApiKeyQuery(" + CSharpText.Literal(auth.Name) + ", credential)",
                _ => Http + ".ApiAuthorization.ApiKeyCookie(" + CSharpText.Literal(auth.Name) + ", credential)",
            };
            writer.WriteLine($$"""

                // The document's security scheme: {{Describe(auth).Replace("\n", " ")}}.
                private static {{Http}}.ApiAuthorization Authorize(string credential) => {{authorize}};
                """);
        }
    }

    private static string Describe(AuthSpec auth) => auth.Kind switch
    {
        AuthKind.Bearer => "sent as Authorization: Bearer",
        AuthKind.Basic => "user:password, sent as Authorization: Basic",
        AuthKind.Scheme => "sent as Authorization: " + auth.Name,
        AuthKind.ApiKeyHeader => "an API key, sent as the " + auth.Name + " header",
        AuthKind.ApiKeyQuery => "an API key, sent as the " + auth.Name + " query parameter",
        _ => "an API key, sent as the " + auth.Name + " cookie",
    };

    // https://model-{model_id}.api.baseten.co -> ModelAddress(string modelId): each variable checked, as it may land in a host name.
    private static void EmitServer(SourceWriter writer, ServerSpec server)
    {
        writer.WriteLine();
        writer.WriteLine("/// <summary>" + (server.Description is { } description ? CSharpText.XmlLine(description) + ": " : string.Empty) + "<c>" + CSharpText.XmlLine(server.Url) + "</c>.</summary>");
        foreach (ServerVariableSpec variable in server.Variables)
        {
            CSharpText.WriteElement(writer, "param", variable.Description ?? "The '" + variable.WireName + "' variable.", " name=\"" + variable.ParameterName.TrimStart('@') + "\"");
        }

        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A value holds a character other than a letter, a digit, '-', '.', '_' or '~'.</exception>");
        string parameters = string.Join(", ", server.Variables.OrderBy(v => v.Default is null ? 0 : 1).Select(v => "string " + v.ParameterName + (v.Default is { } d ? " = " + CSharpText.Literal(d) : string.Empty)));
        string parts = string.Join(", ", server.Segments.Select(segment => segment.Literal is { } literal
            ? CSharpText.Literal(literal)
            : Http + ".ParameterFormat.ServerVariable(" + server.Variables[segment.ParameterIndex].ParameterName + ", nameof(" + server.Variables[segment.ParameterIndex].ParameterName + "))"));
        writer.WriteLine("public static global::System.Uri " + server.MethodName + "(" + parameters + ") => new(string.Concat(" + parts + "));");
    }
}
