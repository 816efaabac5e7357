using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

// BasetenClientPerTag: a class per tag (client.Repos.ListForOrgAsync), created on first use over the
// client's own transport, so that it adds no connection, no options and nothing to dispose. Its
// constructor is internal: only the client makes one; a test fakes its interface instead.
internal static partial class ClientEmitter
{
    /// <summary>The file of one sub-client: <paramref name="slice"/> holds its operations and, as its only sub-client, itself.</summary>
    public static string EmitSubClient(ApiSpec slice)
    {
        SubClientSpec subClient = slice.SubClients[0];
        ApiSpec spec = slice with { ClientName = subClient.ClassName, InterfaceName = subClient.InterfaceName };
        string context = "global::" + spec.Namespace + "." + spec.ContextName + "." + ContextMemberNames.Default;
        SourceWriter writer = GeneratedFile.Start(spec);
        string interfaces = subClient.InterfaceName is { } name ? " : global::" + spec.Namespace + "." + name : string.Empty;
        writer.WriteLine($$"""
            /// <summary>The operations tagged <c>{{CSharpText.XmlLine(subClient.Tag)}}</c> of the {{CSharpText.XmlLine(slice.Title)}}: <see cref="{{slice.ClientName}}.{{subClient.PropertyName}}"/>, which sends them through that client's transport.</summary>
            {{GeneratedFile.GeneratedCodeAttribute}}
            public sealed partial class {{subClient.ClassName}}{{interfaces}}
            {
                private readonly {{Http}}.ApiTransport _transport;

                internal {{subClient.ClassName}}({{Http}}.ApiTransport transport)
                {
                    _transport = transport;
                }
            """);
        writer.Indent();
        EmitOperations(writer, spec, context);

        writer.Unindent();
        writer.WriteLine("}");
        return GeneratedFile.Finish(writer);
    }

    /// <summary>The interface of one sub-client, which holds its operations' documentation.</summary>
    public static string EmitSubClientInterface(ApiSpec slice)
    {
        SubClientSpec subClient = slice.SubClients[0];
        ApiSpec spec = slice with { ClientName = subClient.ClassName, InterfaceName = subClient.InterfaceName };
        SourceWriter writer = GeneratedFile.Start(spec);
        writer.WriteLine($$"""
            /// <summary>
            /// The operations of <see cref="{{subClient.ClassName}}"/>, those tagged <c>{{CSharpText.XmlLine(subClient.Tag)}}</c> of the {{CSharpText.XmlLine(slice.Title)}}:
            /// take this interface in a service to test the service with a fake.
            /// </summary>
            {{GeneratedFile.GeneratedCodeAttribute}}
            public partial interface {{subClient.InterfaceName}}
            {
            """);
        writer.Indent();
        WriteOperationDeclarations(writer, spec, first: true);
        writer.Unindent();
        writer.WriteLine("}");
        return GeneratedFile.Finish(writer);
    }

    // On the client: the sub-client, made on first use (a race makes two equal ones, both over the
    // same transport), and, with an interface, the interface's property, which returns it.
    private static void EmitSubClientProperty(SourceWriter writer, ApiSpec spec, SubClientSpec subClient)
    {
        string type = "global::" + spec.Namespace + "." + subClient.ClassName;
        string field = "_" + char.ToLowerInvariant(subClient.PropertyName[0]) + subClient.PropertyName.Substring(1) + "Client";
        writer.WriteLine();
        WriteSubClientSummary(writer, subClient);
        writer.WriteLine("public " + type + " " + subClient.PropertyName + " => " + field + " ??= new " + type + "(_transport);");
        if (subClient.InterfaceName is { } interfaceName && spec.InterfaceName is { } clientInterface)
        {
            writer.WriteLine();
            writer.WriteLine("global::" + spec.Namespace + "." + interfaceName + " global::" + spec.Namespace + "." + clientInterface + "." + subClient.PropertyName + " => " + subClient.PropertyName + ";");
        }

        writer.WriteLine();
        writer.WriteLine("private " + type + "? " + field + ";");
    }

    private static void WriteSubClientSummary(SourceWriter writer, SubClientSpec subClient)
        => writer.WriteLine("/// <summary>The operations tagged <c>" + CSharpText.XmlLine(subClient.Tag) + "</c>, over this client's transport.</summary>");
}
