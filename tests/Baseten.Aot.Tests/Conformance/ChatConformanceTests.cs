using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot.Tests;

/// <summary>Prism over the project's chat document, spec/baseten.chat.openapi.yaml.</summary>
public sealed class ChatPrismFixture() : PrismFixture(Path.Combine(Repository.Root, "spec", "baseten.chat.openapi.yaml"));

/// <summary>
/// The chat client against Prism with request validation, static and <c>--dynamic</c>: every
/// request member the client writes is one the document declares, in the declared shape (a request
/// that breaks it is answered 400, or 401 without the Bearer key), and every answer Prism makes up
/// from the document's schemas is read.
/// </summary>
public sealed class ChatConformanceTests(ChatPrismFixture prism) : IClassFixture<ChatPrismFixture>
{
    private const string Key = "chat-conformance-key";

    private BasetenChatClient Client(bool dynamic, string? key = Key)
        => new(new BasetenChatClientOptions { ApiKey = key, Model = "openai/gpt-oss-120b", BaseAddress = dynamic ? prism.DynamicAddress : prism.StaticAddress, Retry = RetryPolicy.None });

    // Every member of the request, and every kind of message and content.
    private static ChatCompletionRequest FullRequest() => new()
    {
        Messages =
        [
            ChatMessage.FromSystem("Be brief."),
            new ChatMessage { Role = ChatMessageRole.User, Content = new StringOrChatContentPartList([new ChatContentPart { Type = "text", Text = "What is this?" }, new ChatContentPart { Type = "image_url", ImageUrl = new ChatImageUrl { Url = "https://example.com/cat.png", Detail = "low" } }]), Name = "ana" },
            new ChatMessage { Role = ChatMessageRole.Assistant, Content = null, ToolCalls = [new ChatToolCall { Id = "call_1", Type = "function", Function = new ChatFunctionCall { Name = "lookup", Arguments = "{\"city\":\"Oslo\"}" } }] },
            ChatMessage.FromTool("call_1", "{\"celsius\":-3}"),
        ],
        MaxTokens = 100,
        MaxCompletionTokens = 120,
        Temperature = 0.7,
        TopP = 0.9,
        N = 1,
        Stop = new StringOrStringList(["\n\n", "END"]),
        Seed = 42,
        PresencePenalty = 0.1,
        FrequencyPenalty = 0.2,
        Logprobs = true,
        TopLogprobs = 2,
        Tools = [ChatTool.ForFunction("lookup", "Looks the weather up.", ChatTestJsonContext.Default.LookupArguments)],
        ToolChoice = new ChatNamedToolChoice { Type = "function", Function = new ChatFunctionName { Name = "lookup" } },
        ParallelToolCalls = false,
        ResponseFormat = ChatResponseFormat.ForJsonSchema(ChatTestJsonContext.Default.WeatherReport, strict: true),
        ReasoningEffort = ChatCompletionRequestReasoningEffort.High,
        ChatTemplateArgs = JsonDocument.Parse("""{"enable_thinking":true}""").RootElement,
        User = "user-1",
    };

    [Fact]
    public void EveryOperationOfTheDocument_IsCalledHere()
    {
        string yaml = File.ReadAllText(Path.Combine(Repository.Root, "spec", "baseten.chat.openapi.yaml"));
        string[] ids = Regex.Matches(yaml, @"operationId: (\w+)").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["createChatCompletion", "listModels"], ids);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Complete_WithEveryRequestMember_IsAccepted_AndTheAnswerParses(bool dynamic)
    {
        using BasetenChatClient client = Client(dynamic);

        for (int i = 0; i < (dynamic ? 5 : 1); i++)
        {
            ChatCompletion completion = await client.CompleteAsync(FullRequest());
            Assert.NotNull(completion.Choices);
            await client.CreateChatCompletionAsync(new ChatCompletionRequest { Model = "m", Messages = [ChatMessage.FromUser("hi")], Stop = "END", ToolChoice = "auto", ResponseFormat = ChatResponseFormat.JsonObject() });
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Models_AreListed(bool dynamic)
    {
        using BasetenChatClient client = Client(dynamic);

        ChatModelList models = await client.ListModelsAsync();

        Assert.NotNull(models.Data);
    }

    [Fact]
    public async Task AStreamingRequest_PassesPrismsValidation()
    {
        // Prism validates the request first (a request that breaks the document is a 422) and then
        // cannot make up an event stream, which it answers 500: anything but 400, 401 or 422 means
        // the streaming request, stream and stream_options included, is one the document allows.
        using BasetenChatClient client = Client(dynamic: false);

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(async () =>
        {
            await foreach (ChatCompletionChunk chunk in client.CompleteStreamingAsync(FullRequest()))
            {
            }
        });

        Assert.DoesNotContain(exception.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.UnprocessableEntity });
    }

    [Fact]
    public async Task ARoleTheDocumentDoesNotList_IsRefusedByPrism_SoAcceptanceMeansSomething()
    {
        using BasetenChatClient client = Client(dynamic: false);

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(
            () => client.CompleteAsync(new ChatCompletionRequest { Messages = [new ChatMessage { Role = new ChatMessageRole("robot"), Content = "hi" }] }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, exception.StatusCode);
        Assert.NotNull(exception.ReadError(BasetenChatJsonContext.Default.ChatErrorResponse));
    }

    [Fact]
    public async Task WithoutTheBearerKey_PrismAnswers401_SoAcceptanceMeansSomething()
    {
        using var client = new BasetenChatClient(new ApiTransport(new HttpClient(), prism.StaticAddress, null, disposeHttpClient: true, RetryPolicy.None));

        BasetenApiException exception = await Assert.ThrowsAsync<BasetenApiException>(() => client.ListModelsAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
    }
}
