using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace Baseten.Aot.Tests;

/// <summary>
/// The README's C# examples that stand on their own (each marked by the comment
/// <c>&lt;!-- compiled by ReadmeSnippetTests --&gt;</c> on the line before it) build as pasted into a
/// new console project (implicit usings, nullable, warnings as errors) that references this runtime,
/// so a renamed type or a missing using cannot rot in the documentation.
/// </summary>
public sealed class ReadmeSnippetTests
{
    private const string Marker = "<!-- compiled by ReadmeSnippetTests -->";

    private static readonly string s_readme = File.ReadAllText(Path.Combine(PrismFixture.RepositoryRoot, "README.md")).ReplaceLineEndings("\n");

    private static readonly string[] s_snippets = Regex.Matches(s_readme, Regex.Escape(Marker) + @"\n```csharp\n(.*?)```", RegexOptions.Singleline)
        .Select(match => match.Groups[1].Value)
        .ToArray();

    public static TheoryData<int> Snippets() => new(Enumerable.Range(0, s_snippets.Length));

    [Fact]
    public void TheReadmeMarksTheSnippetsItShouldCompile()
    {
        // The client and model examples; a marker left without its block would silently test nothing.
        Assert.Equal(Regex.Count(s_readme, Regex.Escape(Marker)), s_snippets.Length);
        Assert.True(s_snippets.Length >= 2, "expected the marked client and model examples");
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public async Task Snippet_BuildsAsPasted(int index)
    {
        string snippet = s_snippets[index];
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

            Assert.True(process.ExitCode == 0, "the README snippet does not build:\n" + snippet + "\n" + log);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
