using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

// One method per operation: its documentation, signature, request and the transport call that
// reads the response (JSON, text, a stream, server-sent events or JSON lines).
internal static partial class ClientEmitter
{
    // Each operation of a client (the root or a sub-client), and its walker when it is paged.
    private static void EmitOperations(SourceWriter writer, ApiSpec spec, string context)
    {
        foreach (OperationSpec operation in spec.Operations)
        {
            EmitOperation(writer, spec, operation, context);
            if (operation.Pagination is { } pagination)
            {
                EmitAutoPaging(writer, spec, operation, pagination);
            }
        }

        // A method HttpMethod has no property for is constructed once per client class, not per call.
        var constructed = new HashSet<string>(StringComparer.Ordinal);
        foreach (OperationSpec operation in spec.Operations)
        {
            if (!IsStandardMethod(operation.HttpMethod) && constructed.Add(operation.HttpMethod))
            {
                writer.WriteLine();
                writer.WriteLine("private static readonly global::System.Net.Http.HttpMethod " + MethodField(operation.HttpMethod) + " = new(" + CSharpText.Literal(operation.HttpMethod) + ");");
            }
        }
    }

    private static void EmitOperation(SourceWriter writer, ApiSpec spec, OperationSpec operation, string context)
    {
        writer.WriteLine();
        List<Argument> declared = Signature(spec, operation);
        string declaration = OperationDeclaration(writer, spec, operation, declared, documented: spec.InterfaceName is null);
        writer.WriteLine("public " + declaration);
        writer.OpenBlock();
        foreach (Argument argument in declared)
        {
            if (argument.IsRequired && !argument.Type.IsValueType && !argument.Type.IsNullable)
            {
                writer.WriteLine("global::System.ArgumentNullException.ThrowIfNull(" + argument.Name + ");");
            }
        }

        ResponseSpec response = operation.Response;
        writer.WriteLine("string path = " + PathExpression(operation) + ";");
        EmitQuery(writer, spec, operation, context);
        writer.WriteLine("var request = new " + Http + ".ApiRequest(" + MethodExpression(operation.HttpMethod) + ", " + CSharpText.Literal(operation.Path) + ", path) { Options = options };");
        if (response.MediaType is { } accept && response.Kind != ResponseKind.Json)
        {
            writer.WriteLine("request.Accept = " + CSharpText.Literal(accept) + ";");
        }

        EmitHeaders(writer, spec, operation, context);
        EmitBody(writer, spec, operation, context);
        string info = response.Type is { } type && response.Kind is ResponseKind.Json or ResponseKind.Events or ResponseKind.JsonLines
            ? context + "." + InfoName(spec, type) + ", "
            : string.Empty;
        writer.WriteLine(response.Kind switch
        {
            ResponseKind.None => "return _transport.SendNoContentAsync(request, cancellationToken);",
            ResponseKind.Json => "return _transport.SendJsonAsync(request, " + info + "cancellationToken);",
            ResponseKind.Text => "return _transport.SendTextAsync(request, cancellationToken);",
            ResponseKind.Stream => "return _transport.SendStreamAsync(request, cancellationToken);",
            ResponseKind.Events => "return _transport.SendEventsAsync(request, " + info + "cancellationToken);",
            _ => "return _transport.SendJsonLinesAsync(request, " + info + "cancellationToken);",
        });
        writer.CloseBlock();
    }

    // An operation's documentation (written where the docs live: on the interface, or on the
    // client when it has none, the other side inheriting them), its Obsolete attribute and its
    // declaration without modifiers: "ReturnType NameAsync(parameters)".
    private static string OperationDeclaration(SourceWriter writer, ApiSpec spec, OperationSpec operation, List<Argument> declared, bool documented)
    {
        ResponseSpec response = operation.Response;
        if (!documented)
        {
            writer.WriteLine("/// <inheritdoc/>");
        }
        else
        {
            CSharpText.WriteDoc(writer, operation.Doc with { Default = null }, operation.HttpMethod + " " + operation.Path);
            foreach (Argument argument in declared)
            {
                CSharpText.WriteElement(writer, "param", argument.Doc, " name=\"" + argument.Name.TrimStart('@') + "\"");
            }

            writer.WriteLine(CallOptionsDoc);
            writer.WriteLine("/// <param name=\"cancellationToken\">Cancels the request" + (IsStream(response) ? ", or the stream while it is read" : string.Empty) + ".</param>");
            string? returns = response.Kind switch
            {
                ResponseKind.None => null,
                ResponseKind.Json => "The response body.",
                ResponseKind.Text => "The response body, as text.",
                ResponseKind.Stream => "The response body as it arrives; dispose it to release the connection.",
                ResponseKind.Events => "The events as the server sends them; each is read when the caller asks for it.",
                _ => "The values, one per line, as the server sends them.",
            };
            if (returns is not null)
            {
                writer.WriteLine("/// <returns>" + returns + "</returns>");
            }

            string error = operation.ErrorType is { } errorType
                ? " Its body is documented as <see cref=\"" + TypeNames.CSharpNonNullable(errorType, spec.Namespace) + "\"/>: <c>exception.ReadError(" + spec.ContextName + "." + ContextMemberNames.Default + "." + InfoName(spec, errorType) + ")</c> reads it."
                : string.Empty;
            writer.WriteLine($$"""
                /// <exception cref="{{ErrorType(spec)}}">The server answered with a status outside 2xx, or with a body that is not the documented one.{{error}}</exception>
                /// <exception cref="global::System.Net.Http.HttpRequestException">The server could not be reached.</exception>
                /// <exception cref="global::System.TimeoutException">An attempt did not get an answer within the retry policy's attempt timeout, or the call did not end within its call timeout.</exception>
                /// <exception cref="global::System.OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
                """);
        }

        if (operation.Doc.Deprecated)
        {
            writer.WriteLine("[global::System.Obsolete(\"The API marks this operation as deprecated.\")]");
        }

        var signature = declared.Select(a => a.Declaration).ToList();
        signature.Add(CallOptionsParameter);
        signature.Add("global::System.Threading.CancellationToken cancellationToken = default");
        return ReturnType(spec, response) + " " + operation.MethodName + "(" + string.Join(", ", signature) + ")";
    }

