using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Baseten.Aot;

// What a caller writes most often, beside the generated chat models: messages of each role, a
// function tool, a JSON-schema response format made from the caller's own metadata, and an answer
// or a tool call's arguments read back with it.
public sealed partial class ChatMessage
{
    /// <summary>A system message: instructions the model follows for the whole conversation.</summary>
    /// <param name="content">The instructions.</param>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is null.</exception>
    public static ChatMessage FromSystem(string content) => Text(ChatMessageRole.System, content);

    /// <summary>A user message.</summary>
    /// <param name="content">What the user says.</param>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is null.</exception>
    public static ChatMessage FromUser(string content) => Text(ChatMessageRole.User, content);

    /// <summary>An assistant message: an earlier answer of the model, to continue a conversation.</summary>
    /// <param name="content">The answer's text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is null.</exception>
    public static ChatMessage FromAssistant(string content) => Text(ChatMessageRole.Assistant, content);

    /// <summary>A tool message: the result of a tool call the model asked for.</summary>
    /// <param name="toolCallId">The <see cref="ChatToolCall.Id"/> of the call.</param>
    /// <param name="content">The result, as text (often JSON).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ChatMessage FromTool(string toolCallId, string content)
    {
        ArgumentNullException.ThrowIfNull(toolCallId);
        ChatMessage message = Text(ChatMessageRole.Tool, content);
        message.ToolCallId = toolCallId;
        return message;
    }

    /// <summary>The content as text: the string, or the text parts joined; null when there is none.</summary>
    public string? Text()
    {
        if (Content is null)
        {
            return null;
        }

        if (Content.IsString)
        {
            return Content.String;
        }

        if (Content.ChatContentPartList is not { } parts)
        {
            return null;
        }

        var text = new System.Text.StringBuilder();
        foreach (ChatContentPart part in parts)
        {
            text.Append(part.Text);
        }

        return text.ToString();
    }

    private static ChatMessage Text(ChatMessageRole role, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new ChatMessage { Role = role, Content = content };
    }
}

public sealed partial class ChatTool
{
    /// <summary>A function the model may call, its arguments described by a JSON Schema.</summary>
    /// <param name="name">The function's name (letters, digits, <c>_</c> and <c>-</c>).</param>
    /// <param name="description">What it does, for the model to decide when to call it; null for none.</param>
    /// <param name="parameters">The arguments as a JSON Schema object; null for a function without arguments.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public static ChatTool ForFunction(string name, string? description, JsonElement? parameters)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new ChatTool
        {
            Type = "function",
            Function = new ChatFunctionDefinition { Name = name, Description = description, Parameters = parameters },
        };
    }

    /// <summary>
    /// A function the model may call, its arguments' schema made from the caller's metadata of them
    /// (see <see cref="ChatResponseFormat.ForJsonSchema{T}(JsonTypeInfo{T}, string?, bool?)"/>); read
    /// a call's arguments back with <see cref="ChatToolCall.ReadArguments{T}(JsonTypeInfo{T})"/>.
    /// </summary>
    /// <param name="name">The function's name.</param>
    /// <param name="description">What it does; null for none.</param>
    /// <param name="argumentsInfo">The arguments' type, from the caller's own JSON context.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="argumentsInfo"/> is null.</exception>
    /// <exception cref="PlatformNotSupportedException">On .NET 8, which has no JSON schema exporter: use <see cref="ForFunction(string, string?, JsonElement?)"/>.</exception>
    public static ChatTool ForFunction<T>(string name, string? description, JsonTypeInfo<T> argumentsInfo)
        => ForFunction(name, description, ChatSchemas.Of(argumentsInfo));
}

public sealed partial class ChatToolCall
{
    /// <summary>Reads the call's arguments (JSON text the model wrote) as <typeparamref name="T"/>.</summary>
    /// <param name="argumentsInfo">The arguments' type, from the caller's own JSON context.</param>
    /// <returns>The arguments.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="argumentsInfo"/> is null.</exception>
    /// <exception cref="JsonException">The arguments are not a <typeparamref name="T"/>: the model can write anything, so catch this and tell it.</exception>
    public T ReadArguments<T>(JsonTypeInfo<T> argumentsInfo)
        => ChatSchemas.Read(Function.Arguments, argumentsInfo, "the arguments of tool call " + Id + " (" + Function.Name + ")");
}

