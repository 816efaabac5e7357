using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Baseten.Aot.Tests.MultiFile;

namespace Baseten.Aot.Tests;

/// <summary>
/// MultiFile/library.openapi.yaml, whose path items, schemas and shared pieces sit in files of their
/// own reached by relative $refs (a whole file, a JSON pointer, '../', a cycle between book.yaml and
/// author.yaml), generated as a user's project would (Baseten.Aot.Tests.csproj lists those files as
/// AdditionalFiles without metadata) and called over an in-memory handler.
/// </summary>
public sealed class MultiFileTests
{
    private static LibraryClient Client(CapturingHandler handler) => new(InMemoryTransport.Over(handler, "https://library.example/v2/"));

    [Fact]
    public async Task PathItemInAnotherFile_ListsBooks_WithSchemasFromThreeFiles()
    {
        const string Books = """[{"isbn":"978-0441013593","title":"Dune","author":{"name":"Frank Herbert","born":1920,"notableBooks":[{"isbn":"978-0","title":"Whipping Star"}]},"condition":"worn"}]""";
        var handler = new CapturingHandler(HttpStatusCode.OK, Books);
        using LibraryClient client = Client(handler);

        IReadOnlyList<Book> books = await client.ListBooksAsync(shelf: "sci-fi");

        (HttpRequestMessage request, byte[] body) = handler.Single();
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("https://library.example/v2/books?shelf=sci-fi", request.RequestUri!.ToString());
        Assert.Empty(body);
        Book dune = Assert.Single(books);
        Assert.Equal(("978-0441013593", "Dune"), (dune.Isbn, dune.Title));
        Assert.Equal(("Frank Herbert", 1920), (dune.Author!.Name, dune.Author.Born));
        Assert.Equal("Whipping Star", Assert.Single(dune.Author.NotableBooks!).Title);
        Assert.Equal(Condition.Worn, dune.Condition);
        Assert.Equal(Condition.Known.Worn, dune.Condition!.KnownValue);
    }

    [Fact]
    public async Task ParameterAndBodyFromOtherFiles_LendABook_BytesExact()
    {
        const string Recorded = """{"borrower":"ada","days":14,"book":{"isbn":"978-0441013593","title":"Dune","condition":"mint"}}""";
        var handler = new CapturingHandler(HttpStatusCode.Created, Recorded);
        using LibraryClient client = Client(handler);

        Loan loan = await client.LendBookAsync("978-0441013593", new Loan { Borrower = "ada", Days = 14 });

        (HttpRequestMessage request, byte[] body) = handler.Single();
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://library.example/v2/books/978-0441013593/loans", request.RequestUri!.ToString());
        Assert.Equal("""{"borrower":"ada","days":14}""", Encoding.UTF8.GetString(body));
        Assert.Equal(("ada", 14), (loan.Borrower, loan.Days));
        Assert.Equal(("978-0441013593", "Dune"), (loan.Book!.Isbn, loan.Book.Title));
        Assert.Equal(Condition.Mint, loan.Book.Condition);
    }

    [Fact]
    public void SharedFiles_GenerateNoClientOfTheirOwn_AndEachSchemaOnce()
    {
        // The types the document reaches, each once, in the document's namespace; no other client type there.
        string[] types = typeof(LibraryClient).Assembly.GetTypes()
            .Where(t => t.Namespace == "Baseten.Aot.Tests.MultiFile" && t.IsPublic)
            .Select(t => t.Name)
            .Order(System.StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(["Author", "Book", "Condition", "ILibraryClient", "LibraryClient", "LibraryJsonContext", "Loan"], types);
    }
}
