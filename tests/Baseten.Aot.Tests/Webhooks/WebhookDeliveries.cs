using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Baseten.Aot.Tests.Webhooks;

/// <summary>
/// Deliveries as Baseten makes them: the payload of its documentation (request_id, model_id,
/// deployment_id, type, time, data, errors) and the X-BASETEN-SIGNATURE header, a real HMAC-SHA256
/// of the body under each secret, one v1 entry per secret.
/// </summary>
internal static class WebhookDeliveries
{
    public const string Secret = "whsec_AbCdEf123456GhIjKlMnOpQrStUvWxYz12345678";
    public const string NewSecret = "whsec_RotatedNew0987654321ZyXwVuTsRqPoNmLkJi";

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static byte[] Payload(string requestId, DateTimeOffset time, string data = """{"output": "model response here"}""", string errors = "[]") =>
        Encoding.UTF8.GetBytes($$"""{"request_id": "{{requestId}}", "model_id": "abc123", "deployment_id": "def456", "type": "async_request_completed", "time": "{{Time(time)}}", "data": {{data}}, "errors": {{errors}}}""");

    public static string Signature(ReadOnlySpan<byte> body, string secret) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>The header Baseten sends while these secrets are active: newest first, one v1 entry each.</summary>
    public static string Header(ReadOnlySpan<byte> body, params string[] secrets)
    {
        var header = new StringBuilder();
        foreach (string secret in secrets)
        {
            header.Append(header.Length == 0 ? "v1=" : ",v1=").Append(Signature(body, secret));
        }

        return header.ToString();
    }
}
