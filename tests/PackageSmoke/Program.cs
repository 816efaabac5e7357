using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Pets;

// `PackageSmoke check <feed> <version>`: what the packed files carry instead (PackageCheck.cs).
if (args is ["check", string feed, string version])
{
    return PackageCheck.Run(feed, version);
}

// The generated PetsClient over a canned handler: proves the packages restore, the generator
// loads (with its bundled YamlDotNet) and the output publishes and runs under NativeAOT.
using var http = new HttpClient(new Canned());
using var client = new PetsClient(new ApiTransport(http, PetsClient.DefaultBaseAddress, new ApiAuthorization("Bearer", "smoke")));
Pet pet = await client.GetPetAsync(42);
string json = JsonSerializer.Serialize(pet, PetsJsonContext.Default.Pet);
bool ok = pet.Id == 42 && pet.Kind == PetKind.Dog && pet.Nickname is null && json == """{"id":42,"name":"Rex","kind":"dog"}""";
Console.WriteLine((ok ? "package-smoke: ok " : "package-smoke: FAILED ") + json);
return ok ? 0 : 1;

internal sealed class Canned : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        bool expected = request.RequestUri!.AbsoluteUri == "https://pets.example.com/pets/42" && request.Headers.Authorization?.ToString() == "Bearer smoke";
        return Task.FromResult(new HttpResponseMessage(expected ? HttpStatusCode.OK : HttpStatusCode.BadRequest)
        {
            Content = new StringContent("""{"id": 42, "name": "Rex", "kind": "dog", "extra": true}""", Encoding.UTF8, "application/json"),
        });
    }
}
