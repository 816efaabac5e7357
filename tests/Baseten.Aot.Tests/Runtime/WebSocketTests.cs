using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Baseten.Aot.Tests;

/// <summary>
/// <see cref="BasetenInferenceClient.ConnectWebSocketAsync"/> against a Kestrel WebSocket server on
/// loopback: the route of every target, the key in the handshake and nowhere else, messages both
/// ways, refusals and redirects as <see cref="BasetenApiException"/>, and a handshake bounded by the
/// attempt timeout (on a fake clock) and by the caller's token. Every wait is bounded.
/// </summary>
public sealed class WebSocketTests : IAsyncLifetime
{
    private const string Key = "websocket-secret-key";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);
    private readonly ConcurrentQueue<(string RawTarget, string? Authorization)> _handshakes = new();
    private WebApplication _app = null!;
    private Uri _address = null!;

    /// <summary>What the server does with a handshake that is not refused before it: echo by default.</summary>
    private Func<HttpContext, Task>? _refuse;

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        _handshakes.Enqueue((context.Features.Get<IHttpRequestFeature>()!.RawTarget, context.Request.Headers.Authorization.ToString()));
        if (_refuse is not null)
        {
            await _refuse(context);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        string? protocol = context.WebSockets.WebSocketRequestedProtocols.FirstOrDefault();
        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        byte[] buffer = new byte[4096];
        while (true)
        {
            WebSocketReceiveResult received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                return;
            }

            byte[] echo = Encoding.UTF8.GetBytes("echo: " + Encoding.UTF8.GetString(buffer, 0, received.Count));
            await socket.SendAsync(echo, WebSocketMessageType.Text, true, context.RequestAborted);
        }
    }

    private BasetenInferenceClient Client(Uri? address = null, string? environment = null, RetryPolicy? retry = null)
        => new(new BasetenInferenceClientOptions { ApiKey = Key, ModelId = "abc123", Environment = environment, BaseAddress = address ?? _address, Retry = retry ?? RetryPolicy.None });

    private static async Task<string> EchoAsync(ClientWebSocket socket, string text)
    {
        using var timeout = new CancellationTokenSource(s_bound);
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
        byte[] buffer = new byte[4096];
        WebSocketReceiveResult received = await socket.ReceiveAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    public static TheoryData<string, string> Targets => new()
    {
        { "production", "/environments/production/websocket" },
        { "development", "/development/websocket" },
        { "environment", "/environments/staging/websocket" },
        { "deployment", "/deployment/dep42/websocket" },
    };

    private static PredictTarget? TargetOf(string kind) => kind switch
    {
        "production" => null,
        "development" => PredictTarget.Development,
        "environment" => PredictTarget.Environment("staging"),
        _ => PredictTarget.Deployment("dep42"),
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Connect_ReachesTheTargetsRoute_WithTheKeyInTheHandshakeOnly_AndMessagesFlowBothWays(string kind, string path)
    {
        using BasetenInferenceClient client = Client();

        using ClientWebSocket socket = await client.ConnectWebSocketAsync(TargetOf(kind)).WaitAsync(s_bound);

        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.Equal("echo: hello", await EchoAsync(socket, "hello"));
        Assert.Equal("echo: again", await EchoAsync(socket, "again"));
        (string rawTarget, string? authorization) = Assert.Single(_handshakes);
        Assert.Equal(path, rawTarget);
        Assert.Equal("Bearer " + Key, authorization);
        Assert.Null(socket.HttpResponseHeaders);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(s_bound);
    }

    [Fact]
    public async Task Connect_OnARegionalHost_GoesToTheBareRoute_AndTheCallersOptionsAreApplied()
    {
        using BasetenInferenceClient client = Client(environment: "prod-us");

        using ClientWebSocket socket = await client.ConnectWebSocketAsync(configure: options => options.AddSubProtocol("audio.v1")).WaitAsync(s_bound);

        Assert.Equal("audio.v1", socket.SubProtocol);
        Assert.Equal("/websocket", Assert.Single(_handshakes).RawTarget);
    }

    [Fact]
    public async Task Connect_CannotReplaceTheCredentialThroughTheCallersOptions()
    {
        using BasetenInferenceClient client = Client();

        using ClientWebSocket socket = await client.ConnectWebSocketAsync(configure: options => options.SetRequestHeader("Authorization", "Bearer someone-else")).WaitAsync(s_bound);

        Assert.Equal("Bearer " + Key, Assert.Single(_handshakes).Authorization);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(503)]
    public async Task RefusedHandshake_IsABasetenApiException_WithTheStatusAndRequestId_AndNoKey(int status)
    {
        _refuse = context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers["X-BASETEN-REQUEST-ID"] = "req-" + Key;
            return context.Response.WriteAsync("denied for " + Key);
        };
        using BasetenInferenceClient client = Client();

        BasetenApiException error = await Assert.ThrowsAsync<BasetenApiException>(() => client.ConnectWebSocketAsync(PredictTarget.Environment("staging")).WaitAsync(s_bound));

        Assert.Equal(status, (int)error.StatusCode);
        Assert.Equal("/environments/{env_name}/websocket", error.PathTemplate);
        Assert.Equal("req-***", error.RequestId);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(307)]
    public async Task RedirectedHandshake_IsNeverFollowed_SoTheKeyReachesNoOtherServer(int status)
    {
        await using RawSocketServer elsewhere = RawSocketServer.Start("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        _refuse = context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = new Uri(elsewhere.BaseAddress, "/elsewhere").AbsoluteUri;
            return Task.CompletedTask;
        };
        using BasetenInferenceClient client = Client();

        Exception error = await Record.ExceptionAsync(() => client.ConnectWebSocketAsync().WaitAsync(s_bound));

        Assert.Equal(0, elsewhere.ConnectionCount);
        BasetenApiException refused = Assert.IsType<BasetenApiException>(error);
        Assert.Equal(status, (int)refused.StatusCode);
        Assert.Contains("never followed", refused.Message, StringComparison.Ordinal);
        Assert.Single(_handshakes);
    }

    [Fact]
    public async Task RefusedConnection_IsAnHttpRequestException()
    {
        // A port bound and held by the test but not listening: connecting to it is refused, and no
        // other server can take it while the test runs.
        using var bound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        bound.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var address = new Uri("http://127.0.0.1:" + ((IPEndPoint)bound.LocalEndPoint!).Port + "/");
        using BasetenInferenceClient client = Client(address);

        HttpRequestException error = await Assert.ThrowsAsync<HttpRequestException>(() => client.ConnectWebSocketAsync().WaitAsync(s_bound));

        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentServer_EndsTheHandshakeAtTheAttemptTimeout_OnTheClientsClock()
    {
        var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using RawSocketServer silent = RawSocketServer.Start(async connection =>
        {
            accepted.TrySetResult();
            await connection.SilenceAsync();
        });
        var clock = new FakeTimeProvider();
        using BasetenInferenceClient client = Client(silent.BaseAddress, retry: new RetryPolicy { MaxAttempts = 1, AttemptTimeout = TimeSpan.FromSeconds(10), TimeProvider = clock });

        Task<ClientWebSocket> connecting = client.ConnectWebSocketAsync();
        await accepted.Task.WaitAsync(s_bound);
        clock.Advance(TimeSpan.FromSeconds(11));

        TimeoutException error = await Assert.ThrowsAsync<TimeoutException>(() => connecting.WaitAsync(s_bound));
        Assert.Contains("/environments/production/websocket", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallersCancellation_EndsTheHandshake_WithTheCallersToken()
    {
        var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using RawSocketServer silent = RawSocketServer.Start(async connection =>
        {
            accepted.TrySetResult();
            await connection.SilenceAsync();
        });
        using BasetenInferenceClient client = Client(silent.BaseAddress);
        using var cancel = new CancellationTokenSource();

        Task<ClientWebSocket> connecting = client.ConnectWebSocketAsync(cancellationToken: cancel.Token);
        await accepted.Task.WaitAsync(s_bound);
        await cancel.CancelAsync();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting.WaitAsync(s_bound));
        Assert.Equal(cancel.Token, error.CancellationToken);
    }
}
