using System;
using System.Collections.Concurrent;
using System.IO;
using System.Reflection;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace Baseten.Aot.Benchmarks;

/// <summary>
/// Json.NET over the same model types, set up as a user of it would: snake_case names (the models'
/// wire names are the snake_case of their property names), nulls left out when writing, dates read as
/// DateTimeOffset, and one converter for the generated open enums (a class with a string
/// constructor and a Value), since Json.NET knows nothing of System.Text.Json's converters.
/// </summary>
internal static class NewtonsoftSettings
{
    public static readonly JsonSerializerSettings Settings = new()
    {
        ContractResolver = new DefaultContractResolver { NamingStrategy = new SnakeCaseNamingStrategy() },
        NullValueHandling = NullValueHandling.Ignore,
        DateParseHandling = DateParseHandling.DateTimeOffset,
        Converters = [new OpenEnumConverter()],
    };

    // Reading keeps nulls: a member sent as null is assigned null (the generated models remember it).
    public static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        ContractResolver = Settings.ContractResolver,
        DateParseHandling = DateParseHandling.DateTimeOffset,
        Converters = Settings.Converters,
    });

    public static byte[] Serialize<T>(T value) => Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(value, Settings));

    public static T? Deserialize<T>(byte[] json)
    {
        using var reader = new JsonTextReader(new StreamReader(new MemoryStream(json), Encoding.UTF8));
        return Serializer.Deserialize<T>(reader);
    }

    /// <summary>Reads and writes any generated open enum as its string value.</summary>
    private sealed class OpenEnumConverter : JsonConverter
    {
        private static readonly ConcurrentDictionary<Type, Func<string, object>?> s_factories = new();

        public override bool CanConvert(Type objectType) => Factory(objectType) is not null;

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
            => reader.TokenType == JsonToken.Null ? null : Factory(objectType)!((string)reader.Value!);

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer) => writer.WriteValue(value?.ToString());

        private static Func<string, object>? Factory(Type type) => s_factories.GetOrAdd(type, static t =>
        {
            ConstructorInfo? constructor = t.GetConstructor([typeof(string)]);
            return constructor is not null && t.GetProperty("KnownValue") is not null ? value => constructor.Invoke([value]) : null;
        });
    }
}
