using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace Baseten.Aot.Tests;

/// <summary>
/// The JSON a user hands the CLI with <c>--body</c>, as editors and shells write it: a file saved
/// with a UTF-8 byte-order mark (Notepad, PowerShell 5) is read as the JSON it holds, for every
/// command that reads JSON, and empty input is one clear line, not System.Text.Json's position text.
/// </summary>
[Collection(ProcessEnvironment.Name)]
public sealed class BodyInputTests : IAsyncLifetime
{
    private const string Key = "cli-body-key-0123456789";
    private static readonly byte[] s_byteOrderMark = [0xEF, 0xBB, 0xBF];
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // Each command that reads a JSON body, with its arguments before --body.
    public static TheoryData<string> Commands() => new() { "create-environment", "predict" };

    private string[] Arguments(string command, string body) => command switch
    {
        "create-environment" => ["chains", "create-environment", "abc", "--name", "staging", "--body", body, "--base-url", _server.BaseAddress.ToString()],
        "predict" => ["predict", "--model", "abc123", "--body", body, "--base-url", _server.BaseAddress.ToString()],
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task BodyFile_SavedWithAByteOrderMark_IsReadAsItsJson(string command)
    {
        _server.RespondJson(200, command == "predict" ? """{"text":"hi"}""" : SeedData.ResponseExample);
        const string Json = """{"name": "staging", "promotion_settings": {"ramp_up_duration_seconds": 600}}""";
        string path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, [.. s_byteOrderMark, .. Encoding.UTF8.GetBytes(Json)]);

            CliResult result = await CliProcessTests.RunAsync(Key, null, Arguments(command, path));

            Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
            byte[] sent = Assert.Single(_server.Requests).Body;
            Assert.False(sent.AsSpan().StartsWith(s_byteOrderMark), "the byte-order mark was sent on");
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Json), JsonNode.Parse(sent)), Encoding.UTF8.GetString(sent));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task StandardInput_WithAByteOrderMark_IsReadAsItsJson(string command)
    {
        _server.RespondJson(200, command == "predict" ? """{"text":"hi"}""" : SeedData.ResponseExample);

        CliResult result = await CliProcessTests.RunAsync(Key, "\uFEFF{\"name\": \"staging\"}", Arguments(command, "-"));

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.Equal("{\"name\": \"staging\"}".Replace(" ", "", StringComparison.Ordinal), Encoding.UTF8.GetString(Assert.Single(_server.Requests).Body).Replace(" ", "", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("create-environment", "")]
    [InlineData("create-environment", " \n\t")]
    [InlineData("create-environment", "\uFEFF")]
    [InlineData("predict", "")]
    [InlineData("predict", " \n\t")]
    [InlineData("predict", "\uFEFF")]
    public async Task EmptyStandardInput_IsOneClearLine_ExitCode2(string command, string stdin)
    {
        CliResult result = await CliProcessTests.RunAsync(Key, stdin, Arguments(command, "-"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Equal("baseten: error: standard input is empty: expected " + (command == "predict" ? "the model's input as JSON" : "a JSON object (CreateChainEnvironmentRequestV1)"), result.Error.TrimEnd());
        Assert.Empty(_server.Requests);
    }

    // baseten chat reads its message through the same bounded reader when it is "-" or not given.
    [Theory]
    [InlineData("", "-")]
    [InlineData(" \n\t", "-")]
    [InlineData("\uFEFF", "-")]
    [InlineData("", null)]
    [InlineData("\uFEFF\n", null)]
    public async Task EmptyStandardInput_ForChat_IsOneClearLine_ExitCode2(string stdin, string? message)
    {
        string[] args = ["chat", "--model-api", "m", "--base-url", _server.BaseAddress.ToString()];
        CliResult result = await CliProcessTests.RunAsync(Key, stdin, message is null ? args : [.. args, message]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Equal("baseten: error: standard input is empty: expected a chat message", result.Error.TrimEnd());
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task EmptyBodyFile_NamesTheFile(string command)
    {
        string path = Path.GetTempFileName();
        try
        {
            CliResult result = await CliProcessTests.RunAsync(Key, null, Arguments(command, path));

            Assert.Equal(2, result.ExitCode);
            Assert.StartsWith("baseten: error: " + path + " is empty: expected ", result.Error, StringComparison.Ordinal);
            Assert.Single(result.Error.TrimEnd().Split('\n'));
            Assert.Empty(_server.Requests);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task PredictInputThatIsNotJson_SaysWhereInItsOwnTerms()
    {
        CliResult result = await CliProcessTests.RunAsync(Key, "{\"prompt\": x}", Arguments("predict", "-"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("baseten: error: standard input is not JSON: (line 1, byte 12): 'x' is an invalid start of a value", result.Error.TrimEnd());
        Assert.DoesNotContain("LineNumber", result.Error, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }
}
