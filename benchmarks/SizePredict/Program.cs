using System;
using System.Threading.Tasks;
using Baseten.Aot;

namespace SizePredict;

// size-predict <BASE_URL> <MODEL_ID>: one predict through BasetenInferenceClient, with the default
// options a caller gets (the key from BASETEN_API_KEY, the default retry policy), and the output printed.
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync("usage: size-predict <BASE_URL> <MODEL_ID>");
            return 2;
        }

        using var model = new BasetenInferenceClient(new BasetenInferenceClientOptions { BaseAddress = new Uri(args[0]), ModelId = args[1] });
        PredictOutput output = await model.PredictAsync(new PredictInput("Say hello", 16, 0.2), PredictJson.Default.PredictInput, PredictJson.Default.PredictOutput);
        Console.WriteLine(output.Text);
        return 0;
    }
}
