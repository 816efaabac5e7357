using System.Linq;
using System.Text;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

/// <summary>
/// Emits the client: one method per operation, each building its path and handing the body and
/// the response metadata to the runtime's <c>ApiTransport</c>. Methods are not async: argument
/// errors throw at the call, and no state machine is added on top of the transport's.
/// </summary>
internal static partial class ClientEmitter
{
    private const string Http = "global::Baseten.Aot.Http";
    private const string Json = "global::System.Text.Json";

    public static string Emit(ApiSpec spec)
    {
        SourceWriter writer = GeneratedFile.Start(spec);
        string context = "global::" + spec.Namespace + "." + spec.ContextName + "." + ContextMemberNames.Default;
        string transport = IsBasetenRuntime(spec)
            ? "(transport ?? throw new global::System.ArgumentNullException(nameof(transport))).WithBasetenErrors()"
            : "transport ?? throw new global::System.ArgumentNullException(nameof(transport))";
        string transportDoc = IsBasetenRuntime(spec) ? " Its calls throw <see cref=\"global::Baseten.Aot.BasetenApiException\"/>, whatever the transport." : string.Empty;
        string interfaces = spec.InterfaceName is { } name ? "global::" + spec.Namespace + "." + name + ", " : string.Empty;
        writer.WriteLine($$"""
            /// <summary>Client for the {{CSharpText.XmlLine(spec.Title)}}: one method per operation of the OpenAPI document.</summary>
            {{GeneratedFile.GeneratedCodeAttribute}}
            public sealed partial class {{spec.ClientName}} : {{interfaces}}global::System.IDisposable
            {
                private readonly {{Http}}.ApiTransport _transport;

                /// <summary>Creates a client that sends every request through <paramref name="transport"/>.{{transportDoc}}</summary>
                /// <exception cref="global::System.ArgumentNullException"><paramref name="transport"/> is null.</exception>
                public {{spec.ClientName}}({{Http}}.ApiTransport transport)
                {
                    _transport = {{transport}};
                }
            """);
        writer.Indent();
        if (spec.DefaultBaseAddress is { } server)
        {
            writer.WriteLine($$"""

                /// <summary>The first server the OpenAPI document names: <c>{{CSharpText.XmlLine(server)}}</c>.</summary>
                public static global::System.Uri DefaultBaseAddress { get; } = new({{CSharpText.Literal(server)}});
                """);
        }

        if (spec.OptionsConstructors)
        {
            EmitOptionsConstructors(writer, spec);
        }

        foreach (ServerSpec templated in spec.Servers)
        {
            EmitServer(writer, templated);
        }

        writer.WriteLine("""

            /// <summary>Disposes the transport, and with it any HttpClient the transport owns.</summary>
            public void Dispose() => _transport.Dispose();
            """);

        foreach (SubClientSpec subClient in spec.SubClients)
        {
            EmitSubClientProperty(writer, spec, subClient);
        }

        EmitOperations(writer, spec, context);

        writer.Unindent();
        writer.WriteLine("}");
        return GeneratedFile.Finish(writer);
    }

    // Baseten's own clients, compiled into the runtime with hand-written constructors, throw
    // BasetenApiException (the runtime's internals make them); every other client throws its base,
    // ApiException, so no Baseten-named type surfaces from a client for another API.
    private static bool IsBasetenRuntime(ApiSpec spec) => spec.Namespace == "Baseten.Aot" && !spec.OptionsConstructors;

    private static string ErrorType(ApiSpec spec) => IsBasetenRuntime(spec) ? "global::Baseten.Aot.BasetenApiException" : "global::Baseten.Aot.Http.ApiException";

    // Every operation's last parameters: the per-call options, then the token.
    private const string CallOptionsParameter = "global::Baseten.Aot.Http.ApiCallOptions? options = null";

    private const string CallOptionsDoc = "/// <param name=\"options\">Per-call settings (headers, a timeout, a retry policy, policies); after the call, <c>options.Response</c> holds the answer's status and headers. Null for none.</param>";

    private static string Indent(string lines) => string.Join("\n", lines.Split('\n').Select(line => "    " + line));

    private static string InfoName(ApiSpec spec, TypeRef type)
    {
        TypeRef key = type.MetadataKey;
        foreach (JsonTypeSpec candidate in spec.JsonTypes)
        {
            if (candidate.Type == key)
            {
                return candidate.PropertyName;
            }
        }

        return TypeNames.InfoName(key);
    }

    private static string MethodProperty(string method)
    {
        var builder = new StringBuilder(method.Length);
        builder.Append(method[0]).Append(method.Substring(1).ToLowerInvariant());
        return builder.ToString();
    }
}
