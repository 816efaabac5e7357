using System.Collections.Generic;
using System.Linq;
using System.Text;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

/// <summary>
/// Emits the client: one method per operation, each building its path and handing the body and
/// the response metadata to the runtime's <c>ApiTransport</c>. Methods are not async: argument
/// errors throw at the call, and no state machine is added on top of the transport's.
/// </summary>
internal static class ClientEmitter
{
    private const string Http = "global::Baseten.Aot.Http";

    public static string Emit(ApiSpec spec)
    {
        SourceWriter writer = GeneratedFile.Start(spec);
        string context = "global::" + spec.Namespace + "." + spec.ContextName + ".Default";
        writer.WriteLine($$"""
            /// <summary>Client for the {{CSharpText.XmlLine(spec.Title)}}: one method per operation of the OpenAPI document.</summary>
            {{GeneratedFile.GeneratedCodeAttribute}}
            public sealed partial class {{spec.ClientName}} : global::System.IDisposable
            {
                private readonly {{Http}}.ApiTransport _transport;

                /// <summary>Creates a client that sends every request through <paramref name="transport"/>.</summary>
                /// <exception cref="global::System.ArgumentNullException"><paramref name="transport"/> is null.</exception>
                public {{spec.ClientName}}({{Http}}.ApiTransport transport)
                {
                    _transport = transport ?? throw new global::System.ArgumentNullException(nameof(transport));
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

        writer.WriteLine("""

            /// <summary>Disposes the transport, and with it any HttpClient the transport owns.</summary>
            public void Dispose() => _transport.Dispose();
            """);

        foreach (OperationSpec operation in spec.Operations)
        {
            EmitOperation(writer, spec, operation, context);
            if (operation.Pagination is { } pagination)
            {
                EmitAutoPaging(writer, spec, operation, pagination);
            }
        }

        writer.Unindent();
        writer.WriteLine("}");
        return GeneratedFile.Finish(writer);
    }

    private static void EmitOperation(SourceWriter writer, ApiSpec spec, OperationSpec operation, string context)
    {
        writer.WriteLine();
        CSharpText.WriteDoc(writer, operation.Doc with { Default = null }, operation.HttpMethod + " " + operation.Path);

        List<Argument> declared = Signature(spec, operation);
        foreach (Argument argument in declared)
        {
            CSharpText.WriteElement(writer, "param", argument.Doc, " name=\"" + argument.Name.TrimStart('@') + "\"");
        }

        var signature = declared.Select(a => a.Declaration).ToList();
        signature.Add("global::System.Threading.CancellationToken cancellationToken = default");
        writer.WriteLine("/// <param name=\"cancellationToken\">Cancels the request.</param>");
        string returns = operation.Response is { } response ? TypeNames.CSharpNonNullable(response, spec.Namespace) : null!;
        if (operation.Response is not null)
        {
            writer.WriteLine("/// <returns>The response body.</returns>");
        }

        writer.WriteLine($$"""
            /// <exception cref="global::Baseten.Aot.BasetenApiException">The server answered with a status outside 2xx, or with a body that is not the documented JSON.</exception>
            /// <exception cref="global::System.Net.Http.HttpRequestException">The server could not be reached.</exception>
            /// <exception cref="global::System.OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
            """);
        if (operation.Doc.Deprecated)
        {
            writer.WriteLine("[global::System.Obsolete(\"The API marks this operation as deprecated.\")]");
        }

        string task = operation.Response is null ? "global::System.Threading.Tasks.Task" : "global::System.Threading.Tasks.Task<" + returns + ">";
        writer.WriteLine("public " + task + " " + operation.MethodName + "(" + string.Join(", ", signature) + ")");
        writer.OpenBlock();
        foreach (ParameterSpec p in operation.Parameters)
        {
            if (p.IsRequired && !p.Type.IsValueType)
            {
                writer.WriteLine("global::System.ArgumentNullException.ThrowIfNull(" + p.Name + ");");
            }
        }

        if (operation.Body is { IsRequired: true } checkedBody && !checkedBody.Type.IsValueType)
        {
            writer.WriteLine("global::System.ArgumentNullException.ThrowIfNull(" + checkedBody.ParameterName + ");");
        }

        writer.WriteLine("string path = " + PathExpression(operation) + ";");
        bool hasQuery = false;
        foreach (ParameterSpec p in operation.Parameters)
        {
            if (p.Location != ParameterLocation.Query)
            {
                continue;
            }

            if (!hasQuery)
            {
                writer.WriteLine("var query = new " + Http + ".QueryBuilder(path);");
                hasQuery = true;
            }

            string value = p.Type.Kind switch
            {
                TypeKind.Enum => p.Name + (p.Type.IsNullable ? "?.Value" : ".Value"),
                TypeKind.Array when p.Type.Element!.Kind == TypeKind.Enum => p.Name + ", static v => v.Value",
                _ => p.Name,
            };
            writer.WriteLine("query.Add(" + CSharpText.Literal(p.WireName) + ", " + value + ");");
        }

        if (hasQuery)
        {
            writer.WriteLine("path = query.ToString();");
        }

        var arguments = new List<string> { "global::System.Net.Http.HttpMethod." + MethodProperty(operation.HttpMethod), "path" };
        if (operation.Body is { } body)
        {
            arguments.Add(body.ParameterName + JsonContextEmitter.ForgivingSuffix(body.Type));
            arguments.Add(context + "." + InfoName(spec, body.Type));
        }

        if (operation.Response is { } responseType)
        {
            arguments.Add(context + "." + InfoName(spec, responseType.WithNullable(false)));
        }

        arguments.Add("cancellationToken");
        writer.WriteLine("return _transport.SendAsync(" + string.Join(", ", arguments) + ");");
        writer.CloseBlock();
    }

    private readonly record struct Argument(string Declaration, string Name, string Doc, ParameterSpec? Parameter);

    // Signature order: path parameters, a required body, required query parameters, an optional
    // body, optional query parameters (the cancellation token comes last, added by the caller).
    private static List<Argument> Signature(ApiSpec spec, OperationSpec operation)
    {
        var arguments = new List<Argument>();
        void Add(TypeRef type, string name, string suffix, DocSpec doc, string fallback, ParameterSpec? parameter)
            => arguments.Add(new Argument(TypeNames.CSharp(type, spec.Namespace) + " " + name + suffix, name, doc.Summary ?? fallback, parameter));

        foreach (ParameterSpec p in operation.Parameters)
        {
            if (p.Location == ParameterLocation.Path)
            {
                Add(p.Type, p.Name, string.Empty, p.Doc, "The '" + p.WireName + "' path parameter.", p);
            }
        }

        if (operation.Body is { IsRequired: true } requiredBody)
        {
            Add(requiredBody.Type, requiredBody.ParameterName, string.Empty, requiredBody.Doc, "The request body.", null);
        }

        foreach (ParameterSpec p in operation.Parameters)
        {
            if (p.Location == ParameterLocation.Query && p.IsRequired)
            {
                Add(p.Type, p.Name, string.Empty, p.Doc, "The '" + p.WireName + "' query parameter.", p);
            }
        }

        if (operation.Body is { IsRequired: false } optionalBody)
        {
            Add(optionalBody.Type, optionalBody.ParameterName, " = null", optionalBody.Doc, "The request body, if any.", null);
        }

        foreach (ParameterSpec p in operation.Parameters)
        {
            if (p.Location == ParameterLocation.Query && !p.IsRequired)
            {
                Add(p.Type, p.Name, " = null", p.Doc, "The '" + p.WireName + "' query parameter.", p);
            }
        }

        return arguments;
    }

    // Every item of a paged operation: each page is fetched when the caller has read the one before.
    private static void EmitAutoPaging(SourceWriter writer, ApiSpec spec, OperationSpec operation, PaginationSpec pagination)
    {
        List<Argument> arguments = Signature(spec, operation).Where(a => a.Name != pagination.TokenParameter).ToList();
        string itemType = TypeNames.CSharp(pagination.ItemType, spec.Namespace);
        string tokenType = TypeNames.CSharp(operation.Parameters.First(p => p.Name == pagination.TokenParameter).Type, spec.Namespace);
        writer.WriteLine();
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// Every item of <see cref=\"" + operation.MethodName + "\"/>, page after page: the next page is requested when the");
        writer.WriteLine("/// items of this one have been read, and the walk ends when the API says there is no next page.");
        writer.WriteLine("/// </summary>");
        foreach (Argument argument in arguments)
        {
            CSharpText.WriteElement(writer, "param", argument.Doc, " name=\"" + argument.Name.TrimStart('@') + "\"");
        }

        writer.WriteLine("/// <param name=\"cancellationToken\">Cancels the walk, and the request in flight.</param>");
        writer.WriteLine("/// <exception cref=\"global::Baseten.Aot.BasetenApiException\">The server answered a page with a status outside 2xx, or with a body that is not the documented JSON.</exception>");
        if (operation.Doc.Deprecated)
        {
            writer.WriteLine("[global::System.Obsolete(\"The API marks this operation as deprecated.\")]");
        }

        var signature = arguments.Select(a => a.Declaration).ToList();
        signature.Add("[global::System.Runtime.CompilerServices.EnumeratorCancellation] global::System.Threading.CancellationToken cancellationToken = default");
        var call = arguments.Select(a => a.Name + ": " + a.Name).ToList();
        call.Add(pagination.TokenParameter + ": nextToken");
        call.Add("cancellationToken: cancellationToken");
        string next = "currentPage" + string.Concat(pagination.NextTokenPath.Select((member, i) => (i == 0 ? "." : "?.") + member));
        string stop = "currentPage." + pagination.ItemsProperty + " is not { Count: > 0 } || " + next + " is null || " + next + " == nextToken";
        if (pagination.HasMorePath.Count > 0)
        {
            stop = "currentPage" + string.Concat(pagination.HasMorePath.Select((member, i) => (i == 0 ? "." : "?.") + member)) + " == false || " + stop;
        }

        writer.WriteLine($$"""
            public async global::System.Collections.Generic.IAsyncEnumerable<{{itemType}}> {{pagination.MethodName}}({{string.Join(", ", signature)}})
            {
                {{tokenType}} nextToken = null;
                while (true)
                {
                    var currentPage = await {{operation.MethodName}}({{string.Join(", ", call)}}).ConfigureAwait(false);
                    foreach ({{itemType}} pageItem in currentPage.{{pagination.ItemsProperty}} ?? global::System.Array.Empty<{{itemType}}>())
                    {
                        yield return pageItem;
                    }

                    // An empty page, or a token that does not move, ends the walk as surely as "no more".
                    if ({{stop}})
                    {
                        yield break;
                    }

                    nextToken = {{next}};
                }
            }
            """);
    }

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

    private static string PathExpression(OperationSpec operation)
    {
        var parts = new List<string>();
        foreach (PathSegmentSpec segment in operation.PathSegments)
        {
            if (segment.Literal is not null)
            {
                parts.Add(CSharpText.Literal(segment.Literal));
                continue;
            }

            ParameterSpec p = operation.Parameters[segment.ParameterIndex];
            parts.Add(p.Type.Kind switch
            {
                TypeKind.String => Http + ".PathSegment.Escape(" + p.Name + ", nameof(" + p.Name + "))",
                TypeKind.Enum => Http + ".PathSegment.Escape(" + p.Name + ".Value, nameof(" + p.Name + "))",
                TypeKind.Boolean => "(" + p.Name + " ? \"true\" : \"false\")",
                TypeKind.Double => p.Name + ".ToString(\"R\", global::System.Globalization.CultureInfo.InvariantCulture)",
                _ => p.Name + ".ToString(global::System.Globalization.CultureInfo.InvariantCulture)",
            });
        }

        return parts.Count == 0 ? "\"/\"" : parts.Count == 1 ? parts[0] : "string.Concat(" + string.Join(", ", parts) + ")";
    }

    private static string MethodProperty(string method)
    {
        var builder = new StringBuilder(method.Length);
        builder.Append(method[0]).Append(method.Substring(1).ToLowerInvariant());
        return builder.ToString();
    }
}