    // HttpMethod has a property for the methods the path item has fields for (bar QUERY); any other
    // (QUERY, or one of OpenAPI 3.2's additionalOperations, spelled as it is sent) is a static field.
    private static string MethodExpression(string method)
        => IsStandardMethod(method) ? "global::System.Net.Http.HttpMethod." + MethodProperty(method) : MethodField(method);

    private static bool IsStandardMethod(string method)
        => method is "GET" or "PUT" or "POST" or "DELETE" or "OPTIONS" or "HEAD" or "PATCH" or "TRACE";

    // An HTTP token may hold characters an identifier may not (!#$%&'*+-.^_`|~): each becomes _XX
    // (its code in hex), so that two methods never share a field. The s_ prefix keeps it apart from
    // every operation (PascalCase) and every parameter or local (camelCase).
    private static string MethodField(string method)
    {
        var name = new StringBuilder("s_method");
        foreach (char c in method)
        {
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                name.Append(c);
            }
            else
            {
                name.Append('_').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return name.ToString();
    }

    private static bool IsStream(ResponseSpec response) => response.Kind is ResponseKind.Stream or ResponseKind.Events or ResponseKind.JsonLines;

    private static string ReturnType(ApiSpec spec, ResponseSpec response) => response.Kind switch
    {
        ResponseKind.None => "global::System.Threading.Tasks.Task",
        ResponseKind.Json => "global::System.Threading.Tasks.Task<" + TypeNames.CSharpNonNullable(response.Type!, spec.Namespace) + ">",
        ResponseKind.Text => "global::System.Threading.Tasks.Task<string>",
        ResponseKind.Stream => "global::System.Threading.Tasks.Task<global::System.IO.Stream>",
        ResponseKind.Events when response.Type is null => "global::System.Collections.Generic.IAsyncEnumerable<" + Http + ".ServerSentEvent>",
        _ => "global::System.Collections.Generic.IAsyncEnumerable<" + TypeNames.CSharpNonNullable(response.Type!, spec.Namespace) + ">",
    };

    private readonly record struct Argument(string Declaration, string Name, string Doc, TypeRef Type, bool IsRequired);

    // Signature order: path parameters, the required body (or its required members), the other
    // required parameters, the optional body (or its optional members), the other optional
    // parameters; the cancellation token comes last, added by the caller.
    private static List<Argument> Signature(ApiSpec spec, OperationSpec operation)
    {
        var arguments = new List<Argument>();
        void Add(TypeRef type, string name, bool required, DocSpec doc, string fallback)
            => arguments.Add(new Argument(TypeNames.CSharp(type, spec.Namespace) + " " + name + (required ? string.Empty : " = null"), name, doc.Summary ?? fallback, type, required));

        void AddBody(bool required)
        {
            if (operation.Body is not { } body)
            {
                return;
            }

            if (body.Kind is BodyKind.FormUrlEncoded or BodyKind.Multipart)
            {
                foreach (FieldSpec field in body.Fields)
                {
                    if (field.IsRequired == required)
                    {
                        Add(field.Type, field.ParameterName, required, field.Doc, "The '" + field.WireName + "' " + (field.IsFile ? "file" : "field") + " of the body.");
                    }
                }
            }
            else if (body.IsRequired == required)
            {
                Add(body.Type, body.ParameterName, required, body.Doc, required ? "The request body." : "The request body, if any.");
            }
        }

        void AddParameters(bool required)
        {
            foreach (ParameterSpec p in operation.Parameters)
            {
                if (p.Location != ParameterLocation.Path && p.IsRequired == required)
                {
                    Add(p.Type, p.Name, required, p.Doc, "The '" + p.WireName + "' " + p.Location.ToString().ToLowerInvariant() + " parameter.");
                }
            }
        }

        foreach (ParameterSpec p in operation.Parameters)
        {
            if (p.Location == ParameterLocation.Path)
            {
                Add(p.Type, p.Name, true, p.Doc, "The '" + p.WireName + "' path parameter.");
            }
        }

        AddBody(required: true);
        AddParameters(required: true);
        AddBody(required: false);
        AddParameters(required: false);
        return arguments;
    }
}
