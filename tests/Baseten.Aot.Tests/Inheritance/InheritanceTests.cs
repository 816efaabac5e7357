using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Baseten.Aot.Tests.Inheritance;

namespace Baseten.Aot.Tests;

/// <summary>
/// Inheritance/pets.openapi.yaml through the generated client over an in-memory handler: a base schema
/// with a discriminator whose variants extend it with allOf. Wherever Pet is read (an array item, a
/// property, a response) the discriminator picks Cat, Dog (explicit mapping) or Bird (implicit: the
/// schema's name), wherever it is anywhere in the object; a value this client does not know reads as a
/// plain Pet that keeps it. Each variant sends its own value, which the caller cannot set.
/// </summary>
public sealed class InheritanceTests
{
    private const string Pets = """
        [
          {"petType":"cat","name":"tom","purrs":true},
          {"name":"rex","barks":false,"packSize":3,"petType":"dog"},
          {"petType":"Bird","name":"tweety","wingspan":0.25},
          {"petType":"lizard","name":"liz","scales":12}
        ]
        """;

    private static PetsClient Client(CapturingHandler handler) => new(InMemoryTransport.Over(handler, "https://pets.example/"));

    [Fact]
    public async Task AnArrayOfPet_ReadsEachVariant_ByItsDiscriminator_AndKeepsAnUnknownValueOnAPlainPet()
    {
        using PetsClient client = Client(new CapturingHandler(HttpStatusCode.OK, Pets));

        IReadOnlyList<Pet> pets = await client.ListPetsAsync();

        Assert.Equal(4, pets.Count);
        Cat cat = Assert.IsType<Cat>(pets[0]);
        Assert.Equal(("cat", "tom", (bool?)true), (cat.PetType, cat.Name, cat.Purrs));
        Dog dog = Assert.IsType<Dog>(pets[1]);
        Assert.Equal(("dog", "rex", false, (long?)3), (dog.PetType, dog.Name, dog.Barks, dog.PackSize));
        Bird bird = Assert.IsType<Bird>(pets[2]);
        Assert.Equal(("Bird", "tweety", (double?)0.25), (bird.PetType, bird.Name, bird.Wingspan));
        Pet unknown = Assert.IsType<Pet>(pets[3]);
        Assert.Equal(("lizard", "liz"), (unknown.PetType, unknown.Name));
    }

    [Fact]
    public async Task PostingAVariant_SendsItsOwnDiscriminatorValue_AndEveryMember_AndTheResponseIsReadAsItsVariant()
    {
        var handler = new CapturingHandler(HttpStatusCode.Created, """{"petType":"dog","name":"rex","barks":true}""");
        using PetsClient client = Client(handler);

        Pet stored = await client.AddPetAsync(new Cat { Name = "tom", Purrs = true });

        Assert.Equal("""{"petType":"cat","name":"tom","purrs":true}""", Encoding.UTF8.GetString(handler.Single().Body));
        Dog dog = Assert.IsType<Dog>(stored);
        Assert.Equal(("dog", "rex", true, (long?)null), (dog.PetType, dog.Name, dog.Barks, dog.PackSize));
    }

    [Fact]
    public async Task PostingADog_WritesItsMembers_IncludingAnAssignedNull_AfterTheInheritedOnes()
    {
        var handler = new CapturingHandler(HttpStatusCode.Created, """{"petType":"dog","name":"rex","barks":true}""");
        using PetsClient client = Client(handler);

        await client.AddPetAsync(new Dog { Name = "rex", Nickname = null, Barks = true });

        Assert.Equal("""{"petType":"dog","name":"rex","nickname":null,"barks":true}""", Encoding.UTF8.GetString(handler.Single().Body));
    }

