using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Baseten.Aot.Tests;

/// <summary>
/// Servers that echo the key back, in every place and encoding a careless or hostile one might:
/// the key never reaches an exception's message or properties, and server text never forges a log line.
/// </summary>
public sealed class KeyLeakTests : IAsyncLifetime
{
    // A slash and a plus: the characters JSON and URL encoders escape.
    private const string Key = "k3y/with+plus=";

    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Escaped(string text, Func<char, string> escape) => string.Concat(text.Select(escape));

    private static void AssertNoKey(Exception exception)
    {
        string everything = exception.ToString();
        if (exception is ApiException api)
        {
            everything += "\n" + api.ResponseBody + "\n" + api.ServerMessage;
        }

        Assert.DoesNotContain(Key, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Escaped(Key, c => "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)), everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Key.Replace("/", "\\/", StringComparison.Ordinal), everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(Key), everything, StringComparison.Ordinal);
    }

    private async Task<ApiException> FailAsync(Func<HttpContext, Task> respond)
    {
        _server.Respond = respond;
        using ApiTransport transport = ApiTransport.Create(null, _server.BaseAddress, ApiAuthorization.Bearer(Key), RetryPolicy.None);
        return await Assert.ThrowsAsync<ApiException>(() => transport.SendNoContentAsync(new ApiRequest(HttpMethod.Get, "/x", "/x"), CancellationToken.None));
    }

    private static Func<HttpContext, Task> Body(int status, string body, string? reason = null) => async context =>
    {
        context.Response.StatusCode = status;
        if (reason is not null)
        {
            context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = reason;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
    };

    [Fact]
    public async Task KeyInTheReasonPhrase_IsNotInTheMessage()
        => AssertNoKey(await FailAsync(Body(401, "{}", "Bad key " + Key)));

    [Theory]
    [InlineData("unicode")]
    [InlineData("slash")]
    [InlineData("percent")]
    public async Task KeyEchoedEscaped_IsRedactedEverywhere(string how)
    {
        string echoed = how switch
        {
            "unicode" => Escaped(Key, c => "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
            "slash" => Key.Replace("/", "\\/", StringComparison.Ordinal),
            _ => Uri.EscapeDataString(Key),
        };

        ApiException exception = await FailAsync(Body(401, "{\"error\":\"invalid key " + echoed + "\"}"));

        AssertNoKey(exception);
        Assert.Contains("***", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyInAFastApiDetailList_IsRedacted()
    {
        ApiException exception = await FailAsync(Body(422, "{\"detail\":[{\"loc\":[\"header\",\"authorization\"],\"msg\":\"bad\",\"input\":\"Bearer " + Key.Replace("/", "\\/", StringComparison.Ordinal) + "\"}]}"));

        AssertNoKey(exception);
        Assert.NotNull(exception.ServerMessage);
    }

    [Fact]
    public async Task ServerLineBreaks_DoNotForgeLogLines()
    {
        ApiException exception = await FailAsync(Body(500, "{\"error\":\"boom\\r\\n2026-01-01 INFO all good\\u2028more\"}", "Bad\u0007Bell"));

        Assert.DoesNotContain('\n', exception.Message);
        Assert.DoesNotContain('\r', exception.Message);
        Assert.DoesNotContain('\u2028', exception.Message);
        Assert.DoesNotContain('\u0007', exception.Message);
        Assert.Contains("all good", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x65, 0x72, 0x72, 0x6F, 0x72, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D })]
    [InlineData(new byte[] { 0x7B, 0x22, 0x65, 0x72, 0x72, 0x6F, 0x72, 0x22, 0x3A, 0x22, 0x5C, 0x75, 0x64, 0x38, 0x30, 0x30, 0x22, 0x7D })]
    public async Task ErrorBodyWithInvalidUtf8OrALoneSurrogate_IsStillTheApiException(byte[] body)
    {
        ApiException exception = await FailAsync(async context =>
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(body);
        });

        Assert.Equal(400, (int)exception.StatusCode);
    }

    [Theory]
    [InlineData("HTTP/1.1" + Key + "\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n" + Key + "\r\n\r\n")]
    public async Task KeyInAMalformedStatusOrHeaderLine_DoesNotLeaveInTheHttpRequestException(string response)
    {
        // A raw socket: Kestrel cannot send a line .NET refuses, and .NET quotes such a line in its message.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task server = Task.Run(async () =>
        {
            using TcpClient client = await listener.AcceptTcpClientAsync();
            NetworkStream stream = client.GetStream();
            var buffer = new byte[8192];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                int read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
            await stream.FlushAsync();
        });

        using ApiTransport transport = ApiTransport.Create(null, new Uri("http://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture)), ApiAuthorization.Bearer(Key), RetryPolicy.None);
        HttpRequestException exception = await Assert.ThrowsAsync<HttpRequestException>(() => transport.SendNoContentAsync(new ApiRequest(HttpMethod.Get, "/x", "/x"), CancellationToken.None));
        await server.WaitAsync(TimeSpan.FromSeconds(30));

        AssertNoKey(exception);
        Assert.Contains("***", exception.Message, StringComparison.Ordinal);
    }
}
