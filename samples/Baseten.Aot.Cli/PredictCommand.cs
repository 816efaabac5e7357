using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Cli;

/// <summary><c>baseten predict (--model &lt;ID&gt;|--chain &lt;ID&gt;) --body &lt;file.json&gt;|- [--environment &lt;ENV&gt;|--deployment &lt;ID&gt;] [--base-url &lt;url&gt;] [--dry-run]</c>.</summary>
internal static class PredictCommand
{
    public static async Task<int> RunAsync(PredictArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            // The input is any JSON, checked and then sent as it was read: no document is built.
            string source = arguments.BodyPath == "-" ? "standard input" : arguments.BodyPath;
            byte[] input = CreateEnvironmentCommand.ReadBounded(arguments.BodyPath, source, "the model's input as JSON");
            try
            {
                var reader = new Utf8JsonReader(input);
                while (reader.Read())
                {
                }
            }
            catch (JsonException exception)
            {
                throw new CreateEnvironmentCommand.InputException(source + " is not JSON: " + JsonErrors.Describe(exception));
            }

            var options = new BasetenInferenceClientOptions
            {
                ModelId = arguments.ModelId,
                ChainId = arguments.ChainId,
                BaseAddress = CreateEnvironmentCommand.ParseBaseUrl(arguments.BaseUrl),
            };
            CallSetup.Read(arguments.DryRun, arguments.Verbose, error, cancellationToken).ApplyTo(options);

            PredictTarget? target = CallSetup.Target(arguments.Environment, arguments.Deployment);
            using HttpClient httpClient = Failures.CreateHttpClient(arguments.DryRun, output);
            using var client = new BasetenInferenceClient(httpClient, options);

            // Written as it arrives, so a streaming model's tokens show while it is still producing.
            await using Stream stream = arguments.ModelId is not null
                ? await client.PredictStreamAsync(input, target, cancellationToken).ConfigureAwait(false)
                : await client.RunRemoteStreamAsync(input, target, cancellationToken).ConfigureAwait(false);
            Decoder decoder = Encoding.UTF8.GetDecoder();
            byte[] bytes = new byte[16 * 1024];
            char[] chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
            int read;
            bool endsWithNewline = true;
            while ((read = await stream.ReadAsync(bytes, cancellationToken).ConfigureAwait(false)) > 0)
            {
                int count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                await output.WriteAsync(chars.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                endsWithNewline = count == 0 ? endsWithNewline : chars[count - 1] == '\n';
            }

            if (!endsWithNewline)
            {
                await output.WriteLineAsync().ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }
        catch (Exception exception) when (Failures.IsExpected(exception))
        {
            return Failures.Report(exception, error, cancellationToken);
        }
    }
}
