using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Baseten.Aot.Http;

namespace Baseten.Aot.LiveApi.Tests;

/// <summary>
/// Calls every public <c>...Async</c> method of the generated <see cref="BasetenManagementClient"/>
/// against both Prism servers, once, and keeps what happened per (operation, mode) for the tests
/// to report. No method is named here: each is found by reflection, matched to its operation by
/// the request it sends (to a handler that answers offline), and invoked with arguments synthesized
/// from that operation's schemas in the document, so the harness follows the generator whatever
/// names and types it chooses.
/// </summary>
public sealed class LiveApiRun : IAsyncLifetime
{
    public const string Static = "static";
    public const string Dynamic = "dynamic";

    /// <summary>Calls per operation against the dynamic server, so that random union variants are met.</summary>
    public const int DynamicRounds = 5;

    private static readonly SampleShape[] s_shapes = [SampleShape.Minimal, SampleShape.Full];

    private readonly ConcurrentDictionary<(string Operation, string Mode), ConcurrentQueue<string>> _failures = new();
    private readonly ConcurrentDictionary<(string Operation, string Mode), int> _calls = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _sent = new();
    private readonly Dictionary<string, MethodInfo> _methods = new(StringComparer.Ordinal);
    private readonly List<string> _unmatchedMethods = [];

    public LivePrismServers Prism { get; } = new();

    public static LiveApiDocument Document => LiveApiDocument.Instance;

    /// <summary>The generated method that sends each operation, by <see cref="LiveOperation.Key"/>.</summary>
    public IReadOnlyDictionary<string, MethodInfo> Methods => _methods;

    /// <summary>Public methods that sent no request, or one that no operation (or another method's operation) matches.</summary>
    public IReadOnlyList<string> UnmatchedMethods => _unmatchedMethods;

    public static BasetenManagementClient CreateClient(HttpClient httpClient, Uri address) =>
        new(new ApiTransport(httpClient, address, new ApiAuthorization(Authorization.Scheme, Authorization.Key), disposeHttpClient: false, RetryPolicy.None));

    /// <summary>The operations each mode's requests reached (matched from what the handler recorded).</summary>
    public IReadOnlyCollection<string> SentOperations(string mode) => _sent.TryGetValue(mode, out var set) ? set.Keys.ToArray() : [];

    public IReadOnlyCollection<string> Failures(string operation, string mode) =>
        _failures.TryGetValue((operation, mode), out ConcurrentQueue<string>? queue) ? queue.ToArray() : [];

    public int Calls(string operation, string mode) => _calls.TryGetValue((operation, mode), out int n) ? n : 0;

