using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Baseten.Aot.Cli;
using Microsoft.AspNetCore.Http;

namespace Baseten.Aot.Tests;

/// <summary>The outcome of one CLI run.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>
/// The CLI as a separate process, the way a user runs it: the NativeAOT binary named by
/// BASETEN_CLI_PATH (CI publishes it and sets this), else the JIT build beside the tests.
/// </summary>
[Collection(ProcessEnvironment.Name)]
public sealed class CliProcessTests : IAsyncLifetime
{
    private const string Key = "cli-secret-key-0123456789";
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    internal static async Task<CliResult> RunAsync(string? apiKey, string? stdin, params string[] args)
    {
        using Process process = Start(apiKey, args);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The CLI ended without reading its input (a bad command line is refused first): the
            // pipe is closed. What it printed and its exit code are what the test checks.
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Starts the CLI with <paramref name="args"/>, its standard streams redirected, and
    /// BASETEN_API_KEY set to <paramref name="apiKey"/>, or unset when it is null.
    /// </summary>
    internal static Process Start(string? apiKey, params string[] args)
    {
        string? native = Environment.GetEnvironmentVariable("BASETEN_CLI_PATH");
        var start = new ProcessStartInfo(native ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (native is null)
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "baseten.dll"));
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("BASETEN_API_KEY");
        if (apiKey is not null)
        {
            start.Environment["BASETEN_API_KEY"] = apiKey;
        }

        return Process.Start(start)!;
    }

