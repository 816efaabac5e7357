using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Baseten.Aot.Cli;

/// <summary>The arguments of <c>baseten embed</c>.</summary>
internal sealed class EmbedArguments
{
    public required string ModelId { get; init; }

    public string? Environment { get; init; }

    public string? Deployment { get; init; }

    public required string InputPath { get; init; }

    public string? OutputPath { get; init; }

    public int BatchSize { get; init; } = 128;

    public int Concurrency { get; init; } = 32;

    public int? MaxCharacters { get; init; }

    public int? Dimensions { get; init; }

    public EmbeddingEncoding Encoding { get; init; } = EmbeddingEncoding.Base64;

    public string? BaseUrl { get; init; }

    public bool DryRun { get; init; }

    public bool Verbose { get; init; }
}

/// <summary>
/// <c>baseten embed --model &lt;ID&gt; --input &lt;file&gt;|- [--output &lt;file&gt;]</c>: one text per line in,
/// one JSON line per text out (<c>{"index":i,"embedding":[...]}</c>), in input order, written batch
/// by batch as the job yields them, so memory stays bounded by the concurrency. Ctrl+C stops the
/// job at once and exits 130; what was written is whole lines only.
/// </summary>
internal static class EmbedCommand
{
    public const string Help = """
        baseten embed: embed every line of a file with a BEI embedding model, as JSON lines.

        Usage:
          baseten embed --model <ID> --input <file>|- [--output <file>] [--environment <ENV>|--deployment <ID>] [options]

        Options:
          --model <ID>          The embedding model (https://model-<ID>.api.baseten.co, /sync/v1/embeddings).
          --input <file>        One text per line (UTF-8); - reads standard input. Required.
          --output <file>       Where to write {"index":i,"embedding":[...]} lines, in input order (default: standard output).
          --environment <ENV>   Call the deployment promoted to this environment (default: production).
          --deployment <ID>     Call this deployment.
          --batch-size <N>      Texts per request, 1 to 1024 (default 128).
          --concurrency <N>     Requests in flight, 1 to 1024 (default 32).
          --max-chars <N>       Characters per request at most (default: no limit).
          --dimensions <N>      Ask the model for vectors this long (Matryoshka models).
          --encoding <E>        How vectors travel: base64 (default, a third of the bytes) or float.
          --base-url <url>      Send to this address instead (plain http only for loopback).
          --dry-run             Print the first request, key redacted, and send nothing.
          -v, --verbose         On standard error, a line per attempt and per retry; the key is never shown.
          -h, --help            Show this help.

        On a terminal, a progress line on standard error shows items done, items per second and time
        left; otherwise standard error has errors only. Ctrl+C stops at once (exit 130) and leaves the
        output holding complete lines only.

        Environment:
          BASETEN_API_KEY       The API key, sent as 'Authorization: Bearer <key>'. Not needed for --dry-run.

        Exit codes:
          0 success, 1 the API answered with an error, 2 bad command line or input, 3 the API could not be reached, 130 canceled.
        """;

    public static ParsedCommandLine Parse(IReadOnlyList<string> args)
    {
        var scan = new OptionScanner("embed", Help)
        {
            ValueOptions = ["--model", "--environment", "--deployment", "--input", "--output", "--batch-size", "--concurrency", "--max-chars", "--dimensions", "--encoding", "--base-url"],
        };
        if (scan.Scan(args, 1) is { } stop)
        {
            return stop;
        }

        if (scan.Value("--model") is not { } model)
        {
            return scan.Error("option --model is required");
        }

        if (scan.Value("--input") is not { } input)
        {
            return scan.Error("option --input is required");
        }

        if (scan.Has("--environment") && scan.Has("--deployment"))
        {
            return scan.Error("give --environment or --deployment, not both");
        }

        EmbeddingEncoding encoding = EmbeddingEncoding.Base64;
        if (scan.Value("--encoding") is { } encodingText)
        {
            if (encodingText is not ("float" or "base64"))
            {
                return scan.Error("--encoding is float or base64, not '" + encodingText + "'");
            }

            encoding = encodingText == "float" ? EmbeddingEncoding.JsonNumbers : EmbeddingEncoding.Base64;
        }

        int? batchSize = Number(scan, "--batch-size", 1, 1024, out string? error)
            ?? (error is null ? 128 : null);
        int? concurrency = error is null ? Number(scan, "--concurrency", 1, 1024, out error) ?? (error is null ? 32 : null) : null;
        int? maxCharacters = error is null ? Number(scan, "--max-chars", 1, int.MaxValue, out error) : null;
        int? dimensions = error is null ? Number(scan, "--dimensions", 1, 1 << 20, out error) : null;
        if (error is not null)
        {
            return scan.Error(error);
        }

        return new ParsedCommandLine(null, null, null)
        {
            Embed = new EmbedArguments
            {
                ModelId = model,
                Environment = scan.Value("--environment"),
                Deployment = scan.Value("--deployment"),
                InputPath = input,
                OutputPath = scan.Value("--output"),
                BatchSize = batchSize!.Value,
                Concurrency = concurrency!.Value,
                MaxCharacters = maxCharacters,
                Dimensions = dimensions,
                Encoding = encoding,
                BaseUrl = scan.Value("--base-url"),
                DryRun = scan.DryRun,
                Verbose = scan.Verbose,
            },
        };
    }

    private static int? Number(OptionScanner scan, string option, int min, int max, out string? error)
    {
        error = null;
        if (scan.Value(option) is not { } text)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            error = option + " must be a whole number from " + min.ToString(CultureInfo.InvariantCulture) + " to " + max.ToString(CultureInfo.InvariantCulture);
            return null;
        }

