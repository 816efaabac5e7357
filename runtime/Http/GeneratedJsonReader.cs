using System.ComponentModel;
using System.Text.Json;

namespace Baseten.Aot.Http;

/// <summary>
/// A generated reader of one type, for code written by Baseten.Aot.Generator: reads the value at
/// <paramref name="reader"/>, a JSON null as null. Not meant to be used directly.
/// </summary>
/// <typeparam name="T">The type read.</typeparam>
/// <param name="reader">The reader, at the value's first token; left at its last.</param>
/// <param name="options">The options the value is read with.</param>
/// <returns>The value, or null for a JSON null.</returns>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate T? GeneratedJsonReader<T>(ref Utf8JsonReader reader, JsonSerializerOptions options);
