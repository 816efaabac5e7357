using System;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Baseten.Aot.Tests;

/// <summary>
/// Float answers are read past Utf8JsonReader (JsonFloatArray): every number must come out as the
/// same float, bit for bit, as Utf8JsonReader.TryGetSingle reads it, and every array that is not
/// JSON numbers must fail with the same errors as before. Random numbers print a replayable seed.
/// </summary>
public sealed class EmbeddingFloatParsingTests(ITestOutputHelper output)
{
    [Fact]
    public void RandomNumbers_InEveryNotation_ReadAsTheSameFloatsAsUtf8JsonReader_Property()
    {
        int seed = Environment.TickCount;
        output.WriteLine("seed " + seed);
        var random = new Random(seed);
        string[] texts = new string[4096];
        for (int i = 0; i < texts.Length; i++)
        {
            texts[i] = RandomNumber(random);
        }

        AssertSameAsReader(texts, "seed " + seed);
    }

    [Fact]
    public void EdgeNumbers_ReadAsTheSameFloatsAsUtf8JsonReader()
    {
        string[] texts =
        [
            "0", "-0", "0.0", "-0.0", "0e5", "1", "-1", "10", "1e0", "1E+2", "1e-2", "0.1", "0.30000001", "-0.041234567",
            "3.4028235e38", "-3.4028235e38", "3.4028234e38", "1.17549435e-38", "1.4e-45", "1e-46", "7e-46",
            "16777217", "16777216.5", "0.000000000000000000000123", "123456789012345678901234567890",
            "9007199254740993", "9007199254740992e-22", "1e22", "1e-22", "1e23", "1e-23", "0.00000000000000000000000000000000000001",
            "2.00000017881393432617187499", "2.000000178813934326171875", "2.00000017881393432617187501",
            "1.00000005960464477539062499", "1.000000059604644775390625", "1.00000005960464477539062501",
            "0.5000000298023223876953125", "33554433", "33554435", "-33554433", "1e000000000000000001",
        ];
        AssertSameAsReader(texts, "edge numbers");
    }

    [Theory]
    [InlineData("[01]")]
    [InlineData("[1.]")]
    [InlineData("[.5]")]
    [InlineData("[+1]")]
    [InlineData("[1e]")]
    [InlineData("[1e+]")]
    [InlineData("[-]")]
    [InlineData("[-a]")]
    [InlineData("[1,]")]
    [InlineData("[,1]")]
    [InlineData("[1 2]")]
    [InlineData("[NaN]")]
    [InlineData("[Infinity]")]
    [InlineData("[\"1\"]")]
    [InlineData("[[1]]")]
    [InlineData("[null]")]
    [InlineData("[1e39]")]
    [InlineData("[-1e39]")]
    public void AnEmbeddingThatIsNotAnArrayOfFloats_FailsWithoutQuotingIt(string embedding)
    {
        JsonException exception = Assert.Throws<JsonException>(() => Read(Answer(embedding)));
        Assert.Equal("An embedding holds something other than a number.", exception.Message);
    }

    [Theory]
    [InlineData("{\"data\":[{\"embedding\":[1,2")]
    [InlineData("{\"data\":[{\"embedding\":[1,")]
    [InlineData("{\"data\":[{\"embedding\":[1.5e")]
    [InlineData("{\"data\":[{\"embedding\":[")]
    public void AnAnswerCutInsideAnEmbedding_SaysItEndsEarly(string answer)
    {
        JsonException exception = Assert.Throws<JsonException>(() => Read(answer));
        Assert.Equal("The answer ends early.", exception.Message);
    }

    [Fact]
    public void VectorsOfDifferentWidths_AndAnEmptyOne_AreRefused()
    {
        Assert.Equal("The embeddings are not all 2 long.", Assert.Throws<JsonException>(() => Read("{\"data\":[{\"embedding\":[1,2]},{\"embedding\":[1,2,3]}]}", 2)).Message);
        Assert.Equal("The embeddings are not all 2 long.", Assert.Throws<JsonException>(() => Read("{\"data\":[{\"embedding\":[1,2]},{\"embedding\":[1]}]}", 2)).Message);
        Assert.Equal("The embeddings are not all 3 long.", Assert.Throws<JsonException>(() => Read("{\"data\":[{\"embedding\":[1,2,3]},{\"embedding\":[]}]}", 2)).Message);
        Assert.Equal("An embedding is empty.", Assert.Throws<JsonException>(() => Read("{\"data\":[{\"embedding\":[ ]}]}")).Message);
    }

