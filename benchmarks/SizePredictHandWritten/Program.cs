using System;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading.Tasks;

namespace SizePredict;

// size-predict-handwritten <BASE_URL> <MODEL_ID>: the same predict as benchmarks/SizePredict, by
// hand: POST /production/predict with the input as JSON, Authorization: Bearer, the output read as JSON.
// (The model id picks the host when there is no base address; with one, as here, it is not sent.)
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync("usage: size-predict-handwritten <BASE_URL> <MODEL_ID>");
            return 2;
        }

        string key = Environment.GetEnvironmentVariable("BASETEN_API_KEY") ?? throw new InvalidOperationException("No API key: set BASETEN_API_KEY.");
        using var http = new HttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(args[0]), "/production/predict"))
        {
            Content = JsonContent.Create(new PredictInput("Say hello", 16, 0.2), PredictJson.Default.PredictInput),
        };
        message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        using HttpResponseMessage response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        PredictOutput output = await response.Content.ReadFromJsonAsync(PredictJson.Default.PredictOutput)
            ?? throw new InvalidOperationException("The model answered null.");
        Console.WriteLine(output.Text);
        return 0;
    }
}
