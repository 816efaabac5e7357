using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Tests;

namespace Baseten.Aot.Lambda.Tests;

/// <summary>
/// The function in-process, through <see cref="LambdaBootstrap.RunAsync"/>, against a stand-in
/// runtime API and a stand-in Baseten, both on loopback sockets, fresh for each test. Deadlines run
/// on a fake clock: a timeout is reached by advancing it, never by waiting. Each mode's tests derive
/// from this with their own key and the settings that choose the mode.
/// </summary>
public abstract class InProcessFunctionTests : IAsyncLifetime, IDisposable
{
    private readonly string _key;
    private readonly Dictionary<string, string?> _modeSettings;
    private readonly StringWriter _logText = new();
    private readonly TextWriter _log;
    private readonly CancellationTokenSource _stop = new();

    private protected InProcessFunctionTests(string key, Dictionary<string, string?> modeSettings)
    {
        _key = key;
        _modeSettings = modeSettings;
        _log = TextWriter.Synchronized(_logText);
    }

    /// <summary>The longest any wait in these tests may take.</summary>
    private protected static TimeSpan Bound => FakeLambdaRuntime.Bound;

    private protected FakeClock Clock { get; } = new();

    private protected FakeLambdaRuntime Runtime { get; private set; } = null!;

    /// <summary>The stand-in for Baseten: the model, or the Model API in chat mode.</summary>
    private protected LoopbackServer Baseten { get; private set; } = null!;

    /// <summary>The function, once <see cref="Start"/> has started it: its exit code when it ends.</summary>
    private protected Task<int>? Running { get; private set; }

    /// <summary>What the function logged so far.</summary>
    private protected string Log => _logText.ToString();

    public async Task InitializeAsync()
    {
        Runtime = await FakeLambdaRuntime.StartAsync();
        Runtime.Now = Clock.GetUtcNow;
        Baseten = await LoopbackServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (Running is not null)
        {
            await Running.WaitAsync(Bound);
        }

        await Baseten.DisposeAsync();
        await Runtime.DisposeAsync();
    }

    public void Dispose()
    {
        _stop.Dispose();
        _logText.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Starts the function with the runtime API's address, this class's key, Baseten's stand-in and
    /// the mode's settings; <paramref name="settings"/> adds to them or overrides them (null unsets).
    /// </summary>
    private protected void Start(Dictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = Runtime.Address,
            ["BASETEN_API_KEY"] = _key,
            ["BASETEN_BASE_URL"] = Baseten.BaseAddress.ToString(),
        };
        foreach ((string name, string? value) in _modeSettings)
        {
            environment[name] = value;
        }

        foreach ((string name, string? value) in settings ?? [])
        {
            environment[name] = value;
        }

        var host = new BootstrapHost { Environment = name => environment.GetValueOrDefault(name), TimeProvider = Clock, Log = _log };
        Running = Task.Run(() => LambdaBootstrap.RunAsync(host, _stop.Token));
    }

    /// <summary>Nothing the function sent to the runtime API (bodies, headers, paths) nor its log holds this class's key.</summary>
    private protected void AssertNoKey()
    {
        foreach (RecordedRequest request in Runtime.Requests)
        {
            Assert.DoesNotContain(_key, request.RawTarget, StringComparison.Ordinal);
            Assert.DoesNotContain(_key, Encoding.UTF8.GetString(request.Body), StringComparison.Ordinal);
            Assert.All(request.Headers, header => Assert.DoesNotContain(_key, header.Value, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(_key, Log, StringComparison.Ordinal);
    }
}
