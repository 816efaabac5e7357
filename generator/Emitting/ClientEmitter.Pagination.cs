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
}
