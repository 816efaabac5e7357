using System;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

using Member = Baseten.Aot.Cli.BodyShape.Member;

namespace Baseten.Aot.Cli;

/// <summary><c>baseten chains create-environment &lt;CHAIN_ID&gt; --name &lt;NAME&gt; [--body &lt;file.json&gt;|-] [--base-url &lt;url&gt;] [--dry-run]</c>.</summary>
internal static class CreateEnvironmentCommand
{
    /// <summary>A body file larger than this is refused rather than read into memory.</summary>
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    // A body file is checked strictly: a misspelt property is an error, not silently dropped. Its
    // name may be left out, since --name supplies it. The shape is spec/baseten.openapi.yaml's
    // (tests/Baseten.Aot.Tests/Cli/EnvironmentBodyCliTests.cs compares it with the generated models).
    internal static BodyShape RequestShape { get; } = BodyShape.Model(
        "CreateChainEnvironmentRequestV1",
        new Member("name", BodyShape.String, notNull: true),
        new Member("promotion_settings", BodyShape.Model(
            "UpdatePromotionSettingsV1",
            new Member("redeploy_on_promotion", BodyShape.Boolean),
            new Member("rolling_deploy", BodyShape.Boolean),
            new Member("promotion_cleanup_strategy", BodyShape.Enum("PromotionCleanupStrategyV1")),
            new Member("rolling_deploy_config", BodyShape.Model(
                "UpdateRollingDeployConfigV1",
                new Member("rolling_deploy_strategy", BodyShape.Enum("RollingDeployStrategyV1")),
                new Member("max_surge_percent", BodyShape.Integer),
                new Member("max_unavailable_percent", BodyShape.Integer),
                new Member("stabilization_time_seconds", BodyShape.Integer),
                new Member("replica_overhead_percent", BodyShape.Integer))),
            new Member("ramp_up_while_promoting", BodyShape.Boolean),
            new Member("ramp_up_duration_seconds", BodyShape.Integer))),
        new Member("chainlet_settings", BodyShape.ArrayOf(BodyShape.Model(
            "ChainletEnvironmentSettingsRequestV1",
            new Member("chainlet_name", BodyShape.String, required: true),
            new Member("autoscaling_settings", BodyShape.Model(
                "UpdateAutoscalingSettingsV1",
                new Member("min_replica", BodyShape.Integer),
                new Member("max_replica", BodyShape.Integer),
                new Member("autoscaling_window", BodyShape.Integer),
                new Member("scale_down_delay", BodyShape.Integer),
                new Member("concurrency_target", BodyShape.Integer),
                new Member("target_utilization_percentage", BodyShape.Integer),
                new Member("target_in_flight_tokens", BodyShape.Integer))),
            new Member("instance_type_id", BodyShape.String)))));

    private static readonly BasetenJsonContext s_indentedOutput = new(new JsonSerializerOptions { WriteIndented = true });

    public static async Task<int> RunAsync(CreateEnvironmentArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            byte[] request = RequestBody(arguments.BodyPath, arguments.Name);
            var options = new BasetenClientOptions { BaseAddress = ParseBaseUrl(arguments.BaseUrl) };
            CallSetup.Read(arguments.DryRun, arguments.Verbose, error, cancellationToken).ApplyTo(options);

            using HttpClient httpClient = Failures.CreateHttpClient(arguments.DryRun, output);
            using var client = new BasetenClient(httpClient, options);
            ChainEnvironmentV1 environment = await client.CreateChainEnvironmentAsync(arguments.ChainId, request, cancellationToken).ConfigureAwait(false);
            output.WriteLine(JsonSerializer.Serialize(environment, s_indentedOutput.ChainEnvironmentV1));
            return ExitCodes.Success;
        }
        catch (Exception exception) when (Failures.IsExpected(exception))
        {
            return Failures.Report(exception, error, cancellationToken);
        }
    }

    /// <summary>
    /// The request as sent: the body file (checked against <see cref="RequestShape"/>, copied token
    /// by token) with <paramref name="name"/> as its name, or just the name without a body file.
    /// </summary>
    internal static byte[] RequestBody(string? bodyPath, string name)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (bodyPath is null)
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteEndObject();
            }
            else
            {
                string source = bodyPath == "-" ? "standard input" : bodyPath;
                byte[] body = ReadBounded(bodyPath, source, "a JSON object (CreateChainEnvironmentRequestV1)");
                try
                {
                    RequestShape.Copy(body, writer, "name", name);
                }
                catch (JsonException exception)
                {
                    throw new InputException(source + " is not a valid CreateChainEnvironmentRequestV1: " + JsonErrors.Describe(exception));
                }
                catch (InvalidOperationException exception)
                {
                    // A string that is not valid UTF-8, or escapes a lone surrogate: the reader says which.
                    throw new InputException(source + " is not a valid CreateChainEnvironmentRequestV1: " + exception.Message);
                }
            }
        }

        return buffer.ToArray();
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