    public async Task InitializeAsync()
    {
        await MatchMethodsToOperationsAsync();
        await Prism.StartAsync();
        using var staticHttp = new HttpClient(new RequestRecorder(new SocketsHttpHandler()));
        using var dynamicHttp = new HttpClient(new RequestRecorder(new SocketsHttpHandler()));
        using BasetenManagementClient staticClient = CreateClient(staticHttp, Prism.StaticAddress);
        using BasetenManagementClient dynamicClient = CreateClient(dynamicHttp, Prism.DynamicAddress);
        var work = _methods.SelectMany(m => new[] { (m.Key, m.Value, Static, staticClient, 1), (m.Key, m.Value, Dynamic, dynamicClient, DynamicRounds) }).ToArray();

        // Prism is one Node process per mode: a few calls in flight keep both busy without queueing.
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (item, _) =>
        {
            (string key, MethodInfo method, string mode, BasetenManagementClient client, int rounds) = item;
            for (int round = 0; round < rounds; round++)
            {
                foreach (SampleShape shape in s_shapes)
                {
                    // Rotating the variant walks through the alternatives of every union in the body.
                    int variant = round + (shape == SampleShape.Full ? 1 : 0);
                    await CallAsync(Document[key], method, mode, client, shape, variant);
                }
            }
        });
    }

    public async Task DisposeAsync() => await Prism.DisposeAsync();

    /// <summary>The arguments for <paramref name="method"/> that send <paramref name="operation"/>: values of its schemas, of the given shape.</summary>
    public static object?[] Arguments(LiveOperation operation, MethodInfo method, SchemaSampler sampler)
    {
        ParameterInfo[] parameters = method.GetParameters();
        var arguments = new object?[parameters.Length];
        var unused = operation.Parameters.Where(p => p.Required).ToList();
        bool bodyTaken = false;
        for (int i = 0; i < parameters.Length; i++)
        {
            ParameterInfo parameter = parameters[i];
            if (parameter.ParameterType == typeof(CancellationToken))
            {
                arguments[i] = CancellationToken.None;
                continue;
            }

            // The per-call options every generated method takes: not a parameter of the document.
            if (parameter.ParameterType == typeof(ApiCallOptions))
            {
                arguments[i] = null;
                continue;
            }

            LiveParameter? spec = operation.Parameters.FirstOrDefault(p => Normalize(p.Name) == Normalize(parameter.Name!));
            if (spec is not null)
            {
                unused.Remove(spec);
                arguments[i] = !spec.Required && sampler.Shape == SampleShape.Minimal
                    ? DefaultOf(parameter)
                    : ClrValues.ForParameter(sampler.Sample(spec.Schema, spec.Name), parameter.ParameterType);
            }
            else if (operation.BodySchema is { } body && !bodyTaken)
            {
                bodyTaken = true;
                arguments[i] = ClrValues.FromGeneratedContext(sampler.Sample(body, "body"), parameter.ParameterType);
            }
            else
            {
                throw new HarnessException($"the C# parameter '{parameter.Name}' of {method.Name} matches no parameter of {operation.Key} (it has: {string.Join(", ", operation.Parameters.Select(p => p.In + " " + p.Name))}{(operation.BodySchema is null ? "" : ", a body")}).");
            }
        }

        if (unused.Count > 0)
        {
            throw new HarnessException($"{method.Name} has no C# parameter for the required {string.Join(", ", unused.Select(p => p.In + " parameter '" + p.Name + "'"))} of {operation.Key}.");
        }

        if (operation.BodySchema is not null && operation.BodyRequired && !bodyTaken)
        {
            throw new HarnessException($"{method.Name} takes no body, but {operation.Key} requires one.");
        }

        return arguments;
    }

    /// <summary>
    /// The generated client's operations: its public instance methods that return a task, in
    /// declaration order (by return type rather than name: a numbered name such as <c>...Async2</c> counts too).
    /// </summary>
    public static MethodInfo[] ClientMethods() =>
        typeof(BasetenManagementClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType))
            .OrderBy(m => m.MetadataToken)
            .ToArray();

    /// <summary>Invokes a generated method and awaits it: its result, or the exception it ended with (unwrapped).</summary>
    public static async Task<object?> InvokeAsync(BasetenManagementClient client, MethodInfo method, object?[] arguments)
    {
        Task task;
        try
        {
            task = (Task)method.Invoke(client, arguments)!;
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }

        await task;
        return task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
    }

    // Each method is called once with placeholder arguments against a handler that answers 418
    // offline: the request it sends names its operation.
    private async Task MatchMethodsToOperationsAsync()
    {
        using var http = new HttpClient(new RequestRecorder(new RefusingHandler()));
        using BasetenManagementClient client = CreateClient(http, new Uri("http://127.0.0.1:9/"));
        foreach (MethodInfo method in ClientMethods())
        {
            CallRecord record = await ProbeAsync(client, method);
            LiveOperation? operation = record.Method is null ? null : Document.Match(record.Method, record.Path!);
            if (operation is null)
            {
                _unmatchedMethods.Add(record.Method is null
                    ? $"{method.Name} sent no request with placeholder arguments: {record.ResponseBody}"
                    : $"{method.Name} sent {record.Method} {record.Path}, which no operation of the document matches");
            }
            else if (!_methods.TryAdd(operation.Key, method))
            {
                _unmatchedMethods.Add($"{method.Name} and {_methods[operation.Key].Name} both send {operation.Key}");
            }
        }
    }

    private static async Task<CallRecord> ProbeAsync(BasetenManagementClient client, MethodInfo method)
    {
        var record = new CallRecord();
        RequestRecorder.Current = record;
        try
        {
            object?[] arguments = method.GetParameters().Select(PlaceholderOf).ToArray();
            await InvokeAsync(client, method, arguments);
        }
        catch (ApiException) when (record.Status == 418)
        {
            // Expected: the refusing handler's answer.
        }
        catch (Exception exception)
        {
            record.ResponseBody = exception.GetType().Name + ": " + exception.Message;
        }

        return record;
    }

    private static object? PlaceholderOf(ParameterInfo parameter, int index)
    {
        Type type = parameter.ParameterType;
        if (type == typeof(CancellationToken))
        {
            return CancellationToken.None;
        }

        if (parameter.IsOptional)
        {
            return DefaultOf(parameter);
        }

        if (type == typeof(string))
        {
            return "placeholder" + index.ToString(CultureInfo.InvariantCulture);
        }

        if (type == typeof(JsonElement))
        {
            return JsonDocument.Parse("{}").RootElement.Clone();
        }

        if (type.IsValueType)
        {
            return Activator.CreateInstance(type);
        }

        // A body: the first of the document's request bodies (its own schema first) that fits the type.
        var sampler = new SchemaSampler(Document, SampleShape.Minimal, 0);
        foreach (LiveOperation operation in Document.Operations.Where(o => o.BodySchema is not null)
            .OrderBy(o => o.BodySchema!.Value.TryGetProperty("$ref", out JsonElement r) && r.GetString()!.EndsWith("/" + type.Name, StringComparison.Ordinal) ? 0 : 1))
        {
            try
            {
                return ClrValues.FromGeneratedContext(sampler.Sample(operation.BodySchema!.Value, "body"), type);
            }
            catch (ClrValues.DoesNotFitException)
            {
                // Try the next body.
            }
        }

        return type.IsAbstract ? null : RuntimeHelpers.GetUninitializedObject(type);
    }

    private async Task CallAsync(LiveOperation operation, MethodInfo method, string mode, BasetenManagementClient client, SampleShape shape, int variant)
    {
        _calls.AddOrUpdate((operation.Key, mode), 1, (_, n) => n + 1);
        var record = new CallRecord();
        RequestRecorder.Current = record;
        string call = $"{method.Name}, {shape} arguments, variant {variant.ToString(CultureInfo.InvariantCulture)}";
        try
        {
            object?[] arguments = Arguments(operation, method, new SchemaSampler(Document, shape, variant));
            object? result = await InvokeAsync(client, method, arguments);
            if (method.ReturnType.IsGenericType && result is null)
            {
                Fail("the response deserialized to null");
            }
        }
        catch (Exception exception)
        {
            Fail(Explain(exception));
        }
        finally
        {
            if (record.Method is not null)
            {
                LiveOperation? reached = Document.Match(record.Method, record.Path!);
                _sent.GetOrAdd(mode, _ => new()).TryAdd(reached?.Key ?? $"{record.Method} {record.Path} (no operation)", 0);
                if (reached != operation)
                {
                    Fail($"the request went to {record.Method} {record.Path}, which is {reached?.Key ?? "no operation"}, not {operation.Key}");
                }
            }
        }

        void Fail(string reason)
        {
            var message = new StringBuilder();
            message.Append(CultureInfo.InvariantCulture, $"[{mode}] {call}: {reason}");
            if (record.Method is not null)
            {
                message.Append(CultureInfo.InvariantCulture, $"\n    request: {record}");
            }

            if (record.Status is { } status && (status is >= 200 and < 300))
            {
                message.Append(CultureInfo.InvariantCulture, $"\n    response {status}: {ClrValues.Truncate(record.ResponseBody ?? "", 8000)}");
            }

            _failures.GetOrAdd((operation.Key, mode), _ => new()).Enqueue(message.ToString());
        }
    }

    private static string Explain(Exception exception)
    {
        var text = new StringBuilder(exception.GetType().Name).Append(": ").Append(exception.Message);
        if (exception is ApiException api && api.ResponseBody is { Length: > 0 } body && !exception.Message.Contains(body, StringComparison.Ordinal))
        {
            text.Append(" | ").Append((int)api.StatusCode).Append(' ').Append(ClrValues.Truncate(body, 3000));
        }

        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append("\n    because ").Append(inner.GetType().Name).Append(": ").Append(inner.Message);
        }

        return text.ToString();
    }

    private static object? DefaultOf(ParameterInfo parameter) =>
        parameter.HasDefaultValue && parameter.DefaultValue is not null ? parameter.DefaultValue
        : parameter.ParameterType.IsValueType && Nullable.GetUnderlyingType(parameter.ParameterType) is null ? Activator.CreateInstance(parameter.ParameterType)
        : null;

    /// <summary>The C# parameter for the wire parameter <paramref name="wireName"/>, or for the body when it is null.</summary>
    public static ParameterInfo ParameterFor(LiveOperation operation, MethodInfo method, string? wireName) =>
        method.GetParameters().Single(p => wireName is null
            ? p.ParameterType != typeof(CancellationToken) && p.ParameterType != typeof(ApiCallOptions) && !operation.Parameters.Any(o => Normalize(o.Name) == Normalize(p.Name!))
            : Normalize(p.Name!) == Normalize(wireName));

    // chain_id, chainId and @chainId name one parameter: compare without case, '_', '-' and '@'.
    private static string Normalize(string name) =>
        new string(name.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();

    /// <summary>The Authorization header the client sends; see the README for why Bearer.</summary>
    public static class Authorization
    {
        public const string Scheme = "Bearer";
        public const string Key = "conformance-key";
    }

    /// <summary>The generated method and the document disagree in a way the harness cannot bridge.</summary>
    public sealed class HarnessException(string message) : Exception(message)
    {
    }
}