public sealed partial class ChatResponseFormat
{
    /// <summary>
    /// Asks for an answer that is JSON following the schema of <typeparamref name="T"/>, made from the
    /// caller's metadata (System.Text.Json's schema exporter reads only that metadata, so it is
    /// NativeAOT-clean); read the answer back with <see cref="ChatCompletion.ReadContent{T}(JsonTypeInfo{T})"/>.
    /// </summary>
    /// <param name="info">The answer's type, from the caller's own JSON context.</param>
    /// <param name="name">The schema's name; the type's name when null.</param>
    /// <param name="strict">Whether the model must follow the schema exactly (OpenAI's strict mode, which asks more of the schema); null to leave it to the server.</param>
    /// <exception cref="ArgumentNullException"><paramref name="info"/> is null.</exception>
    /// <exception cref="PlatformNotSupportedException">On .NET 8, which has no JSON schema exporter: use <see cref="ForJsonSchema(string, JsonElement, bool?)"/>.</exception>
    public static ChatResponseFormat ForJsonSchema<T>(JsonTypeInfo<T> info, string? name = null, bool? strict = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        return ForJsonSchema(name ?? info.Type.Name, ChatSchemas.Of(info), strict);
    }

    /// <summary>Asks for an answer that is JSON following <paramref name="schema"/>.</summary>
    /// <param name="name">The schema's name (letters, digits, <c>_</c> and <c>-</c>).</param>
    /// <param name="schema">The JSON Schema.</param>
    /// <param name="strict">Whether the model must follow the schema exactly; null to leave it to the server.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public static ChatResponseFormat ForJsonSchema(string name, JsonElement schema, bool? strict = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new ChatResponseFormat { Type = "json_schema", JsonSchema = new ChatJsonSchema { Name = name, Schema = schema, Strict = strict } };
    }

    /// <summary>Asks for an answer that is a JSON object, of no particular schema.</summary>
    public static ChatResponseFormat JsonObject() => new() { Type = "json_object" };
}

public sealed partial class ChatCompletion
{
    /// <summary>The first choice's content as text; null when it has none (a tool call, say).</summary>
    public string? Content() => Choices.Count > 0 ? Choices[0].Message.Text() : null;

    /// <summary>
    /// Reads the first choice's content (an answer asked for with
    /// <see cref="ChatResponseFormat.ForJsonSchema{T}(JsonTypeInfo{T}, string?, bool?)"/>) as <typeparamref name="T"/>.
    /// </summary>
    /// <param name="info">The answer's type, from the caller's own JSON context.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="info"/> is null.</exception>
    /// <exception cref="JsonException">There is no content (the answer was cut short, or the model called a tool), or it is not a <typeparamref name="T"/>.</exception>
    public T ReadContent<T>(JsonTypeInfo<T> info)
    {
        ArgumentNullException.ThrowIfNull(info);
        string? content = Content();
        if (content is null)
        {
            string reason = Choices.Count > 0 && Choices[0].FinishReason is { } finish ? " (finish_reason " + finish.Value + ")" : string.Empty;
            throw new JsonException("The answer has no content to read as " + info.Type.Name + reason + ".");
        }

        return ChatSchemas.Read(content, info, "the answer");
    }
}

internal static class ChatSchemas
{
    public static JsonElement Of<T>(JsonTypeInfo<T> info)
    {
        ArgumentNullException.ThrowIfNull(info);
#if NET9_0_OR_GREATER
        // Non-nullable reference types as the caller declared them: a model that may answer null
        // for every string is of no use to anyone.
        System.Text.Json.Nodes.JsonNode schema = System.Text.Json.Schema.JsonSchemaExporter.GetJsonSchemaAsNode(
            info, new System.Text.Json.Schema.JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            schema.WriteTo(writer);
        }

        using JsonDocument document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
#else
        throw new PlatformNotSupportedException("Making a JSON schema from " + info.Type.Name + "'s metadata needs .NET 9 or later (System.Text.Json's JsonSchemaExporter). Pass the schema as JSON instead.");
#endif
    }

    public static T Read<T>(string json, JsonTypeInfo<T> info, string what)
    {
        ArgumentNullException.ThrowIfNull(info);
        try
        {
            return JsonSerializer.Deserialize(json, info) ?? throw new JsonException(what + " is null, not a " + info.Type.Name + ".");
        }
        catch (JsonException exception) when (exception.Message is not null && !exception.Message.StartsWith(what, StringComparison.Ordinal))
        {
            throw new JsonException(char.ToUpperInvariant(what[0]) + what.Substring(1) + " is not a valid " + info.Type.Name + ": " + exception.Message, exception);
        }
    }
}
