using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Cli;

/// <summary><c>baseten predict (--model &lt;ID&gt;|--chain &lt;ID&gt;) --body &lt;file.json&gt;|- [--environment &lt;ENV&gt;|--deployment &lt;ID&gt;] [--base-url &lt;url&gt;] [--dry-run]</c>.</summary>
internal static class PredictCommand
{
    // The input is any JSON, passed through as it is: metadata for JsonElement alone, rather than
    // BasetenInferenceJsonContext, whose GetTypeInfo(Type) override keeps every type of the
    // inference document in the binary (see benchmarks/README.md).
    private static readonly JsonTypeInfo<JsonElement> s_json = JsonMetadataServices.CreateValueInfo<JsonElement>(new JsonSerializerOptions { TypeInfoResolver = JsonTypeInfoResolver.Combine() }, JsonMetadataServices.JsonElementConverter);

    public static async Task<int> RunAsync(PredictArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            string source = arguments.BodyPath == "-" ? "standard input" : arguments.BodyPath;
            JsonElement input;
            try
            {
                input = JsonSerializer.Deserialize(CreateEnvironmentCommand.ReadBounded(arguments.BodyPath, source), s_json);
            }
            catch (JsonException exception)
            {
                throw new CreateEnvironmentCommand.InputException(source + " is not JSON: " + exception.Message);
            }

            var options = new BasetenInferenceClientOptions
            {
                ModelId = arguments.ModelId,
                ChainId = arguments.ChainId,
                BaseAddress = CreateEnvironmentCommand.ParseBaseUrl(arguments.BaseUrl),
            };
            if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(BasetenClientOptions.ApiKeyEnvironmentVariable)))
            {
                if (!arguments.DryRun)
                {
                    return CreateEnvironmentCommand.Fail(error, ExitCodes.Usage, "no API key: set the " + BasetenClientOptions.ApiKeyEnvironmentVariable + " environment variable (or use --dry-run)");
                }

                options.ApiKey = "dry-run";
            }

            PredictTarget? target = arguments.Environment is { } environment ? PredictTarget.Environment(environment)
                : arguments.Deployment is { } deployment ? PredictTarget.Deployment(deployment)
                : null;
            using HttpClient httpClient = arguments.DryRun ? new HttpClient(new DryRunHandler(output)) : new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            using var client = new BasetenInferenceClient(httpClient, options);

            // Written as it arrives, so a streaming model's tokens show while it is still producing.
            await using Stream stream = arguments.ModelId is not null
                ? await client.PredictStreamAsync(input, s_json, target, cancellationToken).ConfigureAwait(false)
                : await client.RunRemoteStreamAsync(input, s_json, target, cancellationToken).ConfigureAwait(false);
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
        catch (DryRunHandler.RequestPrintedException)
        {
            return ExitCodes.Success;
        }
        catch (CreateEnvironmentCommand.InputException exception)
        {
            return CreateEnvironmentCommand.Fail(error, ExitCodes.Usage, exception.Message);
        }
        catch (ArgumentException exception)
        {
            string message = exception.ParamName is null ? exception.Message : exception.Message.Replace(" (Parameter '" + exception.ParamName + "')", string.Empty, StringComparison.Ordinal);
            return CreateEnvironmentCommand.Fail(error, ExitCodes.Usage, message);
        }
        catch (BasetenApiException exception)
        {
            return CreateEnvironmentCommand.Fail(error, ExitCodes.ApiError, (exception.RequestId is { } id ? "[request " + id + "] " : string.Empty) + exception.Message);
        }
        catch (HttpRequestException exception)
        {
            return CreateEnvironmentCommand.Fail(error, ExitCodes.Network, "cannot reach the API: " + exception.Message);
        }
        catch (TimeoutException exception)
        {
            return CreateEnvironmentCommand.Fail(error, ExitCodes.Network, exception.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CreateEnvironmentCommand.Fail(error, ExitCodes.Network, "the API did not answer in time");
        }
        catch (OperationCanceledException)
        {
            return CreateEnvironmentCommand.Fail(error, ExitCodes.Canceled, "canceled");
        }
    }
}
