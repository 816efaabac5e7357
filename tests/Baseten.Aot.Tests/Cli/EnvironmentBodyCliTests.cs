using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using Baseten.Aot.Cli;

namespace Baseten.Aot.Tests;

/// <summary>
/// <c>chains create-environment --body</c>: the file is checked against the request's shape with a
/// reader and sent as the bytes copied from it, with <c>--name</c> as its name; no request model is built.
/// </summary>
public sealed class EnvironmentBodyCliTests
{
    private static readonly string[] s_requestModels =
        ["ChainletEnvironmentSettingsRequestV1", "CreateChainEnvironmentRequestV1", "UpdateAutoscalingSettingsV1", "UpdatePromotionSettingsV1", "UpdateRollingDeployConfigV1"];

    // The request as the CLI builds it from a body file, or the one line it refuses the file with.
    private static (string? Sent, string? Error) Build(string body, string name = "staging")
        => Build(Encoding.UTF8.GetBytes(body), name);

    private static (string? Sent, string? Error) Build(byte[] body, string name = "staging")
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, body);
            return (Encoding.UTF8.GetString(CreateEnvironmentCommand.RequestBody(path, name)), null);
        }
        catch (CreateEnvironmentCommand.InputException exception)
        {
            return (null, exception.Message.Replace(path, "FILE", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WithoutABodyFile_TheRequestIsTheName()
    {
        Assert.Equal("{\"name\":\"staging\"}", Encoding.UTF8.GetString(CreateEnvironmentCommand.RequestBody(null, "staging")));
    }

    [Fact]
    public void NameOption_ReplacesTheBodysName_WrittenFirst_EverythingElseAsInTheFile()
    {
        (string? sent, string? error) = Build("""{"chainlet_settings": [{"chainlet_name": "A"}], "name": "from-file"}""", "from-option");

        Assert.Null(error);
        Assert.Equal("""{"name":"from-option","chainlet_settings":[{"chainlet_name":"A"}]}""", sent);
    }

    [Fact]
    public void BodyWithoutAName_GetsTheNameOption()
    {
        (string? sent, string? error) = Build("""{"promotion_settings": {"ramp_up_duration_seconds": 600}}""");

        Assert.Null(error);
        Assert.Equal("""{"name":"staging","promotion_settings":{"ramp_up_duration_seconds":600}}""", sent);
    }

    [Fact]
    public void SpecExample_IsSentWithTheSameContent_ExplicitNullsIncluded()
    {
        (string? sent, string? error) = Build(SeedData.RequestExample.Replace("\"staging\"", "\"other\"", StringComparison.Ordinal));

        Assert.Null(error);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SeedData.RequestExample), JsonNode.Parse(sent!)), sent);
        Assert.Contains("\"rolling_deploy\":null", sent, StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_AreSentAsTheSerializerWritesThem_EscapesReadAndNonAsciiEscaped()
    {
        (string? sent, string? error) = Build("""{"chainlet_settings": [{"chainlet_name": "caf\u00e9 \"x\"", "instance_type_id": "1x2"}]}""", "n\u00e9");

        Assert.Null(error);
        Assert.Equal("""{"name":"n\u00E9","chainlet_settings":[{"chainlet_name":"caf\u00E9 \u0022x\u0022","instance_type_id":"1x2"}]}""", sent);
    }

    [Theory]
    [InlineData("""{"chainlet_settings": [{"instance_type_id": "1x2"}]}""", "at $.chainlet_settings[0] (line 1, byte 51): ChainletEnvironmentSettingsRequestV1 is missing its required property 'chainlet_name'")]
    [InlineData("""{"chainlet_settings": [{"chainlet_name": null}]}""", "at $.chainlet_settings[0].chainlet_name (line 1, byte 46): The JSON property 'chainlet_name' of ChainletEnvironmentSettingsRequestV1 is required and cannot be null")]
    [InlineData("""{"name": null}""", "at $.name (line 1, byte 14): The JSON property 'name' of CreateChainEnvironmentRequestV1 is required and cannot be null")]
    [InlineData("""{"name": 7}""", "at $.name (line 1, byte 11): expected a string")]
    [InlineData("""{"promotion_settings": {"promotion_cleanup_strategy": 1}}""", "at $.promotion_settings.promotion_cleanup_strategy (line 1, byte 56): PromotionCleanupStrategyV1 must be a JSON string")]
    [InlineData("""{"promotion_settings": {"rolling_deploy": "yes"}}""", "at $.promotion_settings.rolling_deploy (line 1, byte 48): expected true or false")]
    [InlineData("""{"chainlet_settings": [{"chainlet_name": "A", "autoscaling_settings": {"min_replica": 1.5}}]}""", "at $.chainlet_settings[0].autoscaling_settings.min_replica (line 1, byte 90): expected an integer")]
    [InlineData("""{"chainlet_settings": [{"chainlet_name": "A", "autoscaling_settings": {"min_replicas": 1}}]}""", "at $.chainlet_settings[0].autoscaling_settings (line 1, byte 87): 'min_replicas' is not a property of UpdateAutoscalingSettingsV1 (misspelt?)")]
    [InlineData("{\n  \"promotion_settings\": {\n    \"ramp_up_duration_seconds\": true\n  }\n}", "at $.promotion_settings.ramp_up_duration_seconds (line 3, byte 37): expected an integer")]
    [InlineData("""{"promotion_settings": {"rolling_deploy": true, "rolling_deploy": false}}""", "at $.promotion_settings (line 1, byte 66): 'rolling_deploy' appears twice in UpdatePromotionSettingsV1")]
    [InlineData("{} {}", "(line 1, byte 4): '{' is invalid after a single JSON value. Expected end of data")]
    public void BodyThatDoesNotFit_SaysWhereAndWhat(string body, string expected)
    {
        (string? sent, string? error) = Build(body);

        Assert.Null(sent);
        Assert.Equal("FILE is not a valid CreateChainEnvironmentRequestV1: " + expected, error);
    }

    // Latin-1 bytes: \u00FF is the byte 0xFF, which UTF-8 never has; \\ud800 escapes half a surrogate pair.
    [Theory]
    [InlineData("{\"name\": \"\u00FF\"}")]
    [InlineData("{\"chainlet_settings\": [{\"chainlet_name\": \"\\ud800\"}]}")]
    public void StringThatIsNotText_IsRefusedAsOneLine(string latin1Body)
    {
        (string? sent, string? error) = Build(Encoding.Latin1.GetBytes(latin1Body));

        Assert.Null(sent);
        Assert.StartsWith("FILE is not a valid CreateChainEnvironmentRequestV1: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public void NoNameOption_IsRefused_EvenWithABodyThatHasAName()
    {
        ParsedCommandLine parsed = CommandLine.Parse(["chains", "create-environment", "abc", "--body", "body.json"]);

        Assert.Null(parsed.CreateEnvironment);
        Assert.StartsWith("option --name is required", parsed.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// The CLI's copy of the request's shape is the generated models': the same members with the
    /// same JSON names, kinds and required ones, all the way down. A change to
    /// spec/baseten.openapi.yaml that this misses would let the CLI refuse a valid body or send a
    /// misspelt one.
    /// </summary>
    [Fact]
    public void RequestShape_IsTheGeneratedModels()
    {
        var checkedModels = new List<string>();
        AssertSameShape(typeof(CreateChainEnvironmentRequestV1), CreateEnvironmentCommand.RequestShape, checkedModels);
        Assert.Equal(s_requestModels, checkedModels.Order(StringComparer.Ordinal));
    }

    private static void AssertSameShape(Type model, BodyShape shape, List<string> checkedModels)
    {
        Assert.True(shape.IsModel, model.Name);
        Assert.Equal(model.Name, shape.Name);
        checkedModels.Add(model.Name);
        PropertyInfo[] properties = model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null)
            .ToArray();
        Assert.Equal(
            properties.Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name).Order(StringComparer.Ordinal),
            shape.Members.ToArray().Select(m => m.Name).Order(StringComparer.Ordinal));

        var nullability = new NullabilityInfoContext();
        foreach (PropertyInfo property in properties)
        {
            BodyShape.Member member = shape.Members.ToArray().Single(m => m.Name == property.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name);
            bool required = property.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>() is not null;

            // The one difference: the request's name may be left out of the file, since --name supplies it.
            Assert.Equal(required && member.Name != "name", member.Required);
            Assert.Equal(nullability.Create(property).ReadState == NullabilityState.NotNull, member.NotNull);
            AssertSameValue(property.PropertyType, member.Shape, checkedModels);
        }
    }

    private static void AssertSameValue(Type type, BodyShape shape, List<string> checkedModels)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            Assert.Same(BodyShape.String, shape);
        }
        else if (type == typeof(long))
        {
            Assert.Same(BodyShape.Integer, shape);
        }
        else if (type == typeof(bool))
        {
            Assert.Same(BodyShape.Boolean, shape);
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            Assert.NotNull(shape.Item);
            AssertSameValue(type.GetGenericArguments()[0], shape.Item!, checkedModels);
        }
        else if (type.GetNestedType("Converter") is not null)
        {
            // An open enum: a class with the wire text, read and written by its own converter.
            Assert.True(shape.IsEnum, type.Name);
            Assert.Equal(type.Name, shape.Name);
        }
        else
        {
            AssertSameShape(type, shape, checkedModels);
        }
    }
}
