using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Baseten.Aot.Webhooks;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using static Baseten.Aot.Tests.Webhooks.WebhookDeliveries;

namespace Baseten.Aot.Tests.Webhooks;

/// <summary>
/// Random headers and bodies, half of them correctly signed so the JSON reader sees them too: the
/// verifier always answers with a reason, never another exception, and passes only a body whose
/// HMAC is in the header. The seed is printed; set BASETEN_WEBHOOK_FUZZ_SEED to replay a run.
/// </summary>
public sealed class WebhookFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 4000;
    private static readonly DateTimeOffset s_now = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);
    private const string BodyAlphabet = "{}[]\",:0aZ \\u\u00ff";
    private const string HeaderAlphabet = "v1=0123456789abcdefABCDEF, \t;:-_xyzV2\u00e9\u0000\r\n\ud800\uffff\"";

    [Fact]
    public async Task AnyHeaderAndBody_GiveAReason_NeverAnotherException()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("BASETEN_WEBHOOK_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int fixedSeed) ? fixedSeed : Random.Shared.Next();
        output.WriteLine($"BASETEN_WEBHOOK_FUZZ_SEED={seed}");
        var random = new Random(seed);
        var verifier = new WebhookVerifier(new WebhookVerifierOptions { Secrets = { Secret, NewSecret }, TimeProvider = new FakeTimeProvider(s_now), MaxBodyBytes = 4096 });
        var seen = new int[Enum.GetValues<WebhookFailureReason>().Length];

        for (int i = 0; i < Cases; i++)
        {
            byte[] body = Body(random);
            string? header = random.Next(5) switch
            {
                0 => Header(body, random.Next(2) == 0 ? Secret : NewSecret),
                4 => Header(body, "whsec_NotOneOfTheVerifiers"),
                1 => MutatedHeader(random, Header(body, NewSecret, Secret)),
                2 => RandomHeader(random),
                _ => random.Next(10) == 0 ? null : RandomHeader(random) + "," + Header(body, Secret),
            };
            string replay = $"seed {seed}, case {i}: header {Describe(header)}, body {Convert.ToBase64String(body)}";

            WebhookVerification verification;
            try
            {
                verification = verifier.TryVerify(body, header);
            }
            catch (Exception exception)
            {
                Assert.Fail($"TryVerify threw {exception.GetType().Name} ({exception.Message}); {replay}");
                return;
            }

            Assert.True(Enum.IsDefined(verification.Reason), replay);
            Assert.Equal(verification.Reason == WebhookFailureReason.None, verification.Succeeded);
            seen[(int)verification.Reason]++;
            if (verification.Succeeded)
            {
                // Passed: the header must hold the body's real HMAC under one of the secrets.
                string signed = header!.ToLowerInvariant();
                Assert.True(signed.Contains(Signature(body, Secret), StringComparison.Ordinal) || signed.Contains(Signature(body, NewSecret), StringComparison.Ordinal), replay);
                Assert.False(string.IsNullOrEmpty(verification.Result.RequestId), replay);
            }

            try
            {
                AsyncPredictResult result = verifier.Verify(body, header);
                Assert.True(verification.Succeeded, replay);
                Assert.Equal(verification.Result!.RequestId, result.RequestId);
            }
            catch (WebhookVerificationException exception)
            {
                Assert.Equal(verification.Reason, exception.Reason);
            }

            if (i % 16 == 0)
            {
                Assert.Equal(verification.Reason, (await verifier.TryVerifyAsync(new MemoryStream(body), header)).Reason);
            }
        }

        output.WriteLine(string.Join(", ", Enum.GetValues<WebhookFailureReason>().Select(reason => $"{reason} {seen[(int)reason]}")));
        // The generator reaches every reason, so no branch of the verifier went unexercised.
        Assert.All(seen, count => Assert.True(count > 0, $"seed {seed}: {string.Join(",", seen)}"));
    }

    private static string Describe(string? header) => header is null ? "(none)" : "\"" + string.Concat(header.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}")) + "\"";

    private static string RandomHeader(Random random)
    {
        int length = random.Next(8) == 0 ? random.Next(3000) : random.Next(100);
        var header = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            header.Append(HeaderAlphabet[random.Next(HeaderAlphabet.Length)]);
        }

        return header.ToString();
    }

    private static string MutatedHeader(Random random, string header)
    {
        var mutated = new StringBuilder(header);
        for (int i = random.Next(1, 4); i > 0 && mutated.Length > 0; i--)
        {
            int at = random.Next(mutated.Length);
            switch (random.Next(3))
            {
                case 0:
                    mutated[at] = HeaderAlphabet[random.Next(HeaderAlphabet.Length)];
                    break;
                case 1:
                    mutated.Remove(at, 1);
                    break;
                default:
                    mutated.Insert(at, HeaderAlphabet[random.Next(HeaderAlphabet.Length)]);
                    break;
            }
        }

        return mutated.ToString();
    }

    private static byte[] Body(Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                byte[] bytes = new byte[random.Next(64)];
                random.NextBytes(bytes);
                return bytes;
            case 1:
                return new byte[4097 + random.Next(100)];
            case 2:
                return Encoding.UTF8.GetBytes(RandomJson(random, random.Next(1, 80)));
            case 3:
                byte[] payload = Payload("req-" + random.Next(), s_now.AddSeconds(random.Next(-900, 900)));
                for (int i = random.Next(1, 4); i > 0; i--)
                {
                    payload[random.Next(payload.Length)] = (byte)BodyAlphabet[random.Next(BodyAlphabet.Length)];
                }

                return payload;
            case 4:
                return Payload("req-" + random.Next(), s_now.AddSeconds(random.Next(-900, 900)), data: RandomJson(random, random.Next(1, 70)), errors: random.Next(3) == 0 ? """[{"code": "MODEL_PREDICT_ERROR", "message": "m"}]""" : RandomJson(random, 3));
            default:
                return Encoding.UTF8.GetBytes($$"""{"request_id": {{RandomJson(random, 2)}}, "time": {{(random.Next(2) == 0 ? "\"" + Time(s_now) + "\"" : RandomJson(random, 2))}}, "errors": {{RandomJson(random, 2)}}}""");
        }
    }

    private static string RandomJson(Random random, int depth) => (depth <= 1 ? random.Next(5) : random.Next(7)) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
        3 => "\"s" + random.Next() + "\"",
        4 => "\"2026-12-07T06:00:00Z\"",
        5 => "[" + RandomJson(random, depth - 1) + "]",
        _ => "{\"k\": " + RandomJson(random, depth - 1) + "}",
    };
}
