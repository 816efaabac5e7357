using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using static Baseten.Aot.Tests.Webhooks.WebhookDeliveries;

namespace Baseten.Aot.WebhookReceiver.Tests;

/// <summary>
/// The receiver as it is deployed: a process of its own, configured by environment variables, on
/// 127.0.0.1 with an ephemeral port. The NativeAOT binary named by BASETEN_WEBHOOK_RECEIVER_PATH (CI
/// publishes it and sets this), else the JIT build beside the tests. Its clock is the real one, so
/// deliveries carry the time now (minutes inside the 300-second window) or an hour ago (stale).
/// </summary>
public sealed partial class ReceiverProcessTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheReceiverProcess_HandlesOnce_AnswersReplays_AndRefusesTamperedAndStaleDeliveries()
    {
        await using ReceiverProcess receiver = await ReceiverProcess.StartAsync($"{NewSecret},{Secret}");
        using var http = new HttpClient { Timeout = s_bound };
        byte[] body = Payload("req-process-1", DateTimeOffset.UtcNow);
        byte[] rotated = Payload("req-process-2", DateTimeOffset.UtcNow);
        byte[] stale = Payload("req-process-3", DateTimeOffset.UtcNow.AddHours(-1));
        byte[] tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("model response here", "model response forged", StringComparison.Ordinal));
        string header = Header(body, NewSecret, Secret);
        string signature = Header(body, Secret);
        string flipped = signature[..^1] + (signature[^1] == 'a' ? 'b' : 'a');

        Assert.Equal((HttpStatusCode.OK, "handled"), await PostAsync(http, receiver.Address, body, header));
        Assert.Equal((HttpStatusCode.OK, "already handled"), await PostAsync(http, receiver.Address, body, header));
        Assert.Equal((HttpStatusCode.OK, "already handled"), await PostAsync(http, receiver.Address, body, Header(body, Secret)));
        Assert.Equal((HttpStatusCode.OK, "handled"), await PostAsync(http, receiver.Address, rotated, Header(rotated, Secret)));
        Assert.Equal((HttpStatusCode.Unauthorized, "NoMatchingSignature"), await PostAsync(http, receiver.Address, tampered, header));
        Assert.Equal((HttpStatusCode.Unauthorized, "NoMatchingSignature"), await PostAsync(http, receiver.Address, body, flipped));
        Assert.Equal((HttpStatusCode.Unauthorized, "TooOld"), await PostAsync(http, receiver.Address, stale, Header(stale, Secret)));
        Assert.Equal((HttpStatusCode.Unauthorized, "MissingSignature"), await PostAsync(http, receiver.Address, body, null));

        (int exitCode, string output, string error) = await receiver.StopAsync();
        Assert.Equal(0, exitCode);
        Assert.Equal(1, Count(output, "Handled req-process-1: Object output from deployment def456"));
        Assert.Equal(1, Count(output, "Handled req-process-2:"));
        Assert.Equal(4, Count(output, "Refused a delivery from"));
        Assert.DoesNotContain("req-process-3", output, StringComparison.Ordinal);
        foreach (string secret in new[] { Secret, NewSecret, Secret["whsec_".Length..], NewSecret["whsec_".Length..] })
        {
            Assert.DoesNotContain(secret, output + error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WithoutASecret_TheReceiverSaysSoOnOneLine_AndExits2()
    {
        await using ReceiverProcess receiver = ReceiverProcess.Launch(null);

        (int exitCode, string output, string error) = await receiver.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("baseten-webhook-receiver: BASETEN_WEBHOOK_SECRET is not set", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    private static async Task<(HttpStatusCode Status, string Text)> PostAsync(HttpClient http, Uri address, byte[] body, string? header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = new ByteArrayContent(body) };
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("X-BASETEN-SIGNATURE", header);
        }

        using HttpResponseMessage response = await http.SendAsync(request);
        return (response.StatusCode, (await response.Content.ReadAsStringAsync()).TrimEnd());
    }

    private static int Count(string text, string value) => Regex.Count(text, Regex.Escape(value));

    [GeneratedRegex(@"Listening on (http://127\.0\.0\.1:\d+)(/\S*)")]
    private static partial Regex ListeningLine();

    /// <summary>The running receiver, its output read as it comes; stopped with SIGTERM, killed if it will not stop.</summary>
    private sealed class ReceiverProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly StringBuilder _error = new();
        private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private ReceiverProcess(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, line) => OnLine(line.Data, _output, _outputClosed, listen: true);
            process.ErrorDataReceived += (_, line) => OnLine(line.Data, _error, _errorClosed, listen: false);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Uri Address => _listening.Task.Result;

        public static async Task<ReceiverProcess> StartAsync(string secrets)
        {
            ReceiverProcess receiver = Launch(secrets);
            await receiver._listening.Task.WaitAsync(s_bound);
            return receiver;
        }

        public static ReceiverProcess Launch(string? secrets)
        {
            string? native = Environment.GetEnvironmentVariable("BASETEN_WEBHOOK_RECEIVER_PATH");
            var start = new ProcessStartInfo(native ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (native is null)
            {
                start.ArgumentList.Add("exec");
                start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "baseten-webhook-receiver.dll"));
            }

            foreach (string name in new[] { ReceiverSettings.SecretKey, ReceiverSettings.PathKey, ReceiverSettings.ToleranceKey, ReceiverSettings.MaxBodyKey, ReceiverSettings.CapacityKey, "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
            {
                start.Environment.Remove(name);
            }

            start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
            if (secrets is not null)
            {
                start.Environment[ReceiverSettings.SecretKey] = secrets;
            }

            return new ReceiverProcess(Process.Start(start)!);
        }

        /// <summary>Stops the receiver as a host does (SIGTERM: a graceful shutdown, logs flushed) and returns what it printed.</summary>
        public async Task<(int ExitCode, string Output, string Error)> StopAsync()
        {
            using (Process signal = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await signal.WaitForExitAsync().WaitAsync(s_bound);
            }

            return await WaitForExitAsync();
        }

        public async Task<(int ExitCode, string Output, string Error)> WaitForExitAsync()
        {
            await _process.WaitForExitAsync().WaitAsync(s_bound);
            await Task.WhenAll(_outputClosed.Task, _errorClosed.Task).WaitAsync(s_bound);
            lock (_output)
            {
                return (_process.ExitCode, _output.ToString(), _error.ToString());
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(s_bound);
            }

            _process.Dispose();
        }

        private void OnLine(string? line, StringBuilder into, TaskCompletionSource closed, bool listen)
        {
            if (line is null)
            {
                closed.TrySetResult();
                return;
            }

            lock (_output)
            {
                into.Append(line).Append('\n');
            }

            Match match = ListeningLine().Match(line);
            if (listen && match.Success)
            {
                _listening.TrySetResult(new Uri(match.Groups[1].Value + match.Groups[2].Value));
            }
        }
    }
}
