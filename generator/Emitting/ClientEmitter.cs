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
    private const string Json = "global::System.Text.Json";

    public static string Emit(ApiSpec spec)
    {
        SourceWriter writer = GeneratedFile.Start(spec);
        string context = "global::" + spec.Namespace + "." + spec.ContextName + ".Default";
        string transport = IsBasetenRuntime(spec)
            ? "(transport ?? throw new global::System.ArgumentNullException(nameof(transport))).WithBasetenErrors()"
            : "transport ?? throw new global::System.ArgumentNullException(nameof(transport))";
        string transportDoc = IsBasetenRuntime(spec) ? " Its calls throw <see cref=\"global::Baseten.Aot.BasetenApiException\"/>, whatever the transport." : string.Empty;
        writer.WriteLine($$"""
            /// <summary>Client for the {{CSharpText.XmlLine(spec.Title)}}: one method per operation of the OpenAPI document.</summary>
            {{GeneratedFile.GeneratedCodeAttribute}}
            public sealed partial class {{spec.ClientName}} : global::System.IDisposable
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

    // Baseten's own clients, compiled into the runtime with hand-written constructors, throw
    // BasetenApiException (the runtime's internals make them); every other client throws its base,
    // ApiException, so no Baseten-named type surfaces from a client for another API.
    private static bool IsBasetenRuntime(ApiSpec spec) => spec.Namespace == "Baseten.Aot" && !spec.OptionsConstructors;

    private static string ErrorType(ApiSpec spec) => IsBasetenRuntime(spec) ? "global::Baseten.Aot.BasetenApiException" : "global::Baseten.Aot.Http.ApiException";

    // Every operation's last parameters: the per-call options, then the token.
    private const string CallOptionsParameter = "global::Baseten.Aot.Http.ApiCallOptions? options = null";

    private const string CallOptionsDoc = "/// <param name=\"options\">Per-call settings (headers, a timeout, a retry policy, policies); after the call, <c>options.Response</c> holds the answer's status and headers. Null for none.</param>";

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
        signature.Add(CallOptionsParameter);
        signature.Add("global::System.Threading.CancellationToken cancellationToken = default");
        writer.WriteLine(CallOptionsDoc);
        writer.WriteLine("/// <param name=\"cancellationToken\">Cancels the request" + (IsStream(operation.Response) ? ", or the stream while it is read" : string.Empty) + ".</param>");
        ResponseSpec response = operation.Response;
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
            ? " Its body is documented as <see cref=\"" + TypeNames.CSharpNonNullable(errorType, spec.Namespace) + "\"/>: <c>exception.ReadError(" + spec.ContextName + ".Default." + InfoName(spec, errorType) + ")</c> reads it."
            : string.Empty;
        writer.WriteLine($$"""
            /// <exception cref="{{ErrorType(spec)}}">The server answered with a status outside 2xx, or with a body that is not the documented one.{{error}}</exception>
            /// <exception cref="global::System.Net.Http.HttpRequestException">The server could not be reached.</exception>
            /// <exception cref="global::System.TimeoutException">An attempt did not get an answer within the retry policy's attempt timeout, or the call did not end within its call timeout.</exception>
            /// <exception cref="global::System.OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
            """);
        if (operation.Doc.Deprecated)
        {
            writer.WriteLine("[global::System.Obsolete(\"The API marks this operation as deprecated.\")]");
        }

        writer.WriteLine("public " + ReturnType(spec, response) + " " + operation.MethodName + "(" + string.Join(", ", signature) + ")");
        writer.OpenBlock();
        foreach (Argument argument in declared)
        {
            if (argument.IsRequired && !argument.Type.IsValueType && !argument.Type.IsNullable)
            {
                writer.WriteLine("global::System.ArgumentNullException.ThrowIfNull(" + argument.Name + ");");
            }
        }

        writer.WriteLine("string path = " + PathExpression(operation) + ";");
        EmitQuery(writer, spec, operation, context);
        writer.WriteLine("var request = new " + Http + ".ApiRequest(global::System.Net.Http.HttpMethod." + MethodProperty(operation.HttpMethod) + ", " + CSharpText.Literal(operation.Path) + ", path) { Options = options };");
        if (response.MediaType is { } accept && response.Kind != ResponseKind.Json)
        {
            writer.WriteLine("request.Accept = " + CSharpText.Literal(accept) + ";");
        }

        foreach (ParameterSpec p in operation.Parameters)
        {
            if (p.Location is ParameterLocation.Header or ParameterLocation.Cookie)
            {
                string add = p.Location == ParameterLocation.Header ? "request.SetHeader" : "request.AddCookie";
                string text = p.Style == ParameterStyle.Json
                    ? Json + ".JsonSerializer.Serialize(" + p.Name + ", " + context + "." + InfoName(spec, p.Type) + ")"
                    : p.Type.Kind == TypeKind.Array
                        ? Http + ".ParameterFormat.Delimited(" + p.Name + ", static v => " + ValueText(p.Type.Element!, "v") + ", \",\")!"
                        : ValueText(p.Type.WithNullable(false), p.Type.IsNullable && p.Type.IsValueType ? p.Name + ".Value" : p.Name);
                string call = add + "(" + CSharpText.Literal(p.WireName) + ", " + text + ");";
                writer.WriteLine(p.Type.IsNullable ? "if (" + p.Name + " is not null)\n{\n    " + call + "\n}" : call);
            }
        }

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

    // A scalar as the text a URL, header or form carries; the expression is not null.
    private static string ValueText(TypeRef type, string expression) => type.Kind switch
    {
        TypeKind.String => expression,
        TypeKind.Enum => expression + ".Value",
        _ => Http + ".ParameterFormat.Text(" + expression + ")",
    };

    private static void EmitQuery(SourceWriter writer, ApiSpec spec, OperationSpec operation, string context)
    {
        if (!operation.Parameters.Any(p => p.Location == ParameterLocation.Query))
        {
            return;
        }

        writer.WriteLine("var query = new " + Http + ".QueryBuilder(path);");
        foreach (ParameterSpec p in operation.Parameters)
        {
            if (p.Location != ParameterLocation.Query)
            {
                continue;
            }

            string name = CSharpText.Literal(p.WireName);
            switch (p.Style)
            {
                case ParameterStyle.Default:
                    string value = p.Type.Kind switch
                    {
                        TypeKind.Enum => p.Name + (p.Type.IsNullable ? "?.Value" : ".Value"),
                        TypeKind.Array when p.Type.Element!.Kind == TypeKind.Enum => p.Name + ", static v => v.Value",
                        _ => p.Name,
                    };
                    writer.WriteLine("query.Add(" + name + ", " + value + ");");
                    break;
                case ParameterStyle.CommaDelimited or ParameterStyle.SpaceDelimited or ParameterStyle.PipeDelimited:
                    string delimiter = p.Style == ParameterStyle.CommaDelimited ? "," : p.Style == ParameterStyle.SpaceDelimited ? " " : "|";
                    writer.WriteLine("query.Add(" + name + ", " + Http + ".ParameterFormat.Delimited(" + p.Name + ", static v => " + ValueText(p.Type.Element!, "v") + ", " + CSharpText.Literal(delimiter) + "));");
                    break;
                case ParameterStyle.DeepObject or ParameterStyle.ObjectMembers:
                    ModelSpec model = spec.Models.First(m => m.Name == p.Type.Name);
                    writer.WriteLine("if (" + p.Name + " is not null)");
                    writer.OpenBlock();
                    foreach (PropertySpec member in model.Properties)
                    {
                        string key = p.Style == ParameterStyle.DeepObject ? p.WireName + "[" + member.JsonName + "]" : member.JsonName;
                        string memberValue = p.Name + "." + member.Name + (member.Type.Kind == TypeKind.Enum ? (member.Type.IsNullable ? "?.Value" : ".Value") : string.Empty);
                        writer.WriteLine("query.Add(" + CSharpText.Literal(key) + ", " + memberValue + ");");
                    }

                    writer.CloseBlock();
                    break;
                default:
                    string json = Json + ".JsonSerializer.Serialize(" + p.Name + ", " + context + "." + InfoName(spec, p.Type) + ")";
                    writer.WriteLine("query.Add(" + name + ", " + (p.Type.IsNullable ? p.Name + " is null ? null : " + json : json) + ");");
                    break;
            }
        }

        writer.WriteLine("path = query.ToString();");
    }

    private static void EmitBody(SourceWriter writer, ApiSpec spec, OperationSpec operation, string context)
    {
        if (operation.Body is not { } body)
        {
            return;
        }

        string media = CSharpText.Literal(body.MediaType);
        switch (body.Kind)
        {
            case BodyKind.Json:
                string json = "request.Content = " + Http + ".ApiContent.Json(" + body.ParameterName + JsonContextEmitter.ForgivingSuffix(body.Type) + ", " + context + "." + InfoName(spec, body.Type) + ");";
                writer.WriteLine(body.Type.IsNullable ? "if (" + body.ParameterName + " is not null)\n{\n    " + json + "\n}" : json);
                break;
            case BodyKind.Text:
            case BodyKind.Binary:
                string content = "request.Content = " + Http + ".ApiContent." + (body.Kind == BodyKind.Text ? "Text" : "Binary") + "(" + body.ParameterName + ", " + media + ");";
                writer.WriteLine(body.Type.IsNullable ? "if (" + body.ParameterName + " is not null)\n{\n    " + content + "\n}" : content);
                break;
            case BodyKind.FormUrlEncoded:
                writer.WriteLine("var form = new global::System.Collections.Generic.List<global::System.Collections.Generic.KeyValuePair<string, string>>();");
                foreach (FieldSpec field in body.Fields)
                {
                    EmitField(writer, spec, field, context, (key, text) => "form.Add(new global::System.Collections.Generic.KeyValuePair<string, string>(" + key + ", " + text + "));", null);
                }

                writer.WriteLine("request.Content = " + Http + ".ApiContent.FormUrlEncoded(form);");
                break;
            default:
                writer.WriteLine("var form = " + Http + ".ApiContent.Multipart();");
                writer.WriteLine("request.Content = form;");
                foreach (FieldSpec field in body.Fields)
                {
                    EmitField(
                        writer,
                        spec,
                        field,
                        context,
                        (key, text) => "form.Add(new global::System.Net.Http.StringContent(" + text + "), " + key + ");",
                        (key, json) => "form.Add(" + json + ", " + key + ");");
                }

                break;
        }
    }

    // One form or multipart member: scalars as text, lists one entry per item, files as streamed
    // parts, anything else as JSON (a JSON part in multipart, JSON text in a form).
    private static void EmitField(SourceWriter writer, ApiSpec spec, FieldSpec field, string context, System.Func<string, string, string> addText, System.Func<string, string, string>? addJson)
    {
        string key = CSharpText.Literal(field.WireName);
        TypeRef type = field.Type.WithNullable(false);
        string value = field.Type.IsNullable && field.Type.IsValueType ? field.ParameterName + ".Value" : field.ParameterName;
        string statement;
        if (field.IsFile)
        {
            statement = "form.Add(new global::System.Net.Http.StreamContent(" + field.ParameterName + "), " + key + ", " + key + ");";
        }
        else if (type.Kind is TypeKind.String or TypeKind.Enum or TypeKind.Boolean or TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double or TypeKind.DateTimeOffset)
        {
            statement = addText(key, ValueText(type, value));
        }
        else if (type.Kind == TypeKind.Array && type.Element!.Kind is TypeKind.String or TypeKind.Enum or TypeKind.Boolean or TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double or TypeKind.DateTimeOffset && !type.Element.IsNullable)
        {
            statement = "foreach (" + TypeNames.CSharp(type.Element, spec.Namespace) + " item in " + field.ParameterName + ")\n{\n    " + addText(key, ValueText(type.Element, "item")) + "\n}";
        }
        else
        {
            string info = context + "." + InfoName(spec, type);
            statement = addJson is not null
                ? addJson(key, Http + ".ApiContent.Json(" + value + ", " + info + ")")
                : addText(key, Json + ".JsonSerializer.Serialize(" + value + ", " + info + ")");
        }

        writer.WriteLine(field.Type.IsNullable ? "if (" + field.ParameterName + " is not null)\n{\n" + Indent(statement) + "\n}" : statement);
    }

    private static string Indent(string lines) => string.Join("\n", lines.Split('\n').Select(line => "    " + line));

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

        writer.WriteLine("/// <param name=\"options\">Per-call settings for each page's request (headers, timeout, retry policy, policies); <c>options.Response</c> ends with the last page's answer. Null for none.</param>");
        writer.WriteLine("/// <param name=\"cancellationToken\">Cancels the walk, and the request in flight.</param>");
        writer.WriteLine("/// <exception cref=\"" + ErrorType(spec) + "\">The server answered a page with a status outside 2xx, or with a body that is not the documented JSON.</exception>");
        writer.WriteLine("/// <exception cref=\"global::System.TimeoutException\">A page's request did not get an answer within the retry policy's attempt timeout, or within its call timeout.</exception>");
        if (operation.Doc.Deprecated)
        {
            writer.WriteLine("[global::System.Obsolete(\"The API marks this operation as deprecated.\")]");
        }

        var signature = arguments.Select(a => a.Declaration).ToList();
        signature.Add(CallOptionsParameter);
        signature.Add("[global::System.Runtime.CompilerServices.EnumeratorCancellation] global::System.Threading.CancellationToken cancellationToken = default");
        var call = arguments.Select(a => a.Name + ": " + a.Name).ToList();
        call.Add(pagination.TokenParameter + ": nextToken");
        call.Add("options: options");
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
