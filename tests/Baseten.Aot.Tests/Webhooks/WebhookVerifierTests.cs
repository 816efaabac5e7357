using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Webhooks;
using Microsoft.Extensions.Time.Testing;
using static Baseten.Aot.Tests.Webhooks.WebhookDeliveries;

namespace Baseten.Aot.Tests.Webhooks;

/// <summary>
/// <see cref="WebhookVerifier"/> against deliveries signed as Baseten signs them: a real HMAC-SHA256
/// of the raw body under each active secret, checked against a fake clock.
/// </summary>
public sealed class WebhookVerifierTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(s_now);

    private WebhookVerifier Verifier(params string[] secrets) => Verifier(WebhookVerifier.DefaultTolerance, int.MaxValue - 1, secrets);

    private WebhookVerifier Verifier(TimeSpan tolerance, int maxBodyBytes, params string[] secrets)
    {
        var options = new WebhookVerifierOptions { TimeProvider = _clock, Tolerance = tolerance, MaxBodyBytes = Math.Min(maxBodyBytes, WebhookVerifier.DefaultMaxBodyBytes) };
        foreach (string secret in secrets)
        {
            options.Secrets.Add(secret);
        }

        return new WebhookVerifier(options);
    }

    [Fact]
    public void ASignedDelivery_IsVerified_AndItsFieldsAndDataRead()
    {
        byte[] body = Payload("9876543210abcdef1234567890fedcba", s_now.AddSeconds(-2));

        WebhookVerification verification = Verifier(Secret).TryVerify(body, Header(body, Secret));

        Assert.True(verification.Succeeded, verification.ToString());
        Assert.Equal(WebhookFailureReason.None, verification.Reason);
        AsyncPredictResult result = verification.Result;
        Assert.Equal(("9876543210abcdef1234567890fedcba", "abc123", "def456", "async_request_completed"), (result.RequestId, result.ModelId, result.DeploymentId, result.Type));
        Assert.Equal(s_now.AddSeconds(-2), result.Time);
        Assert.Equal(TimeSpan.Zero, result.Time.Offset);
        Assert.True(result.Succeeded);
        Assert.Empty(result.Errors);
        Assert.True(result.HasData);
        Assert.Equal("""{"output": "model response here"}""", Encoding.UTF8.GetString(result.DataJson.Span));
        Assert.Equal(new ModelOutput("model response here"), result.ReadData(WebhookJsonContext.Default.ModelOutput));
        Assert.Same(result, verification.Result);
    }

    [Fact]
    public void AFailedRequest_HasItsErrors_AndNoData()
    {
        byte[] body = Payload("req-failed", s_now, data: "null", errors: """[{"code": "MODEL_PREDICT_ERROR", "message": "Details here"}, {"code": "SOMETHING_NEW", "message": "later"}]""");

        AsyncPredictResult result = Verifier(Secret).Verify(body, Header(body, Secret));

        Assert.False(result.Succeeded);
        Assert.False(result.HasData);
        Assert.Equal("null", Encoding.UTF8.GetString(result.DataJson.Span));
        Assert.Null(result.ReadData(WebhookJsonContext.Default.ModelOutput));
        Assert.Equal(2, result.Errors.Count);
        Assert.Equal((AsyncRequestErrorCode.Known.ModelPredictError, "Details here"), (result.Errors[0].Code.KnownValue, result.Errors[0].Message));
        Assert.Equal(("SOMETHING_NEW", false), (result.Errors[1].Code.Value, result.Errors[1].Code.IsKnown));
    }

    [Fact]
    public void OnlyRequestIdAndTime_AreRequired()
    {
        byte[] body = Encoding.UTF8.GetBytes($$"""{"time": "{{Time(s_now)}}", "request_id": "r1", "chain_id": "later-field"}""");

        AsyncPredictResult result = Verifier(Secret).Verify(body, Header(body, Secret));

        Assert.Equal(("r1", null, null, null), (result.RequestId, result.ModelId, result.DeploymentId, result.Type));
        Assert.False(result.HasData);
        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("2026-12-07T06:00:00Z", 0)]
    [InlineData("2026-12-07T06:00:00.883423Z", 0)]
    [InlineData("2026-12-07T08:00:00+02:00", 0)]
    [InlineData("2026-12-07T06:00:00", 0)] // no offset: UTC, whatever the machine's zone
    [InlineData("2026-12-07T05:58:00.5-00:00", -120)]
    public void TheTime_IsReadWithItsOffset_OrAsUtc(string time, int secondsFromNow)
    {
        byte[] body = Encoding.UTF8.GetBytes($$"""{"request_id": "r", "time": "{{time}}"}""");

        AsyncPredictResult result = Verifier(Secret).Verify(body, Header(body, Secret));

        Assert.Equal(s_now.AddSeconds(secondsFromNow).UtcTicks, result.Time.UtcTicks, TimeSpan.FromSeconds(1).Ticks);
    }

    [Fact]
    public void WhileASecretRotates_EitherEntryMatches_WhicheverSecretTheVerifierHolds()
    {
        byte[] body = Payload("req-rotating", s_now);
        string rotating = Header(body, NewSecret, Secret); // v1=new,v1=old, as Baseten sends it for 24 hours

        Assert.True(Verifier(Secret).TryVerify(body, rotating).Succeeded);
        Assert.True(Verifier(NewSecret).TryVerify(body, rotating).Succeeded);
        Assert.True(Verifier(NewSecret, Secret).TryVerify(body, rotating).Succeeded);
        // After the rotation: Baseten signs with the new one only; a verifier that already holds both still passes it.
        Assert.True(Verifier(Secret, NewSecret).TryVerify(body, Header(body, NewSecret)).Succeeded);
        Assert.Equal(WebhookFailureReason.NoMatchingSignature, Verifier("whsec_SomeoneElsesSecret").TryVerify(body, rotating).Reason);
        Assert.Equal(WebhookFailureReason.NoMatchingSignature, Verifier(Secret).TryVerify(body, Header(body, NewSecret)).Reason);
    }

    [Fact]
    public void ATamperedBody_DoesNotMatch()
    {
        byte[] body = Payload("req-1", s_now);
        string header = Header(body, Secret);
        byte[] tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("model response here", "model response HERE", StringComparison.Ordinal));
        byte[] appended = [.. body, (byte)' '];
        byte[] truncated = body[..^1];

        Assert.Equal(WebhookFailureReason.NoMatchingSignature, Verifier(Secret).TryVerify(tampered, header).Reason);
        Assert.Equal(WebhookFailureReason.NoMatchingSignature, Verifier(Secret).TryVerify(appended, header).Reason);
        Assert.Equal(WebhookFailureReason.NoMatchingSignature, Verifier(Secret).TryVerify(truncated, header).Reason);
    }

    [Fact]
    public void ATamperedHeader_DoesNotMatch_ButHexCaseAndSpacesAroundEntriesDoNotMatter()
    {
        byte[] body = Payload("req-1", s_now);
        string signature = Signature(body, Secret);
        string flipped = signature[..10] + (signature[10] == '0' ? '1' : '0') + signature[11..];

        Assert.Equal(WebhookFailureReason.NoMatchingSignature, Verifier(Secret).TryVerify(body, "v1=" + flipped).Reason);
        Assert.Equal(WebhookFailureReason.NoMatchingSignature, Verifier(Secret).TryVerify(body, "v1=" + Signature(body, "whsec_")).Reason);
        Assert.True(Verifier(Secret).TryVerify(body, "v1=" + signature.ToUpperInvariant()).Succeeded);
        Assert.True(Verifier(Secret).TryVerify(body, " v1=" + flipped + " ,\tv1=" + signature + " ").Succeeded);
        // An entry of another scheme (a later version) is skipped, not taken for a v1 one.
        Assert.True(Verifier(Secret).TryVerify(body, "v2=c29tZXRoaW5nLW5ldw,v1=" + signature).Succeeded);
        Assert.Equal(WebhookFailureReason.MalformedSignature, Verifier(Secret).TryVerify(body, "v2=" + signature).Reason);
    }

    [Theory]
    [InlineData(-300, WebhookFailureReason.None)]
    [InlineData(-301, WebhookFailureReason.TooOld)]
    [InlineData(-86_400, WebhookFailureReason.TooOld)]
    [InlineData(300, WebhookFailureReason.None)]
    [InlineData(301, WebhookFailureReason.FromTheFuture)]
    [InlineData(86_400 * 365, WebhookFailureReason.FromTheFuture)]
    public void TheTime_MustBeWithinTheTolerance_EitherWay(int secondsFromNow, WebhookFailureReason expected)
    {
        byte[] body = Payload("req-time", s_now.AddSeconds(secondsFromNow));

        Assert.Equal(expected, Verifier(Secret).TryVerify(body, Header(body, Secret)).Reason);
    }

    [Fact]
    public void TheToleranceIsTheCallers_AndTheClockMoves()
    {
        byte[] body = Payload("req-clock", s_now);
        string header = Header(body, Secret);
        WebhookVerifier verifier = Verifier(TimeSpan.FromSeconds(30), int.MaxValue, Secret);

        Assert.True(verifier.TryVerify(body, header).Succeeded);
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(WebhookFailureReason.TooOld, verifier.TryVerify(body, header).Reason);
        Assert.Equal(TimeSpan.FromSeconds(30), verifier.Tolerance);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NoHeader_IsMissingSignature(string? header)
    {
        byte[] body = Payload("req-1", s_now);

        Assert.Equal(WebhookFailureReason.MissingSignature, Verifier(Secret).TryVerify(body, header).Reason);
    }

    public static TheoryData<string> MalformedHeaders()
    {
        string hex = new('a', 64);
        return new TheoryData<string>
        {
            " ",
            "v1",
            "v1=",
            "=" + hex,
            "v1=" + hex[..63],
            "v1=" + hex + "a",
            "v1=" + hex[..62] + "zz",
            "v1=" + hex[..62] + "\u0661\u0662", // Arabic-Indic digits are digits, not hex
            "v1=" + hex + ",",
            "," + "v1=" + hex,
            "v1=" + hex + ",,v1=" + hex,
            "v1:" + hex,
            "V1=" + hex,
            "sha256=" + hex,
            "t=1700000000",
            "v1=" + hex + ",v\u00e9=x",
            "v1=" + hex + ",v2=has space",
            string.Join(',', Enumerable.Repeat("v1=" + hex, WebhookVerifier.MaxSignatureEntries + 1)),
            "v1=" + hex + "," + new string(' ', WebhookVerifier.MaxSignatureHeaderLength),
        };
    }

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void AMalformedHeader_IsMalformedSignature(string header)
    {
        byte[] body = Payload("req-1", s_now);

        Assert.Equal(WebhookFailureReason.MalformedSignature, Verifier(Secret).TryVerify(body, header).Reason);
    }

    [Fact]
    public void TheMostEntriesAllowed_AreAllTried()
    {
        byte[] body = Payload("req-1", s_now);
        string wrong = "v1=" + new string('0', 64);
        string header = string.Join(',', Enumerable.Repeat(wrong, WebhookVerifier.MaxSignatureEntries - 1)) + ",v1=" + Signature(body, Secret);

        Assert.True(Verifier(Secret).TryVerify(body, header).Succeeded);
    }

    [Fact]
    public async Task ABodyOverTheLimit_IsRefusedUnread_FromASpanOrAStreamThatNeverEnds()
    {
        byte[] body = Payload("req-1", s_now);
        WebhookVerifier exact = Verifier(WebhookVerifier.DefaultTolerance, body.Length, Secret);
        WebhookVerifier smaller = Verifier(WebhookVerifier.DefaultTolerance, body.Length - 1, Secret);

        Assert.True(exact.TryVerify(body, Header(body, Secret)).Succeeded);
        Assert.True((await exact.TryVerifyAsync(new MemoryStream(body), Header(body, Secret))).Succeeded);
        Assert.Equal(WebhookFailureReason.BodyTooLarge, smaller.TryVerify(body, Header(body, Secret)).Reason);
        Assert.Equal(WebhookFailureReason.BodyTooLarge, (await smaller.TryVerifyAsync(new MemoryStream(body), Header(body, Secret))).Reason);

        var endless = new EndlessStream();
        WebhookVerification verification = await Verifier(WebhookVerifier.DefaultTolerance, 100_000, Secret).TryVerifyAsync(endless, "v1=" + new string('a', 64));
        Assert.Equal(WebhookFailureReason.BodyTooLarge, verification.Reason);
        Assert.InRange(endless.BytesRead, 100_001, 100_001 + (64 * 1024));
    }

    [Fact]
    public async Task TheStreamOverloads_VerifyAndThrowAsTheSpanOnesDo()
    {
        byte[] body = Payload("req-stream", s_now);
        WebhookVerifier verifier = Verifier(Secret);

        AsyncPredictResult result = await verifier.VerifyAsync(new TrickleStream(body), Header(body, Secret));
        WebhookVerificationException refused = await Assert.ThrowsAsync<WebhookVerificationException>(() => verifier.VerifyAsync(new MemoryStream(body), Header(body, NewSecret)));

        Assert.Equal("req-stream", result.RequestId);
        Assert.Equal(WebhookFailureReason.NoMatchingSignature, refused.Reason);
        Assert.Equal(WebhookFailureReason.MissingSignature, (await verifier.TryVerifyAsync(new MemoryStream(body), null)).Reason);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => verifier.TryVerifyAsync(new MemoryStream(body), Header(body, Secret), new CancellationToken(canceled: true)));
    }

    public static TheoryData<string> NotJsonBodies() => new()
    {
        "",
        " ",
        "not json",
        "{\"request_id\": \"r\", \"time\": \"2026-12-07T06:00:00Z\"",
        "{\"request_id\": \"r\", \"time\": \"2026-12-07T06:00:00Z\"} trailing",
        "{\"request_id\": \"r\", \"time\": \"2026-12-07T06:00:00Z\"}{}",
        "{\"request_id\": \"r\", \"time\": \"2026-12-07T06:00:00Z\", \"data\": " + new string('[', 65) + new string(']', 65) + "}",
        "{\"request_id\": \"\\ud800\", \"time\": \"2026-12-07T06:00:00Z\"}",
        "{'request_id': 'r'}",
    };

    [Theory]
    [MemberData(nameof(NotJsonBodies))]
    public void ASignedBodyThatIsNotJson_IsNotJson(string text)
    {
        byte[] body = Encoding.UTF8.GetBytes(text);

        Assert.Equal(WebhookFailureReason.NotJson, Verifier(Secret).TryVerify(body, Header(body, Secret)).Reason);
    }

    [Fact]
    public void ASignedBodyThatIsNotUtf8_IsNotJson()
    {
        byte[] body = [.. "{\"request_id\": \""u8, 0xC3, 0x28, .. "\", \"time\": \"2026-12-07T06:00:00Z\"}"u8];

        Assert.Equal(WebhookFailureReason.NotJson, Verifier(Secret).TryVerify(body, Header(body, Secret)).Reason);
    }

    public static TheoryData<string> InvalidPayloads() => new()
    {
        "[]",
        "\"a string\"",
        "null",
        "{}",
        "{\"time\": \"2026-12-07T06:00:00Z\"}",
        "{\"request_id\": \"r\"}",
        "{\"request_id\": \"\", \"time\": \"2026-12-07T06:00:00Z\"}",
        "{\"request_id\": null, \"time\": \"2026-12-07T06:00:00Z\"}",
        "{\"request_id\": 42, \"time\": \"2026-12-07T06:00:00Z\"}",
        "{\"request_id\": \"r\", \"time\": \"yesterday\"}",
        "{\"request_id\": \"r\", \"time\": 1765087200}",
        "{\"request_id\": \"r\", \"time\": \"2026-12-07T06:00:00Z\", \"model_id\": 7}",
        "{\"request_id\": \"r\", \"time\": \"2026-12-07T06:00:00Z\", \"type\": {}}",
        "{\"request_id\": \"r\", \"time\": \"2026-12-07T06:00:00Z\", \"errors\": {}}",
        "{\"request_id\": \"r\", \"time\": \"2026-12-07T06:00:00Z\", \"errors\": \"none\"}",
        "{\"request_id\": \"r\", \"time\": \"2026-12-07T06:00:00Z\", \"errors\": [1]}",
        "{\"request_id\": \"r\", \"time\": \"2026-12-07T06:00:00Z\", \"errors\": [null]}",
        "{\"request_id\": \"r\", \"time\": \"2026-12-07T06:00:00Z\", \"errors\": [{\"code\": 5, \"message\": \"m\"}]}",
        "{\"request_id\": \"r\", \"request_id\": \"s\", \"time\": \"2026-12-07T06:00:00Z\"}",
    };

    [Theory]
    [MemberData(nameof(InvalidPayloads))]
    public void SignedJsonThatIsNotAResult_IsInvalidPayload(string text)
    {
        byte[] body = Encoding.UTF8.GetBytes(text);

        Assert.Equal(WebhookFailureReason.InvalidPayload, Verifier(Secret).TryVerify(body, Header(body, Secret)).Reason);
    }

    [Fact]
    public void Verify_ThrowsTheOneDocumentedException_WithTheReason()
    {
        byte[] body = Payload("req-1", s_now.AddHours(-1));

        WebhookVerificationException stale = Assert.Throws<WebhookVerificationException>(() => Verifier(Secret).Verify(body, Header(body, Secret)));
        WebhookVerificationException missing = Assert.Throws<WebhookVerificationException>(() => Verifier(Secret).Verify(body, null));

        Assert.Equal(WebhookFailureReason.TooOld, stale.Reason);
        Assert.Equal(WebhookFailureReason.MissingSignature, missing.Reason);
        Assert.Contains("older than the tolerance", stale.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoSecret_NoReason_AndNoPart_OfAnyMessage_HoldsASecret()
    {
        byte[] good = Payload("req-1", s_now);
        var cases = new (byte[] Body, string? Header)[]
        {
            (good, Header(good, Secret)),
            (good, null),
            (good, "v1=zz"),
            (good, Header(good, NewSecret)),
            (Payload("req-1", s_now.AddHours(-1)), Header(Payload("req-1", s_now.AddHours(-1)), Secret)),
            (Payload("req-1", s_now.AddHours(1)), Header(Payload("req-1", s_now.AddHours(1)), Secret)),
            (new byte[200], Header(new byte[200], Secret)),
            ("no"u8.ToArray(), Header("no"u8, Secret)),
            ("{}"u8.ToArray(), Header("{}"u8, Secret)),
        };
        WebhookVerifier verifier = Verifier(WebhookVerifier.DefaultTolerance, 150, Secret);
        var printed = new StringBuilder(verifier.ToString());
        foreach ((byte[] body, string? header) in cases)
        {
            WebhookVerification verification = verifier.TryVerify(body, header);
            printed.AppendLine(verification.ToString()).AppendLine(verification.Message).AppendLine(verification.Result?.ToString());
            if (!verification.Succeeded)
            {
                var exception = new WebhookVerificationException(verification.Reason);
                printed.AppendLine(exception.ToString());
            }
        }

        Assert.Equal(9, Enum.GetValues<WebhookFailureReason>().Length);
        foreach (WebhookFailureReason reason in Enum.GetValues<WebhookFailureReason>())
        {
            printed.AppendLine(new WebhookVerificationException(reason).Message);
        }

        ArgumentException blank = Assert.Throws<ArgumentException>(() => new WebhookVerifier(Secret, " ", NewSecret));
        printed.AppendLine(blank.ToString()).AppendLine(new WebhookVerifierOptions { Secrets = { Secret } }.ToString());

        string all = printed.ToString();
        Assert.Contains("refused (BodyTooLarge)", all, StringComparison.Ordinal);
        foreach (string secret in new[] { Secret, NewSecret, Secret["whsec_".Length..], Convert.ToHexString(Encoding.UTF8.GetBytes(Secret)) })
        {
            Assert.DoesNotContain(secret, all, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void BadOptions_AreRefusedAtConstruction()
    {
        Assert.Throws<ArgumentException>(() => new WebhookVerifier());
        Assert.Throws<ArgumentException>(() => new WebhookVerifier(new WebhookVerifierOptions()));
        Assert.Throws<ArgumentException>(() => new WebhookVerifier(Secret, ""));
        Assert.Throws<ArgumentNullException>(() => new WebhookVerifier((WebhookVerifierOptions)null!));
        Assert.Throws<ArgumentNullException>(() => new WebhookVerifier(new WebhookVerifierOptions { Secrets = { Secret }, TimeProvider = null! }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WebhookVerifier(new WebhookVerifierOptions { Secrets = { Secret }, Tolerance = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WebhookVerifier(new WebhookVerifierOptions { Secrets = { Secret }, MaxBodyBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WebhookVerifier(new WebhookVerifierOptions { Secrets = { Secret }, MaxBodyBytes = Array.MaxLength }));
        Assert.Equal(TimeSpan.FromSeconds(300), new WebhookVerifier(Secret).Tolerance);
        Assert.Equal(16 * 1024 * 1024, new WebhookVerifier(Secret).MaxBodyBytes);
    }

    /// <summary>A body that never ends, counting what was read from it.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'{');
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A body that arrives a few bytes at a time, as a slow sender's does.</summary>
    private sealed class TrickleStream(byte[] body) : MemoryStream(body)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 7));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => base.ReadAsync(buffer[..Math.Min(buffer.Length, 7)], cancellationToken);
    }
}
