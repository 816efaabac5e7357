using System;
using System.CommandLine;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Cli;

/// <summary><c>baseten chains create-environment &lt;CHAIN_ID&gt; --name &lt;NAME&gt; [--body &lt;file.json&gt;|-] [--base-url &lt;url&gt;] [--dry-run]</c>.</summary>
internal static class CreateEnvironmentCommand
{
    /// <summary>A body file larger than this is refused rather than read into memory.</summary>
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    // Input files are checked strictly: a misspelt property is an error, not silently dropped.
    private static readonly BasetenJsonContext s_strictInput = new(new JsonSerializerOptions
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    });

    private static readonly BasetenJsonContext s_indentedOutput = new(new JsonSerializerOptions { WriteIndented = true });

    public static Command Create(TextWriter output, TextWriter error)
    {
        var chainId = new Argument<string>("CHAIN_ID") { Description = "The chain to create the environment in." };
        var name = new Option<string>("--name") { Description = "Name of the new environment, e.g. staging.", Required = true };
        var body = new Option<string?>("--body") { Description = "A JSON file with the rest of the request (CreateChainEnvironmentRequestV1), or - for standard input. --name overrides its name." };
        var baseUrl = new Option<string?>("--base-url") { Description = "The API address (default https://api.baseten.co; plain http only for loopback)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the HTTP request that would be sent, key redacted, and send nothing." };

        var command = new Command("create-environment", "Create a chain environment and print it as JSON.")
        {
            chainId, name, body, baseUrl, dryRun,
        };

        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(chainId)!,
            parseResult.GetValue(name)!,
            parseResult.GetValue(body),
            parseResult.GetValue(baseUrl),
            parseResult.GetValue(dryRun),
            output,
            error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string chainId, string name, string? bodyPath, string? baseUrl, bool dryRun, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            CreateChainEnvironmentRequestV1 request = await ReadRequestAsync(bodyPath, name, cancellationToken).ConfigureAwait(false);
            var options = new BasetenClientOptions { BaseAddress = ParseBaseUrl(baseUrl) };
            string? apiKey = Environment.GetEnvironmentVariable(BasetenClientOptions.ApiKeyEnvironmentVariable);
            if (string.IsNullOrWhiteSpace(apiKey))
            {
                if (!dryRun)
                {
                    return await FailAsync(error, ExitCodes.Usage, "no API key: set the " + BasetenClientOptions.ApiKeyEnvironmentVariable + " environment variable (or use --dry-run)").ConfigureAwait(false);
                }

                // Nothing is sent in a dry run, and the printed header is redacted anyway.
                options.ApiKey = "dry-run";
            }

            using HttpClient httpClient = dryRun ? new HttpClient(new DryRunHandler(output)) : new HttpClient();
            using var client = new BasetenClient(httpClient, options);
            ChainEnvironmentV1 environment = await client.CreateChainEnvironmentAsync(chainId, request, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(JsonSerializer.Serialize(environment, s_indentedOutput.ChainEnvironmentV1)).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (DryRunHandler.RequestPrintedException)
        {
            return ExitCodes.Success;
        }
        catch (InputException exception)
        {
            return await FailAsync(error, ExitCodes.Usage, exception.Message).ConfigureAwait(false);
        }
        catch (ArgumentException exception)
        {
            // Options the client refuses: a bad base address, a malformed key. Messages never hold the key.
            string message = exception.ParamName is null ? exception.Message : exception.Message.Replace(" (Parameter '" + exception.ParamName + "')", string.Empty, StringComparison.Ordinal);
            return await FailAsync(error, ExitCodes.Usage, message).ConfigureAwait(false);
        }
        catch (BasetenApiException exception)
        {
            return await FailAsync(error, ExitCodes.ApiError, exception.Message).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            return await FailAsync(error, ExitCodes.Network, "cannot reach the API: " + exception.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(error, ExitCodes.Network, "the API did not answer in time").ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return await FailAsync(error, ExitCodes.Canceled, "canceled").ConfigureAwait(false);
        }
    }

    private static async Task<CreateChainEnvironmentRequestV1> ReadRequestAsync(string? bodyPath, string name, CancellationToken cancellationToken)
    {
        if (bodyPath is null)
        {
            return new CreateChainEnvironmentRequestV1 { Name = name };
        }

        string source = bodyPath == "-" ? "standard input" : bodyPath;
        string text = await ReadBoundedAsync(bodyPath, source, cancellationToken).ConfigureAwait(false);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException exception)
        {
            throw new InputException(source + " is not valid JSON: " + exception.Message);
        }

        if (node is not JsonObject body)
        {
            throw new InputException(source + " must hold a JSON object (a CreateChainEnvironmentRequestV1)");
        }

        body["name"] = name;
        try
        {
            return body.Deserialize(s_strictInput.CreateChainEnvironmentRequestV1)
                ?? throw new InputException(source + " must hold a JSON object");
        }
        catch (JsonException exception)
        {
            throw new InputException(source + " does not match CreateChainEnvironmentRequestV1: " + exception.Message);
        }
    }

    private static async Task<string> ReadBoundedAsync(string path, string source, CancellationToken cancellationToken)
    {
        try
        {
            using Stream stream = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
            var buffer = new MemoryStream();
            byte[] chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    throw new InputException(source + " is larger than " + (MaxBodyBytes / (1024 * 1024)).ToString(System.Globalization.CultureInfo.InvariantCulture) + " MiB");
                }

                buffer.Write(chunk, 0, read);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InputException("cannot read " + source + ": " + exception.Message);
        }
    }

    private static Uri? ParseBaseUrl(string? baseUrl)
    {
        if (baseUrl is null)
        {
            return null;
        }

        return Uri.TryCreate(baseUrl, UriKind.Absolute, out Uri? uri)
            ? uri
            : throw new InputException("--base-url '" + baseUrl + "' is not an absolute URL");
    }

    private static async Task<int> FailAsync(TextWriter error, int exitCode, string message)
    {
        await error.WriteLineAsync("baseten: error: " + FirstLine(message)).ConfigureAwait(false);
        return exitCode;
    }

    private static string FirstLine(string message)
    {
        int newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message.Substring(0, newline);
    }

    /// <summary>Input the user gave that cannot be used: reported as one line, exit code 2.</summary>
    private sealed class InputException(string message) : Exception(message);
}
