using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot.Tests;

/// <summary>
/// The span and the metrics a call reports, as a listener sees them: named and tagged after the
/// OpenTelemetry HTTP client conventions, with the URL template and never the key, a path value or
/// a query. Listeners are process-wide, so each test only reads what carries its own template.
/// </summary>
public sealed class TelemetryTests : IDisposable
{
    private const string Key = "telemetry-secret-key";
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();
    private readonly ActivityListener _activityListener;
    private readonly MeterListener _meterListener;

    public TelemetryTests()
    {
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ApiTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _activities.Enqueue,
        };
        ActivitySource.AddActivityListener(_activityListener);
        _meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ApiTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        _meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        _meterListener.Start();
    }

    public void Dispose()
    {
        _activityListener.Dispose();
        _meterListener.Dispose();
    }

    private static ApiTransport Transport(HttpMessageHandler handler, int attempts = 3)
        => new(new HttpClient(handler), new Uri("https://api.example.test:8443"), ApiAuthorization.ApiKeyQuery("api_key", Key), disposeHttpClient: true,
            new RetryPolicy { MaxAttempts = attempts, BaseDelay = TimeSpan.FromMilliseconds(1), Jitter = () => 0, AttemptTimeout = null, Budget = null });

    private Activity[] ActivitiesOf(string template) => _activities.Where(a => Equals(a.GetTagItem("url.template"), template)).ToArray();

    private (string Instrument, double Value, Dictionary<string, object?> Tags)[] MeasurementsOf(string template)
        => _measurements.Select(m => (m.Instrument, m.Value, Tags: m.Tags.ToDictionary(t => t.Key, t => t.Value)))
            .Where(m => Equals(m.Tags.GetValueOrDefault("url.template"), template)).ToArray();

    [Fact]
    public async Task ACallThatWasRetried_IsOneSpan_WithTheTemplate_TheStatus_AndTheResendCount()
    {
        const string template = "/v1/telemetry-ok/{id}";
        using ApiTransport transport = Transport(new Scripted(503, 200));

        await transport.SendTextAsync(new ApiRequest(HttpMethod.Get, template, "/v1/telemetry-ok/secret-id-42?q=private"), CancellationToken.None);

        Activity span = Assert.Single(ActivitiesOf(template));
        Assert.Equal("GET " + template, span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("GET", span.GetTagItem("http.request.method"));
        Assert.Equal("api.example.test", span.GetTagItem("server.address"));
        Assert.Equal(8443, span.GetTagItem("server.port"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal(1, span.GetTagItem("http.request.resend_count"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        AssertNothingPrivate(span.TagObjects.Select(t => t.Value?.ToString()).Append(span.DisplayName));

        var measurements = MeasurementsOf(template);
        var duration = Assert.Single(measurements, m => m.Instrument == "http.client.request.duration");
        Assert.True(duration.Value >= 0);
        Assert.Equal(200, duration.Tags["http.response.status_code"]);
        var retry = Assert.Single(measurements, m => m.Instrument == "baseten_aot.client.retries");
        Assert.Equal((1.0, 503), (retry.Value, retry.Tags["http.response.status_code"]));
        AssertNothingPrivate(measurements.SelectMany(m => m.Tags.Values.Select(v => v?.ToString())));
    }

    [Fact]
    public async Task AFailedCall_IsAnErrorSpan_WithTheErrorType()
    {
        const string template = "/v1/telemetry-fail";
        using ApiTransport transport = Transport(new Scripted(404), attempts: 1);

        await Assert.ThrowsAsync<ApiException>(() => transport.SendTextAsync(new ApiRequest(HttpMethod.Post, template, template), CancellationToken.None));

        Activity span = Assert.Single(ActivitiesOf(template));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("404", span.GetTagItem("error.type"));
        Assert.Equal(404, span.GetTagItem("http.response.status_code"));
        Assert.Equal("404", Assert.Single(MeasurementsOf(template)).Tags["error.type"]);
    }

    [Fact]
    public async Task AnUnreachableServer_IsTaggedWithWhatFailed_AndTheKeyIsNotInIt()
    {
        const string template = "/v1/telemetry-unreachable";
        using ApiTransport transport = Transport(new Failing(), attempts: 1);

        await Assert.ThrowsAsync<HttpRequestException>(() => transport.SendTextAsync(new ApiRequest(HttpMethod.Get, template, template), CancellationToken.None));

        Activity span = Assert.Single(ActivitiesOf(template));
        Assert.Equal("connection_error", span.GetTagItem("error.type"));
        Assert.Null(span.GetTagItem("http.response.status_code"));
    }

    private static void AssertNothingPrivate(IEnumerable<string?> values)
    {
        foreach (string? value in values)
        {
            Assert.DoesNotContain(Key, value ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-id-42", value ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain("private", value ?? string.Empty, StringComparison.Ordinal);
        }
    }

    private sealed class Scripted(params int[] statuses) : HttpMessageHandler
    {
        private int _next;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            int status = statuses[Math.Min(Interlocked.Increment(ref _next) - 1, statuses.Length - 1)];
            return Task.FromResult(new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent("{}") });
        }
    }

    private sealed class Failing : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused");
    }
}
