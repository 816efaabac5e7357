using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Baseten.Aot.Tests.Shapes;

namespace Baseten.Aot.Tests;

/// <summary>
/// Every union, composition and enum shape of Shapes/shapes.openapi.yaml, read and written through
/// the generated types: what is read is typed as the document says, and what is written back is
/// the JSON that was read (an unknown variant or an unmatched value included).
/// </summary>
public sealed class ShapesTests
{
    private static readonly ShapesJsonContext s_context = ShapesJsonContext.Default;

    private static T Read<T>(string json, JsonTypeInfo<T> info) => JsonSerializer.Deserialize(json, info)!;

    private static void AssertRoundTrips<T>(string json, JsonTypeInfo<T> info)
    {
        string written = JsonSerializer.Serialize(Read(json, info), info);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(written)), $"read {json}, wrote {written}");
    }

    [Theory]
    [InlineData("""{"species":"cat","name":"Tom"}""")]
    [InlineData("""{"name":"Tom","indoor":true,"species":"cat"}""")]
    [InlineData("""{"name":"Tom","nested":{"species":"dog"},"species":"kitten"}""")]
    public void Discriminator_AnywhereInTheObject_SelectsTheVariant_AndItsValueIsKept(string json)
    {
        Animal animal = Read(json, s_context.Animal);

        Cat cat = Assert.IsType<Cat>(animal);
        Assert.Equal("Tom", cat.Name);
        Assert.Equal(JsonNode.Parse(json)!["species"]!.GetValue<string>(), cat.Species);
        AssertRoundTrips("""{"name":"Tom","species":"kitten"}""", s_context.Animal);
    }

    [Fact]
    public void ImplicitMapping_IsTheSchemaName()
    {
        Dog dog = Assert.IsType<Dog>(Read("""{"good":true,"species":"Dog"}""", s_context.Animal));

        Assert.True(dog.Good);
        Assert.Equal("Dog", new Dog().Species);
    }

    [Fact]
    public void Variant_StartsWithItsDiscriminator_EvenWhenItsSchemaHasNoSuchProperty()
    {
        Assert.Equal("""{"species":"cat","name":"Tom"}""", JsonSerializer.Serialize<Animal>(new Cat { Name = "Tom" }, s_context.Animal));
        Assert.Equal("""{"species":"bird","wingspan_cm":30}""", JsonSerializer.Serialize<Animal>(new Bird { WingspanCm = 30 }, s_context.Animal));
        Assert.IsType<Bird>(Read("""{"wingspan_cm":30,"species":"bird"}""", s_context.Animal));
    }

    [Theory]
    [InlineData("""{"species":"fish","fins":2,"deep":{"species":"cat"}}""", "fish")]
    [InlineData("""{"fins":2}""", null)]
    [InlineData("""{"species":7}""", null)]
    [InlineData("""["not","an","object"]""", null)]
    public void UnknownVariant_IsKeptAndWrittenBackUnchanged(string json, string? discriminator)
    {
        Animal.Unknown unknown = Assert.IsType<Animal.Unknown>(Read(json, s_context.Animal));

        Assert.Equal(discriminator, unknown.DiscriminatorValue);
        AssertRoundTrips(json, s_context.Animal);
    }

    [Fact]
    public void SwitchOverVariants_ReadsNaturally()
    {
        var animals = Read("""[{"species":"cat","name":"Tom"},{"species":"Dog"},{"species":"bird"},{"species":"fish"}]""", s_context.IReadOnlyListAnimal);

        var said = new List<string>();
        foreach (Animal animal in animals)
        {
            said.Add(animal switch
            {
                Cat cat => "cat " + cat.Name,
                Dog => "dog",
                Bird => "bird",
                Animal.Unknown other => "unknown " + other.DiscriminatorValue,
                _ => throw new InvalidOperationException(),
            });
        }

        Assert.Equal(["cat Tom", "dog", "bird", "unknown fish"], said);
    }

    [Theory]
    [InlineData("12.5", true, false)]
    [InlineData("\"12.50\"", false, true)]
    [InlineData("true", false, false)]
    [InlineData("{\"amount\":1}", false, false)]
    public void NumberOrString_ByTokenKind_AndAnythingElseIsKept(string json, bool isNumber, bool isString)
    {
        Price price = Read(json, s_context.Price);

        Assert.Equal((isNumber, isString, !isNumber && !isString), (price.IsNumber, price.IsString, price.IsUnmatched));
        AssertRoundTrips(json, s_context.Price);
    }

    [Fact]
    public void NumberOrString_ConvertsImplicitly_AndExposesTheValue()
    {
        Price price = 12.5;
        Price text = "12.50";

        Assert.Equal(12.5, price.Number);
        Assert.Null(price.String);
        Assert.Equal("12.50", text.String);
        Assert.Equal("12.5", JsonSerializer.Serialize(price, s_context.Price));
        Assert.Equal("\"12.50\"", JsonSerializer.Serialize(text, s_context.Price));
    }

    [Theory]
    [InlineData("\"plain\"", "String")]
    [InlineData("""{"secret_name":"hf_token"}""", "Secret")]
    [InlineData("""{"name":"not a secret"}""", "Unmatched")]
    public void StringOrObject_ByTokenKind_ThenByRequiredProperties(string json, string expected)
    {
        Tag tag = Read(json, s_context.Tag);

        Assert.Equal(expected, tag.IsString ? "String" : tag.IsSecret ? "Secret" : "Unmatched");
        AssertRoundTrips(json, s_context.Tag);
    }

    [Theory]
    [InlineData("""{"seat":4,"row":12}""", "Ticket")]
    [InlineData("""{"valid_until":"2026-12-31T23:59:59+00:00"}""", "Pass")]
    [InlineData("""{"row":12}""", "Unmatched")]
    [InlineData("""{"valid_until":"not a date"}""", "Unmatched")]
    public void ObjectOrObject_ByRequiredProperties_AndAMismatchIsKeptNotThrown(string json, string expected)
    {
        Admission admission = Read(json, s_context.Admission);

        Assert.Equal(expected, admission.IsTicket ? "Ticket" : admission.IsPass ? "Pass" : "Unmatched");
        AssertRoundTrips(json, s_context.Admission);
    }

    [Fact]
    public void ArrayOrObject_ByTokenKind()
    {
        Assert.Equal(["hay"], Read("""["hay"]""", s_context.Feeding).StringList!);
        Assert.Equal(2, Read("""{"hay":2}""", s_context.Feeding).IntegerMap!["hay"]);
        AssertRoundTrips("""{"hay":2}""", s_context.Feeding);
    }

    [Fact]
    public void AllOf_ReferencePlusMembers_MergesThem()
    {
        Keeper keeper = Read("""{"name":"Ana","badge":7}""", s_context.Keeper);

        Assert.Equal(("Ana", 7), (keeper.Name, keeper.Badge));
        int badge = keeper.Badge; // format: int32 stays an int
        Assert.Equal(7, badge);
        Assert.Throws<JsonException>(() => Read("""{"name":"Ana"}""", s_context.Keeper));
    }

    [Fact]
    public void Enclosure_EveryShapeTogether_RoundTrips()
    {
        const string Json = """
            {"id":1,"kind":"enclosure","animals":[{"species":"cat","name":"Tom"},{"species":"fish"}],"price":"9.99",
             "tags":["big",{"secret_name":"s"}],"admission":{"row":1,"seat":2},"feeding":["hay"],
             "keeper":{"name":"Ana","badge":7},"visitors":3000000000,"level":2,"climate":"24/7 heated",
             "notes":{"a":"b"},"closed":{"reason":"winter"}}
            """;
        Enclosure enclosure = Read(Json, s_context.Enclosure);

        long visitors = enclosure.Visitors!.Value; // an unbounded integer is a long: 3e9 fits
        Assert.Equal(3_000_000_000L, visitors);
        Assert.Equal(EnclosureClimate.Known._247Heated, enclosure.Climate!.KnownValue);
        Assert.Equal(2L, enclosure.Level);
        AssertRoundTrips(Json, s_context.Enclosure);
    }

    [Theory]
    [InlineData("""{"id":1,"animals":null}""", "'animals' of Enclosure")]
    [InlineData("""{"id":1,"animals":[{"species":"cat","name":null}]}""", "'name' of Cat")]
    [InlineData("""{"id":1,"animals":[],"keeper":{"name":null,"badge":7}}""", "'name' of Keeper")]
    public void NullForARequiredMember_InAListAVariantOrAMerge_IsAJsonException(string json, string expected)
    {
        JsonException exception = Assert.Throws<JsonException>(() => Read(json, s_context.Enclosure));

        Assert.Contains(expected + " is required and cannot be null", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Const_IsSetByTheModel_AndNotRequiredOfTheCaller()
    {
        var enclosure = new Enclosure { Id = 1, Animals = [] };

        Assert.Equal("enclosure", enclosure.Kind);
        Assert.Equal("""{"id":1,"kind":"enclosure","animals":[]}""", JsonSerializer.Serialize(enclosure, s_context.Enclosure));
    }
}
