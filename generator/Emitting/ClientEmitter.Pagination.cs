using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Emitting;

// The auto-paging method of a paged operation.
internal static partial class ClientEmitter
{
    // Every item of a paged operation: each page is fetched when the caller has read the one before.
    private static void EmitAutoPaging(SourceWriter writer, ApiSpec spec, OperationSpec operation, PaginationSpec pagination)
    {
        switch (pagination.Kind)
        {
            case PagingKind.LinkHeader or PagingKind.NextUrl:
                EmitUrlPaging(writer, spec, operation, pagination);
                return;
            case PagingKind.OffsetLimit:
                EmitOffsetPaging(writer, spec, operation, pagination);
                return;
        }

        List<Argument> arguments = WalkerArguments(spec, operation, pagination);
        string itemType = TypeNames.CSharp(pagination.ItemType, spec.Namespace);
        string tokenType = TypeNames.CSharp(operation.Parameters.First(p => p.Name == pagination.TokenParameter).Type, spec.Namespace);
        writer.WriteLine();
        string declaration = WalkerDeclaration(writer, spec, operation, pagination, arguments, documented: spec.InterfaceName is null, iterator: true);
        List<string> call = PageCall(arguments, pagination.TokenParameter + ": nextToken");
        string next = "currentPage" + string.Concat(pagination.NextTokenPath.Select((member, i) => (i == 0 ? "." : "?.") + member));
        string stop = "currentPage." + pagination.ItemsProperty + " is not { Count: > 0 } || " + next + " is null || " + next + " == nextToken";
        if (pagination.HasMorePath.Count > 0)
        {
            stop = "currentPage" + string.Concat(pagination.HasMorePath.Select((member, i) => (i == 0 ? "." : "?.") + member)) + " == false || " + stop;
        }

        writer.WriteLine($$"""
            public async {{declaration}}
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

    // A walker that follows the URL the server gives (Link header or body): the first page is the
    // operation's own request, with the caller's query; each later one a GET of the given URL, which
    // PageWalk checks stays on the base address and was not fetched before.
    private static void EmitUrlPaging(SourceWriter writer, ApiSpec spec, OperationSpec operation, PaginationSpec pagination)
    {
        string context = "global::" + spec.Namespace + "." + spec.ContextName + "." + ContextMemberNames.Default;
        List<Argument> arguments = WalkerArguments(spec, operation, pagination);
        string itemType = TypeNames.CSharp(pagination.ItemType, spec.Namespace);
        writer.WriteLine();
        string declaration = WalkerDeclaration(writer, spec, operation, pagination, arguments, documented: spec.InterfaceName is null, iterator: true);
        writer.WriteLine("public async " + declaration);
        writer.OpenBlock();
        foreach (Argument argument in arguments)
        {
            if (argument.IsRequired && !argument.Type.IsValueType && !argument.Type.IsNullable)
            {
                writer.WriteLine("global::System.ArgumentNullException.ThrowIfNull(" + argument.Name + ");");
            }
        }

        // The first page's path and query are built as the operation builds them, in a local
        // function: QueryBuilder is a ref struct, which an iterator may not hold.
        writer.WriteLine("string FirstPagePath()");
        writer.OpenBlock();
        writer.WriteLine("string path = " + PathExpression(operation) + ";");
        EmitQuery(writer, spec, operation, context);
        writer.WriteLine("return path;");
        writer.CloseBlock();
        writer.WriteLine();
        bool link = pagination.Kind == PagingKind.LinkHeader;
        if (link)
        {
            writer.WriteLine("// The Link header of each page is read from the call's response details.");
            writer.WriteLine("options ??= new " + Http + ".ApiCallOptions();");
        }

        writer.WriteLine("var pageWalk = new " + Http + ".PageWalk(_transport, FirstPagePath());");
        writer.WriteLine("while (true)");
        writer.OpenBlock();
        writer.WriteLine("// A walk cancelled between pages sends no further request.");
        writer.WriteLine("cancellationToken.ThrowIfCancellationRequested();");
        writer.WriteLine("var request = new " + Http + ".ApiRequest(global::System.Net.Http.HttpMethod.Get, " + CSharpText.Literal(operation.Path) + ", pageWalk.Path) { Options = options };");
        EmitHeaders(writer, spec, operation, context);
        writer.WriteLine("var currentPage = await _transport.SendJsonAsync(request, " + context + "." + InfoName(spec, operation.Response.Type!) + ", cancellationToken).ConfigureAwait(false);");
        string items = pagination.ItemsProperty is null ? "currentPage" : "currentPage." + pagination.ItemsProperty;
        string next = link
            ? "pageWalk.FollowLink(options.Response)"
            : "pageWalk.Follow(currentPage" + string.Concat(pagination.NextTokenPath.Select((member, i) => (i == 0 ? "." : "?.") + member)) + ")";
        writer.WriteLine($$"""
            foreach ({{itemType}} pageItem in {{items}} ?? global::System.Array.Empty<{{itemType}}>())
            {
                yield return pageItem;
            }

            if (!{{next}})
            {
                yield break;
            }
            """);
        writer.CloseBlock();
        writer.CloseBlock();
    }

    // offset/limit: the next offset is this one plus the items received; an empty page, a page
    // shorter than the limit asked for, or an offset that reached the total ends the walk.
    private static void EmitOffsetPaging(SourceWriter writer, ApiSpec spec, OperationSpec operation, PaginationSpec pagination)
    {
        List<Argument> arguments = WalkerArguments(spec, operation, pagination);
        string itemType = TypeNames.CSharp(pagination.ItemType, spec.Namespace);
        ParameterSpec offset = operation.Parameters.First(p => p.Name == pagination.TokenParameter);
        ParameterSpec limit = operation.Parameters.First(p => p.Name == pagination.LimitParameter);
        writer.WriteLine();
        string declaration = WalkerDeclaration(writer, spec, operation, pagination, arguments, documented: spec.InterfaceName is null, iterator: true);
        List<string> call = PageCall(arguments, pagination.TokenParameter + ": nextOffset");
        string items = pagination.ItemsProperty is null ? "currentPage" : "currentPage." + pagination.ItemsProperty;
        var stop = new List<string> { "pageCount == 0" };
        stop.Add(limit.Type.IsNullable ? limit.Name + " is { } pageLimit && pageCount < pageLimit" : "pageCount < " + limit.Name);
        if (pagination.TotalPath.Count > 0)
        {
            stop.Add("currentPage." + string.Join("?.", pagination.TotalPath) + " is { } pageTotal && nextOffset >= pageTotal");
        }

        writer.WriteLine($$"""
            public async {{declaration}}
            {
                {{TypeNames.CSharp(offset.Type.WithNullable(false), spec.Namespace)}} nextOffset = 0;
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var currentPage = await {{operation.MethodName}}({{string.Join(", ", call)}}).ConfigureAwait(false);
                    int pageCount = 0;
                    foreach ({{itemType}} pageItem in {{items}} ?? global::System.Array.Empty<{{itemType}}>())
                    {
                        pageCount++;
                        yield return pageItem;
                    }

                    nextOffset += pageCount;
                    if ({{string.Join(" || ", stop)}})
                    {
                        yield break;
                    }
                }
            }
            """);
    }

    private static List<Argument> WalkerArguments(ApiSpec spec, OperationSpec operation, PaginationSpec pagination)
        => Signature(spec, operation).Where(a => a.Name != pagination.TokenParameter).ToList();

    // The walker's documentation (or <inheritdoc/> where the interface holds it), its Obsolete
    // attribute and its declaration without modifiers. Only an iterator may mark its token
    // [EnumeratorCancellation]; on an interface member the attribute would be a warning.
    private static string WalkerDeclaration(SourceWriter writer, ApiSpec spec, OperationSpec operation, PaginationSpec pagination, List<Argument> arguments, bool documented, bool iterator)
    {
        if (!documented)
        {
            writer.WriteLine("/// <inheritdoc/>");
        }
        else
        {
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
            string refused = pagination.Kind switch
            {
                PagingKind.LinkHeader => ", or a malformed <c>Link</c> header, or a next page's URL that leaves the base address or was already fetched",
                PagingKind.NextUrl => ", or a next page's URL that leaves the base address or was already fetched",
                _ => string.Empty,
            };
            writer.WriteLine("/// <exception cref=\"" + ErrorType(spec) + "\">The server answered a page with a status outside 2xx, or with a body that is not the documented JSON" + refused + ".</exception>");
            writer.WriteLine("/// <exception cref=\"global::System.TimeoutException\">A page's request did not get an answer within the retry policy's attempt timeout, or within its call timeout.</exception>");
        }

        if (operation.Doc.Deprecated)
        {
            writer.WriteLine("[global::System.Obsolete(\"The API marks this operation as deprecated.\")]");
        }

        var signature = arguments.Select(a => a.Declaration).ToList();
        signature.Add(CallOptionsParameter);
        signature.Add((iterator ? "[global::System.Runtime.CompilerServices.EnumeratorCancellation] " : string.Empty) + "global::System.Threading.CancellationToken cancellationToken = default");
        return "global::System.Collections.Generic.IAsyncEnumerable<" + TypeNames.CSharp(pagination.ItemType, spec.Namespace) + "> " + pagination.MethodName + "(" + string.Join(", ", signature) + ")";
    }

    // The arguments a walker passes to its operation for each page: the caller's, then the page's
    // token or offset, the call options and the cancellation token.
    private static List<string> PageCall(List<Argument> arguments, string page)
    {
        var call = arguments.Select(a => a.Name + ": " + a.Name).ToList();
        call.Add(page);
        call.Add("options: options");
        call.Add("cancellationToken: cancellationToken");
        return call;
    }
}