    [Fact]
    public async Task APlainPet_SendsTheBasesOwnValue_AndAnUnknownOneRoundTripsWithItsValue()
    {
        var handler = new CapturingHandler(HttpStatusCode.Created, """{"petType":"lizard","name":"liz"}""");
        using PetsClient client = Client(handler);

        Pet lizard = await client.AddPetAsync(new Pet { Name = "pip" });
        await client.AddPetAsync(lizard);

        // The base's own value is its schema's name (no mapping names Pet); the unknown one is sent back as read.
        Assert.Equal("""{"petType":"Pet","name":"pip"}""", Encoding.UTF8.GetString(handler.Requests[0].Body));
        Assert.Equal("""{"petType":"lizard","name":"liz"}""", Encoding.UTF8.GetString(handler.Requests[1].Body));
        Assert.Equal(typeof(Pet), lizard.GetType());
    }

    [Fact]
    public async Task AOneOfOfTheVariants_ByTheSameProperty_IsThePetBase()
    {
        var handler = new CapturingHandler();
        using PetsClient client = Client(handler);

        // AdoptAsync takes a Pet: the oneOf [Cat, Dog] is the base, not a union of its own.
        Pet adopted = new Dog { Name = "rex", Barks = false };
        await client.AdoptAsync(adopted);

        Assert.Equal("""{"petType":"dog","name":"rex","barks":false}""", Encoding.UTF8.GetString(handler.Single().Body));
    }

    [Fact]
    public async Task APropertyTypedPet_ReadsTheVariant()
    {
        using PetsClient client = Client(new CapturingHandler(HttpStatusCode.OK, """{"favorite":{"purrs":false,"name":"tom","petType":"cat"},"name":"ann"}"""));

        Owner owner = await client.GetOwnerAsync("ann");

        Cat cat = Assert.IsType<Cat>(owner.Favorite);
        Assert.Equal(("ann", "tom", (bool?)false), (owner.Name, cat.Name, cat.Purrs));
    }

    [Fact]
    public async Task AVariantReferencedDirectly_IsReadAsThatVariant()
    {
        using PetsClient client = Client(new CapturingHandler(HttpStatusCode.OK, """{"petType":"cat","name":"tom","purrs":true}"""));

        Cat cat = await client.GetCatAsync("tom");

        Assert.Equal(("cat", "tom", (bool?)true), (cat.PetType, cat.Name, cat.Purrs));
    }

    [Fact]
    public void TheDiscriminator_BelongsToTheType_AndCannotBeSet()
    {
        // The value is fixed by the constructors: no setter to make a Cat claim it is a dog.
        Assert.Null(typeof(Pet).GetProperty(nameof(Pet.PetType))!.SetMethod);
        Assert.Equal("cat", new Cat { Name = "tom" }.PetType);
        Assert.Equal("Bird", new Bird { Name = "tweety" }.PetType);

        // A variant read with another variant's value is still that variant, and writes its own value.
        Cat read = JsonSerializer.Deserialize("""{"petType":"dog","name":"tom"}""", PetsJsonContext.Default.Cat)!;
        Assert.Equal("""{"petType":"cat","name":"tom"}""", JsonSerializer.Serialize(read, PetsJsonContext.Default.Cat));
    }

    [Fact]
    public void APetWithoutItsRequiredDiscriminator_IsRefused_NamingIt()
    {
        JsonException error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"name":"tom","purrs":true}""", PetsJsonContext.Default.Pet));

        Assert.Contains("'petType'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThroughPropertyMetadata_APropertyTypedPet_StillReadsAndWritesTheVariant()
    {
        _ = PetsJsonContext.Default.Owner;
        var info = PropertyMetadata.TypeInfo<Owner>(PetsJsonContext.Default);

        Owner owner = JsonSerializer.Deserialize("""{"name":"ann","favorite":{"name":"rex","petType":"dog","barks":true}}""", info)!;

        Assert.True(Assert.IsType<Dog>(owner.Favorite).Barks);
        Assert.Equal("""{"name":"ann","favorite":{"petType":"dog","name":"rex","barks":true}}""", JsonSerializer.Serialize(owner, info));
    }
}
