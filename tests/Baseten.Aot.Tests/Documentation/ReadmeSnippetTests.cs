using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace Baseten.Aot.Tests;

/// <summary>
/// The C# examples in README.md and docs/*.md that stand on their own (each marked by the comment
/// <c>&lt;!-- compiled by ReadmeSnippetTests --&gt;</c> on the line before it) build as pasted into a
/// new console project (implicit usings, nullable, warnings as errors) that references this runtime,
/// so a renamed type or a missing using cannot rot in the documentation.
/// </summary>
public sealed class ReadmeSnippetTests
{
    private const string Marker = "<!-- compiled by ReadmeSnippetTests -->";

    // The marker counts only as a line of its own, so prose can name it in a code span.
    private static readonly Regex s_marker = new("^" + Regex.Escape(Marker) + "$", RegexOptions.Multiline);
    private static readonly Regex s_markedSnippet = new("^" + Regex.Escape(Marker) + @"\n```csharp\n(.*?)```", RegexOptions.Singleline | RegexOptions.Multiline);

    // Read once: the theory enumerates its cases from this and each case looks its snippet up here.
    private static readonly Dictionary<string, string> s_documents = Documentation.Files()
        .ToDictionary(path => path, path => File.ReadAllText(Documentation.FullPath(path)).ReplaceLineEndings("\n"));

    private static string[] SnippetsOf(string document) =>
        s_markedSnippet.Matches(s_documents[document]).Select(match => match.Groups[1].Value).ToArray();

    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (string document in s_documents.Keys)
        {
            for (int index = 0; index < SnippetsOf(document).Length; index++)
            {
                data.Add(document, index);
            }
        }

        return data;
    }

    [Fact]
    public void TheDocumentsMarkTheSnippetsTheyShouldCompile()
    {
        // A marker left without its block (or before a block that is not C#) would silently test nothing.
        foreach ((string document, string text) in s_documents)
        {
            Assert.True(s_marker.Count(text) == SnippetsOf(document).Length, document + " has a marker not followed by a ```csharp block");
        }

        Assert.True(SnippetsOf("README.md").Length >= 2, "expected the README's marked client and model examples");
        Assert.True(s_documents.Keys.Count(document => document.StartsWith("docs/", StringComparison.Ordinal) && SnippetsOf(document).Length > 0) >= 2,
            "expected marked examples in docs/ too (client.md, inference.md)");
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public async Task Snippet_BuildsAsPasted(string document, int index)
    {
        string snippet = SnippetsOf(document)[index];
        string directory = Path.Combine(Path.GetTempPath(), "baseten-readme-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "Program.cs"), snippet);
            await File.WriteAllTextAsync(Path.Combine(directory, "Snippet.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <Reference Include="{typeof(BasetenClient).Assembly.Location}" />
                    <Reference Include="{typeof(Baseten.Aot.Extensions.AI.BasetenChatClientExtensions).Assembly.Location}" />
                    <Reference Include="{typeof(Microsoft.Extensions.AI.IChatClient).Assembly.Location}" />
                  </ItemGroup>
                </Project>
                """);

            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
            foreach (string arg in new[] { "build", "-c", "Release", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false" })
            {
                start.ArgumentList.Add(arg);
            }

            using Process process = Process.Start(start)!;
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            string log = await output + await error;

            Assert.True(process.ExitCode == 0, $"snippet {index} of {document} does not build:\n{snippet}\n{log}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
