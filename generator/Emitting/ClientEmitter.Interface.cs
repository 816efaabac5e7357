using System.Collections.Generic;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

// The client's interface: every operation and walker, so that a service that takes it can be
// tested with a fake. It holds the documentation; the client's members inherit it. It is partial,
// so that a client with hand-written members (Baseten's own) adds them to it beside the class.
// Construction, the server-address methods and Dispose stay on the class: they belong to whoever
// owns the client, not to a service that calls it.
internal static partial class ClientEmitter
{
    public static string EmitInterface(ApiSpec spec)
    {
        SourceWriter writer = GeneratedFile.Start(spec);
        writer.WriteLine($$"""
            /// <summary>
            /// The operations of <see cref="{{spec.ClientName}}"/>, the client for the {{CSharpText.XmlLine(spec.Title)}}: take this
            /// interface in a service to test the service with a fake client.
            /// </summary>
            {{GeneratedFile.GeneratedCodeAttribute}}
            public partial interface {{spec.InterfaceName}}
            {
            """);
        writer.Indent();
        bool first = true;
        foreach (SubClientSpec subClient in spec.SubClients)
        {
            if (!first)
            {
                writer.WriteLine();
            }

            first = false;
            WriteSubClientSummary(writer, subClient);
            writer.WriteLine("global::" + spec.Namespace + "." + subClient.InterfaceName + " " + subClient.PropertyName + " { get; }");
        }

        WriteOperationDeclarations(writer, spec, first);
        writer.Unindent();
        writer.WriteLine("}");
        return GeneratedFile.Finish(writer);
    }

    // Every operation and walker of spec.Operations, documented, as an interface declares them.
    private static void WriteOperationDeclarations(SourceWriter writer, ApiSpec spec, bool first)
    {
        foreach (OperationSpec operation in spec.Operations)
        {
            if (!first)
            {
                writer.WriteLine();
            }

            first = false;
            List<Argument> declared = Signature(spec, operation);
            writer.WriteLine(OperationDeclaration(writer, spec, operation, declared, documented: true) + ";");
            if (operation.Pagination is { } pagination)
            {
                writer.WriteLine();
                writer.WriteLine(WalkerDeclaration(writer, spec, operation, pagination, WalkerArguments(spec, operation, pagination), documented: true, iterator: false) + ";");
            }
        }
    }
}
