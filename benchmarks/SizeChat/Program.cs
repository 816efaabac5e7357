using System;
using System.Threading.Tasks;
using Baseten.Aot;

namespace SizeChat;

// size-chat <BASE_URL> <MODEL>: one streamed chat completion through BasetenChatClient, with the
// default options a caller gets (the key from BASETEN_API_KEY, the default retry policy); the
// content printed as it arrives, then the usage.
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync("usage: size-chat <BASE_URL> <MODEL>");
            return 2;
        }

        using var chat = new BasetenChatClient(new BasetenChatClientOptions { BaseAddress = new Uri(args[0]), Model = args[1] });
        var request = new ChatCompletionRequest { Messages = [ChatMessage.FromUser("Say hello")], MaxTokens = 16 };
        var answer = new ChatCompletionAccumulator();
        await foreach (ChatCompletionChunk chunk in chat.CompleteStreamingAsync(request))
        {
            Console.Write(answer.Add(chunk));
        }

        Console.WriteLine();
        Console.WriteLine(answer.Usage?.TotalTokens);
        return 0;
    }
}