        return value;
    }

    public static async Task<int> RunAsync(EmbedArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // Ctrl+C cancels the job rather than killing the process, so the output ends on a whole line.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        });
        Stream? file = null;
        ProgressLine? progress = null;
        try
        {
            string[] texts = ReadLines(arguments.InputPath);
            var options = new BasetenInferenceClientOptions { ModelId = arguments.ModelId, BaseAddress = CreateEnvironmentCommand.ParseBaseUrl(arguments.BaseUrl) };
            CallSetup.Read(arguments.DryRun, arguments.Verbose, error, cancel.Token).ApplyTo(options);

            PredictTarget? target = CallSetup.Target(arguments.Environment, arguments.Deployment);
            var job = new EmbeddingOptions
            {
                BatchSize = arguments.BatchSize,
                MaxConcurrency = arguments.DryRun ? 1 : arguments.Concurrency,
                MaxCharactersPerBatch = arguments.MaxCharacters,
                Dimensions = arguments.Dimensions,
                Encoding = arguments.Encoding,
            };
            if (!arguments.DryRun && !Console.IsErrorRedirected && texts.Length > 0)
            {
                progress = new ProgressLine(error, texts.Length);
                job.Progress = progress;
            }

            using HttpClient httpClient = Failures.CreateHttpClient(arguments.DryRun, output);
            using var client = new BasetenInferenceClient(httpClient, options);
            if (arguments.DryRun)
            {
                // The first request only: one batch, nothing after it.
                string[] first = texts.AsSpan(0, Math.Min(texts.Length, arguments.BatchSize)).ToArray();
                await client.EmbedAsync(first, job, target, cancel.Token).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            file = arguments.OutputPath is { } path ? new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1)
                : ReferenceEquals(output, Console.Out) ? Console.OpenStandardOutput() : null;
            var lines = new ArrayBufferWriter<byte>(64 * 1024);
            using var writer = new Utf8JsonWriter(lines, new JsonWriterOptions { SkipValidation = true });
            await foreach (EmbeddingBatch batch in client.EmbedBatchesAsync(texts, job, target, cancel.Token).ConfigureAwait(false))
            {
                lines.ResetWrittenCount();
                for (int i = 0; i < batch.Count; i++)
                {
                    writer.Reset(lines);
                    writer.WriteStartObject();
                    writer.WriteNumber("index"u8, batch.StartIndex + i);
                    writer.WriteStartArray("embedding"u8);
                    foreach (float value in batch[i].Span)
                    {
                        writer.WriteNumberValue(value);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                    writer.Flush();
                    lines.Write("\n"u8);
                }

                // A batch's lines in one write, never cancelled half-way: the output ends on a whole line.
                if (file is not null)
                {
                    file.Write(lines.WrittenSpan);
                }
                else
                {
                    await output.WriteAsync(System.Text.Encoding.UTF8.GetString(lines.WrittenSpan)).ConfigureAwait(false);
                }
            }

            file?.Flush();
            progress?.Finish();
            return ExitCodes.Success;
        }
        catch (InferenceBatchException exception) when (exception.InnerException is DryRunHandler.RequestPrintedException)
        {
            return ExitCodes.Success;
        }
        catch (InferenceBatchException exception)
        {
            progress?.Finish();
            int code = exception.InnerException is BasetenApiException ? ExitCodes.ApiError : ExitCodes.Network;
            return Failures.Fail(error, code, exception.Message);
        }
        catch (Exception exception) when (Failures.IsExpected(exception))
        {
            progress?.Finish();
            return cancel.IsCancellationRequested && exception is OperationCanceledException
                ? Failures.Fail(error, ExitCodes.Canceled, "canceled")
                : Failures.Report(exception, error, cancel.Token);
        }
        finally
        {
            file?.Dispose();
        }
    }

    // One text per line; a final newline ends the last text rather than starting an empty one.
    private static string[] ReadLines(string path)
    {
        string source = path == "-" ? "standard input" : path;
        try
        {
            using Stream stream = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
            using var reader = new StreamReader(stream, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true);
            var lines = new List<string>();
            while (reader.ReadLine() is { } line)
            {
                lines.Add(line);
            }

            return lines.ToArray();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new CreateEnvironmentCommand.InputException("cannot read " + source + ": " + (exception is DecoderFallbackException ? "it is not UTF-8" : exception.Message));
        }
    }

    /// <summary>Items done, items per second and time left, redrawn on one line of a terminal at most ten times a second.</summary>
    private sealed class ProgressLine(TextWriter error, int total) : IProgress<InferenceJobProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _drawnAt = -1000;

        public void Report(InferenceJobProgress value)
        {
            lock (_clock)
            {
                long now = _clock.ElapsedMilliseconds;
                if (now - _drawnAt < 100 && value.ItemsDone < total)
                {
                    return;
                }

                _drawnAt = now;
                double perSecond = value.ItemsDone / Math.Max(0.001, now / 1000.0);
                double left = perSecond > 0 ? (total - value.ItemsDone) / perSecond : 0;
                error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{value.ItemsDone}/{total} items  {perSecond:F0}/s  {(int)left / 3600}:{(int)left / 60 % 60:D2}:{(int)left % 60:D2} left "));
                error.Flush();
            }
        }

        public void Finish()
        {
            lock (_clock)
            {
                error.WriteLine();
            }
        }
    }
}