    [Fact]
    public void WhiteSpaceAroundNumbers_AndTheFieldsAfterAnEmbedding_AreReadAsBefore()
    {
        string answer = "{ \"object\" : \"list\", \"data\" : [ { \"embedding\" : [ 1.5 ,\n-2e1\t,\r\n 0.25 ] , \"index\" : 1 },"
            + "{\"embedding\":[4,5,6],\"index\":0,\"object\":\"embedding\"} ] , \"usage\" : { \"total_tokens\" : 3 } }";
        EmbeddingBatch batch = Read(answer, 2);
        Assert.Equal(3, batch.Dimensions);
        Assert.Equal([4f, 5f, 6f], batch[0].ToArray());
        Assert.Equal([1.5f, -20f, 0.25f], batch[1].ToArray());
    }

    // An answer of one item per text, each an embedding of one number, read both ways.
    private static void AssertSameAsReader(string[] texts, string context)
    {
        var answer = new StringBuilder("{\"data\":[");
        for (int i = 0; i < texts.Length; i++)
        {
            answer.Append(i == 0 ? "" : ",").Append("{\"embedding\":[").Append(texts[i]).Append(',').Append(texts[(i + 1) % texts.Length]).Append("]}");
        }

        EmbeddingBatch batch = Read(answer.Append("]}").ToString(), texts.Length);
        for (int i = 0; i < texts.Length; i++)
        {
            float expected = ReaderSingle(texts[i]);
            float actual = batch[i].Span[0];
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), context + ": " + texts[i] + " read as " + actual.ToString("R", CultureInfo.InvariantCulture) + ", Utf8JsonReader reads " + expected.ToString("R", CultureInfo.InvariantCulture));
            Assert.Equal(BitConverter.SingleToInt32Bits(ReaderSingle(texts[(i + 1) % texts.Length])), BitConverter.SingleToInt32Bits(batch[i].Span[1]));
        }
    }

    private static float ReaderSingle(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
        Assert.True(reader.Read());
        Assert.True(reader.TryGetSingle(out float value), text);
        return value;
    }

    // Floats written the ways servers write them (shortest, G9, E notation, fixed), and decimals
    // with more digits than a float holds, some near the halfway points between floats.
    private static string RandomNumber(Random random)
    {
        float value;
        do
        {
            value = random.Next(4) == 0 ? BitConverter.Int32BitsToSingle(random.Next() | (random.Next(2) << 31)) : (float)((random.NextDouble() - 0.5) / Math.Pow(10, random.Next(6)));
        }
        while (!float.IsFinite(value));

        switch (random.Next(6))
        {
            case 0:
                return value.ToString("R", CultureInfo.InvariantCulture);
            case 1:
                return value.ToString("G9", CultureInfo.InvariantCulture);
            case 2:
                return value.ToString("E" + random.Next(1, 12), CultureInfo.InvariantCulture);
            case 3:
                return ((double)value).ToString("R", CultureInfo.InvariantCulture);
            case 4:
            {
                // Halfway between this float and the next, give or take a unit in the 17th digit.
                float next = MathF.BitIncrement(value);
                double half = ((double)value + next) / 2;
                return (half + (random.Next(3) - 1) * Math.Abs(half) * 1e-16).ToString("E16", CultureInfo.InvariantCulture);
            }

            default:
                return ((decimal)random.Next(-99_999_999, 99_999_999) / (decimal)Math.Pow(10, random.Next(0, 12))).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static string Answer(string embedding) => "{\"data\":[{\"embedding\":" + embedding + "}]}";

    private static EmbeddingBatch Read(string answer, int count = 1)
        => BeiWire.ReadEmbeddings(Encoding.UTF8.GetBytes(answer), new InputBatch(0, count), null);
}