    [Fact]
    public async Task CreateEnvironment_PrintsTheEnvironmentAsIndentedJson()
    {
        _server.RespondJson(200, SeedData.ResponseExample);

        CliResult result = await RunAsync(Key, null, "chains", "create-environment", "abc123", "--name", "staging", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SeedData.ResponseExample), JsonNode.Parse(result.Output)), result.Output);
        Assert.Contains("\n  \"name\": \"staging\"", result.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chains/abc123/environments", request.RawTarget);
        Assert.Equal("Api-Key " + Key, request.Headers["Authorization"]);
    }

    [Fact]
    public async Task BodyFromStandardInput_IsSentWithTheNameFromTheCommandLine()
    {
        _server.RespondJson(200, SeedData.ResponseExample);

        CliResult result = await RunAsync(Key, SeedData.RequestExample.Replace("\"staging\"", "\"overridden\"", StringComparison.Ordinal), "chains", "create-environment", "abc", "--name", "staging", "--body", "-", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(0, result.ExitCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SeedData.RequestExample), JsonNode.Parse(_server.Requests.Single().Body)));
    }

    [Fact]
    public async Task DryRun_PrintsTheRequestWithTheKeyRedacted_AndSendsNothing()
    {
        CliResult result = await RunAsync(Key, null, "chains", "create-environment", "abc/def", "--name", "staging", "--dry-run", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(_server.Requests);
        string[] lines = result.Output.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal($"POST {_server.BaseAddress}v1/chains/abc%2Fdef/environments HTTP/1.1", lines[0]);
        Assert.Contains("Authorization: Api-Key ***", lines);
        Assert.Contains("Content-Type: application/json", lines);
        Assert.Contains("Content-Length: 18", lines);
        Assert.Contains("{\"name\":\"staging\"}", lines);
        Assert.DoesNotContain(Key, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_WorksWithoutAnApiKey()
    {
        CliResult result = await RunAsync(null, null, "chains", "create-environment", "abc", "--name", "staging", "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("POST https://api.baseten.co/v1/chains/abc/environments HTTP/1.1", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiError_IsOneLineOnStandardError_ExitCode1_KeyNeverShown()
    {
        _server.RespondJson(403, $$"""{"error": "Key {{Key}} may not create environments"}""");

        CliResult result = await RunAsync(Key, null, "chains", "create-environment", "abc", "--name", "staging", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Equal("baseten: error: POST /v1/chains/abc/environments failed with 403 (Forbidden): Key *** may not create environments", result.Error.TrimEnd());
    }

    [Theory]
    [InlineData("{\"chainlet_setings\": []}", "'chainlet_setings' is not a property of CreateChainEnvironmentRequestV1 (misspelt?)")]
    [InlineData("{\"chainlet_settings\": [{\"chainlet_name\": 5}]}", "at $.chainlet_settings[0].chainlet_name (line 1, byte 43): expected a string")]
    [InlineData("{\"promotion_settings\": {\"ramp_up_duration_seconds\": \"ten\"}}", "at $.promotion_settings.ramp_up_duration_seconds (line 1, byte 58): expected an integer")]
    [InlineData("[1, 2]", "at $ (line 1, byte 2): expected a CreateChainEnvironmentRequestV1")]
    [InlineData("{\"chainlet_settings\": 7}", "at $.chainlet_settings (line 1, byte 24): expected an array, each item a ChainletEnvironmentSettingsRequestV1")]
    [InlineData("{oops", "(line 1, byte 2): 'o' is an invalid start of a property name")]
    [InlineData("null", "JSON null, not an object")]
    public async Task BodyThatDoesNotMatchTheSchema_IsOneLine_ExitCode2(string body, string expected)
    {
        CliResult result = await RunAsync(Key, body, "chains", "create-environment", "abc", "--name", "staging", "--body", "-", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("baseten: error: standard input is not a valid CreateChainEnvironmentRequestV1", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", result.Error, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData(null, new[] { "chains", "create-environment", "abc", "--name", "x" }, "no API key")]
    [InlineData(Key, new[] { "chains", "create-environment", "abc", "--name", "x", "--body", "/nonexistent/body.json" }, "cannot read /nonexistent/body.json")]
    [InlineData(Key, new[] { "chains", "create-environment", "abc", "--name", "x", "--body", "/" }, "cannot read /: it is a directory, not a file")]
    [InlineData(Key, new[] { "chains", "create-environment", "abc", "--name", "x", "--quiet" }, "baseten: error: unknown option '--quiet'")]
    [InlineData(Key, new[] { "chains", "create-environment", "abc" }, "--name")]
    [InlineData(Key, new[] { "chains", "create-environment", "abc", "--name", "x", "--base-url", "http://api.baseten.co" }, "https")]
    [InlineData(Key, new[] { "chains", "create-environment", "abc", "--name", "x", "--base-url", "not a url" }, "not an absolute URL")]
    [InlineData(Key, new[] { "chains", "frobnicate" }, "frobnicate")]
    public async Task BadInput_IsOneLine_ExitCode2(string? key, string[] args, string expected)
    {
        CliResult result = await RunAsync(key, null, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionClosedMidBody_IsOneLine_ExitCode3()
    {
        _server.Respond = async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = 10_000;
            await context.Response.WriteAsync("{\"name\":\"sta");
            await context.Response.Body.FlushAsync();
            context.Abort();
        };

        CliResult result = await RunAsync(Key, null, "chains", "create-environment", "abc", "--name", "x", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(3, result.ExitCode);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirect_IsNotFollowed_ItIsAnApiError()
    {
        _server.Respond = context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "file:///etc/passwd";
            return Task.CompletedTask;
        };

        CliResult result = await RunAsync(Key, null, "chains", "create-environment", "abc", "--name", "x", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("302", result.Error, StringComparison.Ordinal);
        Assert.Contains("redirect, and baseten follows none", result.Error, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("text/plain", "upstream exploded: the key KEY was refused\nsecond line", "failed with 400 (Bad Request). The answer says: upstream exploded: the key *** was refused")]
    [InlineData("text/html", "<html><body>400</body></html>", "failed with 400 (Bad Request).")]
    public async Task ApiError_WithABodyThatIsNotJson_ShowsItsFirstLineUnlessHtml(string contentType, string body, string expectedEnd)
    {
        _server.Respond = context =>
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = contentType;
            return context.Response.WriteAsync(body.Replace("KEY", Key, StringComparison.Ordinal));
        };

        CliResult result = await RunAsync(Key, null, "chains", "create-environment", "abc", "--name", "x", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.EndsWith(expectedEnd, result.Error.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerControlCharacters_NeverReachTheTerminal()
    {
        _server.RespondJson(400, "{\"error\":\"\\u001b[2J\\u001b]52;c;cHduZWQ=\\u0007 gotcha\"}");

        CliResult result = await RunAsync(Key, null, "chains", "create-environment", "abc", "--name", "x", "--base-url", _server.BaseAddress.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("gotcha", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Error);
        Assert.DoesNotContain('\u0007', result.Error);
    }

    [Fact]
    public async Task UnreachableServer_IsOneLine_ExitCode3()
    {
        await using LoopbackServer closed = await LoopbackServer.StartAsync();
        Uri address = closed.BaseAddress;
        await closed.DisposeAsync();

        CliResult result = await RunAsync(Key, null, "chains", "create-environment", "abc", "--name", "x", "--base-url", address.ToString());

        Assert.Equal(3, result.ExitCode);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Contains("cannot reach the API", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsTheCommand()
    {
        CliResult result = await RunAsync(null, null, "chains", "create-environment", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--dry-run", result.Output, StringComparison.Ordinal);
        Assert.Contains("CHAIN_ID", result.Output, StringComparison.Ordinal);
    }
}

/// <summary>The command line grammar, in process.</summary>
public sealed class CliInProcessTests
{
    [Theory]
    [InlineData(new[] { "chains", "create-environment", "abc", "--name=staging", "--dry-run" }, "abc", "staging", null, null, true)]
    [InlineData(new[] { "chains", "create-environment", "--name", "staging", "--body", "-", "--", "-abc" }, "-abc", "staging", "-", null, false)]
    [InlineData(new[] { "chains", "create-environment", "--base-url", "http://127.0.0.1:1", "abc", "--name", "" }, "abc", "", null, "http://127.0.0.1:1", false)]
    public void CommandLine_ParsesOptionsInAnyOrder(string[] args, string chainId, string name, string? body, string? baseUrl, bool dryRun)
    {
        CreateEnvironmentArguments parsed = CommandLine.Parse(args).CreateEnvironment!;
        Assert.Equal((chainId, name, body, baseUrl, dryRun), (parsed.ChainId, parsed.Name, parsed.BodyPath, parsed.BaseUrl, parsed.DryRun));
    }

    [Theory]
    [InlineData(new[] { "chains", "create-environment", "abc", "--name", "a", "--name", "b" }, "option --name is given twice")]
    [InlineData(new[] { "chains", "create-environment", "abc", "--name" }, "option --name needs a value")]
    [InlineData(new[] { "chains", "create-environment", "abc", "def", "--name", "a" }, "unexpected argument 'def'")]
    [InlineData(new[] { "chains", "create-environment", "abc", "--name", "a", "--quiet" }, "unknown option '--quiet'")]
    [InlineData(new[] { "chains", "create-environment", "abc", "--dry-run=yes", "--name", "a" }, "unknown option '--dry-run'")]
    [InlineData(new[] { "deployments" }, "unknown command 'deployments'")]
    public void CommandLine_ErrorsSayWhatIsWrong(string[] args, string message)
    {
        ParsedCommandLine parsed = CommandLine.Parse(args);
        Assert.Null(parsed.CreateEnvironment);
        Assert.StartsWith(message, parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_IsTheAssemblyVersion()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await BasetenCli.RunAsync(["--version"], output, error);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(typeof(BasetenClient).Assembly.GetName().Version!.ToString(3), output.ToString().Trim());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_IsPrintedWithExitCode0(string flag)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await BasetenCli.RunAsync([flag], output, error);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("chains create-environment", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("predict", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCommand_IsOneLine_ExitCode2()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await BasetenCli.RunAsync([], output, error);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
    }
}
