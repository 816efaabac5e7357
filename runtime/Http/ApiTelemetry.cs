using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http;

namespace Baseten.Aot.Http;

/// <summary>
/// What the clients report to OpenTelemetry (or any <see cref="ActivityListener"/> and
/// <see cref="MeterListener"/>): a span per call and its duration and retries, named and tagged as
/// the OpenTelemetry HTTP client conventions say, with the operation's URL template in place of the
/// URL. No credential, path value, query or body is ever recorded. With nobody listening, a call
/// pays two flag checks and allocates nothing.
/// </summary>
/// <remarks>
/// Subscribe with <c>AddSource("Baseten.Aot")</c> and <c>AddMeter("Baseten.Aot")</c>. A span covers
/// the call from its first attempt to the final answer's headers (HttpClient's own spans for each
/// attempt become its children).
/// </remarks>
public static class ApiTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and of the <see cref="Meter"/>.</summary>
    public const string Name = "Baseten.Aot";

    private static readonly string s_version = typeof(ApiTelemetry).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    internal static readonly ActivitySource Source = new(Name, s_version);

    internal static readonly Meter Meter = new(Name, s_version);

    /// <summary>Seconds from the call's start to its final answer's headers, or its failure.</summary>
    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "http.client.request.duration", "s", "How long a call took, from its first attempt to the final answer's headers, retries and waits included.");

    /// <summary>Attempts sent again after a failed one.</summary>
    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "baseten_aot.client.retries", "{retry}", "Attempts sent again by the retry policy after a failed one.");

    internal static bool Enabled => Source.HasListeners() || Duration.Enabled;

    internal static void RecordRetry(ApiMessage message, int status)
    {
        if (Retries.Enabled)
        {
            ReadOnlySpan<KeyValuePair<string, object?>> tags = [
                new("http.request.method", message.Request.Method.Method),
                new("url.template", message.Request.PathTemplate),
                new("server.address", message.Uri.Host),
                new("http.response.status_code", status)];
            Retries.Add(1, status == 0 ? tags[..3] : tags);
        }
    }

    // One call as a listener sees it: made only when someone listens, so an unobserved call
    // allocates nothing; the transport starts it before the pipeline and finishes it after.
    internal sealed class Observation
    {
        private readonly Activity? _activity;
        private readonly long _start = Stopwatch.GetTimestamp();
        private string? _error;

        private Observation(ApiMessage message)
        {
            ApiRequest request = message.Request;
            _activity = Source.StartActivity(request.Method.Method + " " + request.PathTemplate, ActivityKind.Client);
            if (_activity is { IsAllDataRequested: true })
            {
                _activity.SetTag("http.request.method", request.Method.Method);
                _activity.SetTag("url.template", request.PathTemplate);
                _activity.SetTag("server.address", message.Uri.Host);
                _activity.SetTag("server.port", message.Uri.Port);
            }
        }

        public static Observation? Start(ApiMessage message) => Enabled ? new Observation(message) : null;

        // Called from an exception filter: notes what failed, and lets the exception go on.
        public bool Failed(Exception exception)
        {
            _error = ErrorType(exception);
            return false;
        }

        public void Finish(ApiMessage message)
        {
            int status = message.Response is { } response ? (int)response.StatusCode : ErrorStatus(_error);
            string? error = _error ?? (status >= 400 ? status.ToString(CultureInfo.InvariantCulture) : null);
            if (_activity is { IsAllDataRequested: true })
            {
                if (status != 0)
                {
                    _activity.SetTag("http.response.status_code", status);
                }

                if (message.Attempt > 1)
                {
                    _activity.SetTag("http.request.resend_count", message.Attempt - 1);
                }

                if (error is not null)
                {
                    _activity.SetTag("error.type", error);
                    _activity.SetStatus(ActivityStatusCode.Error);
                }
            }

            _activity?.Dispose();
            if (Duration.Enabled)
            {
                // On the stack; a status or an error type only when there is one.
                Span<KeyValuePair<string, object?>> tags = [
                    new("http.request.method", message.Request.Method.Method),
                    new("url.template", message.Request.PathTemplate),
                    new("server.address", message.Uri.Host),
                    new("server.port", message.Uri.Port),
                    default,
                    default];
                int count = 4;
                if (status != 0)
                {
                    tags[count++] = new("http.response.status_code", status);
                }

                if (error is not null)
                {
                    tags[count++] = new("error.type", error);
                }

                Duration.Record(Stopwatch.GetElapsedTime(_start).TotalSeconds, tags[..count]);
            }
        }

        // The conventions' error.type: the status code for an answer, else a low-cardinality name of what failed.
        private static string ErrorType(Exception exception) => exception switch
        {
            ApiException api when api.StatusCode != 0 => ((int)api.StatusCode).ToString(CultureInfo.InvariantCulture),
            TimeoutException => "timeout",
            OperationCanceledException => "canceled",
            HttpRequestException http => http.HttpRequestError == HttpRequestError.Unknown ? "connection_error" : ToSnake(http.HttpRequestError.ToString()),
            _ => exception.GetType().FullName ?? "error",
        };

        private static int ErrorStatus(string? error)
            => error is not null && int.TryParse(error, NumberStyles.None, CultureInfo.InvariantCulture, out int status) ? status : 0;

        private static string ToSnake(string name)
        {
            var builder = new System.Text.StringBuilder(name.Length + 4);
            foreach (char c in name)
            {
                if (char.IsUpper(c) && builder.Length > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }

            return builder.ToString();
        }
    }
}
