using System;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Cli;

/// <summary><c>baseten chains create-environment &lt;CHAIN_ID&gt; --name &lt;NAME&gt; [--body &lt;file.json&gt;|-] [--base-url &lt;url&gt;] [--dry-run]</c>.</summary>
internal static class CreateEnvironmentCommand
{
    /// <summary>A body file larger than this is refused rather than read into memory.</summary>
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    // A body file is checked strictly: a misspelt property is an error, not silently dropped. Its
    // name may be left out, since --name supplies it: the one contract change made here.
    private static readonly JsonTypeInfo<CreateChainEnvironmentRequestV1> s_bodyFile = (JsonTypeInfo<CreateChainEnvironmentRequestV1>)new JsonSerializerOptions
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = RequestTypes().WithAddedModifier(static typeInfo =>
        {
            if (typeInfo.Type == typeof(CreateChainEnvironmentRequestV1))
            {
                foreach (JsonPropertyInfo property in typeInfo.Properties)
                {
                    property.IsRequired &= property.Name != "name";
                }
            }
        }),
    }.GetTypeInfo(typeof(CreateChainEnvironmentRequestV1));

    // The context as a resolver serves the types its typed properties reached; reaching the request
    // type registers the request's graph and nothing else (BasetenJsonContext.AllTypes would keep all).
    private static BasetenJsonContext RequestTypes()
    {
        _ = BasetenJsonContext.Default.CreateChainEnvironmentRequestV1;
        return BasetenJsonContext.Default;
    }

    private static readonly BasetenJsonContext s_indentedOutput = new(new JsonSerializerOptions { WriteIndented = true });

    public static async Task<int> RunAsync(CreateEnvironmentArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            CreateChainEnvironmentRequestV1 request = ReadRequest(arguments.BodyPath);
            request.Name = arguments.Name;
            var options = new BasetenClientOptions { BaseAddress = ParseBaseUrl(arguments.BaseUrl) };
            CallSetup.Read(arguments.DryRun, arguments.Verbose, error, cancellationToken).ApplyTo(options);

            using HttpClient httpClient = Failures.CreateHttpClient(arguments.DryRun, output);
            using var client = new BasetenClient(httpClient, options);
            ChainEnvironmentV1 environment = await client.CreateChainEnvironmentAsync(arguments.ChainId, request, cancellationToken: cancellationToken).ConfigureAwait(false);
            output.WriteLine(JsonSerializer.Serialize(environment, s_indentedOutput.ChainEnvironmentV1));
            return ExitCodes.Success;
        }
        catch (Exception exception) when (Failures.IsExpected(exception))
        {
            return Failures.Report(exception, error, cancellationToken);
        }
    }

    private static CreateChainEnvironmentRequestV1 ReadRequest(string? bodyPath)
    {
        if (bodyPath is null)
        {
            return new CreateChainEnvironmentRequestV1 { Name = string.Empty };
        }

        string source = bodyPath == "-" ? "standard input" : bodyPath;
        byte[] body = ReadBounded(bodyPath, source, "a JSON object (CreateChainEnvironmentRequestV1)");
        try
        {
            return JsonSerializer.Deserialize(body, s_bodyFile)
                ?? throw new InputException(source + " is not a valid CreateChainEnvironmentRequestV1: it is JSON null, not an object");
        }
        catch (JsonException exception)
        {
            throw new InputException(source + " is not a valid CreateChainEnvironmentRequestV1: " + JsonErrors.Describe(exception));
        }
    }

    /// <summary>
    /// A JSON body from a file or standard input, at most <see cref="MaxBodyBytes"/>, without the
    /// UTF-8 byte-order mark Notepad and PowerShell 5 save files with: System.Text.Json refuses it
    /// ("'0xEF' is an invalid start of a value"), and a model must not be sent it either. Input with
    /// nothing but whitespace is refused here, saying what was <paramref name="expected"/>, rather
    /// than by System.Text.Json, which has no better words for it than a position.
    /// </summary>
    internal static byte[] ReadBounded(string path, string source, string expected)
    {
        if (path != "-" && Directory.Exists(path))
        {
            throw new InputException("cannot read " + source + ": it is a directory, not a file");
        }

        try
        {
            using Stream stream = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    throw new InputException(source + " is larger than " + (MaxBodyBytes / (1024 * 1024)).ToString(System.Globalization.CultureInfo.InvariantCulture) + " MiB");
                }

                buffer.Write(chunk, 0, read);
            }

            ReadOnlySpan<byte> body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            if (body.StartsWith(Utf8ByteOrderMark))
            {
                body = body[Utf8ByteOrderMark.Length..];
            }

            if (IsBlank(body))
            {
                throw new InputException(source + " is empty: expected " + expected);
            }

            return body.ToArray();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InputException("cannot read " + source + ": " + exception.Message);
        }
    }

    // JSON's four whitespace bytes only; a plain loop keeps the native binary from growing for this.
    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        foreach (byte b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    internal static Uri? ParseBaseUrl(string? baseUrl)
    {
        if (baseUrl is null)
        {
            return null;
        }

        return Uri.TryCreate(baseUrl, UriKind.Absolute, out Uri? uri)
            ? uri
            : throw new InputException("--base-url '" + baseUrl + "' is not an absolute URL");
    }

    /// <summary>Input the user gave that cannot be used: reported as one line, exit code 2.</summary>
    internal sealed class InputException(string message) : Exception(message);
}
