using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baseten.Aot.Extensions.Tests;

// IHttpClientFactory logs every request, headers included at Trace: the key must not be in it.
public sealed class LoggingTests
{
    [Fact]
    public async Task FactoryLogsAtTrace_ShowTheRequest_ButNotTheKey()
    {
        var logs = new CapturingLoggerProvider();
        var handler = new RecordingHandler("""{"id":7,"name":"Rex"}""");
        using ServiceProvider provider = TestHost.Build(
            new Dictionary<string, string?> { ["Baseten:ApiKey"] = "sk-logged-nowhere", ["Pets:Credential"] = "pets-logged-nowhere" },
            services =>
            {
                services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
                services.AddBasetenClient().ConfigurePrimaryHttpMessageHandler(() => new RecordingHandler(TestHost.ChainEnvironmentJson));
                services.AddApiClient("Pets", static (http, options) => new Pets.PetsClient(http, options)).ConfigurePrimaryHttpMessageHandler(() => handler);
            });

        await TestHost.CreateEnvironmentAsync(provider.GetRequiredService<BasetenClient>());
        await provider.GetRequiredService<Pets.PetsClient>().GetPetAsync(7);

        Assert.Contains(logs.Messages, message => message.Contains("Authorization", StringComparison.Ordinal));
        Assert.Contains(logs.Messages, message => message.Contains("X-Pets-Key", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, message => message.Contains("logged-nowhere", StringComparison.Ordinal));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyList<string> Messages => _messages.ToArray();

        public ILogger CreateLogger(string categoryName) => new Logger(_messages);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
                => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => messages.Enqueue(formatter(state, exception));
        }
    }
}
