using System.Text.Json.Serialization;

namespace Baseten.Aot.Tests;

/// <summary>A small value for the streaming and body tests: one JSON object per event or line.</summary>
internal sealed record Token(string Text, int Index);

/// <summary>Metadata for <see cref="Token"/>, from System.Text.Json's own generator (the tests are not trimmed).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Token))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
