using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

/// <summary>
/// What a package a maintainer would publish carries, read from the .nupkg and .snupkg files
/// .ci/run packed: its own README, the MIT license, the repository with the commit packed, a symbol
/// package whose PDBs are those of the packed assemblies, SourceLink to that repository at that
/// commit for every source a PDB does not embed, and a deterministic CI build. Anything missing is
/// a failure; <see cref="Run"/> prints what it found, or every failure.
/// </summary>
internal static class PackageCheck
{
    private static readonly string[] s_packageIds = ["Baseten.Aot", "Baseten.Aot.Generator", "Baseten.Aot.Extensions.DependencyInjection", "Baseten.Aot.Extensions.AI"];
    private static readonly string[] s_requiredMetadata = ["description", "tags", "authors", "projectUrl"];

    // Custom debug information kinds of the portable PDB format.
    private static readonly Guid s_sourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly Guid s_embeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    public static int Run(string feed, string version)
    {
        var failures = new List<string>();
        foreach (string id in s_packageIds)
        {
            CheckPackage(feed, id, version, what => failures.Add(id + ": " + what));
        }

        foreach (string failure in failures)
        {
            Console.Error.WriteLine("package-check: FAILED " + failure);
        }

        return failures.Count == 0 ? 0 : 1;
    }

    private static void CheckPackage(string feed, string id, string version, Action<string> report)
    {
        // What was found is printed only where nothing failed.
        bool ok = true;
        void fail(string what)
        {
            ok = false;
            report(what);
        }

        string nupkgPath = Path.Combine(feed, id + "." + version + ".nupkg");
        string snupkgPath = Path.Combine(feed, id + "." + version + ".snupkg");
        if (!File.Exists(nupkgPath))
        {
            fail("no package " + nupkgPath);
            return;
        }

        using ZipArchive nupkg = ZipFile.OpenRead(nupkgPath);
        XElement? metadata = Nuspec(nupkg)?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata");
        if (metadata is null)
        {
            fail("no nuspec with <metadata> in the package");
            return;
        }

        foreach (string element in s_requiredMetadata)
        {
            if (string.IsNullOrWhiteSpace(Child(metadata, element)?.Value))
            {
                fail("the nuspec has no <" + element + ">");
            }
        }

        // The README nuget.org shows: this package's own, not the repository's.
        string? readme = Child(metadata, "readme")?.Value;
        string? readmeText = readme is null ? null : ReadText(nupkg, readme);
        if (readmeText is null || !readmeText.StartsWith("# " + id + "\n", StringComparison.Ordinal))
        {
            fail(readme is null ? "the nuspec names no <readme>" : "the README '" + readme + "' is missing or is not the package's own (it must start with '# " + id + "')");
        }

        XElement? license = Child(metadata, "license");
        if (license is null || (string?)license.Attribute("type") != "expression" || license.Value != "MIT")
        {
            fail("the nuspec's license is not the expression MIT");
        }

        string? licenseText = ReadText(nupkg, "LICENSE");
        if (licenseText is null || !licenseText.StartsWith("MIT License", StringComparison.Ordinal) || !licenseText.Contains("Baseten.Aot contributors", StringComparison.Ordinal))
        {
            fail("the package has no LICENSE with the MIT text in the contributors' name");
        }

        XElement? repository = Child(metadata, "repository");
        string? repositoryUrl = (string?)repository?.Attribute("url");
        string? commit = (string?)repository?.Attribute("commit");
        if ((string?)repository?.Attribute("type") != "git"
            || !Uri.TryCreate(repositoryUrl, UriKind.Absolute, out Uri? repositoryUri) || repositoryUri.Scheme != Uri.UriSchemeHttps
            || commit is not { Length: 40 } || !commit.All(char.IsAsciiHexDigitLower))
        {
            fail("the nuspec has no <repository type=\"git\"> with an https url and a full commit id");
            return;
        }

        if (!File.Exists(snupkgPath))
        {
            fail("no symbol package " + snupkgPath);
            return;
        }

        using ZipArchive snupkg = ZipFile.OpenRead(snupkgPath);
        ZipArchiveEntry[] assemblies = nupkg.Entries
            .Where(e => e.Name.StartsWith("Baseten.Aot", StringComparison.Ordinal) && e.Name.EndsWith(".dll", StringComparison.Ordinal))
            .ToArray();
        if (assemblies.Length == 0)
        {
            fail("the package holds no Baseten.Aot assembly");
        }

        // The repository's own path (owner/name) and the commit must be in every SourceLink target.
        string repositoryPath = repositoryUri.AbsolutePath.Trim('/');
        repositoryPath = repositoryPath.EndsWith(".git", StringComparison.Ordinal) ? repositoryPath[..^4] : repositoryPath;
        foreach (ZipArchiveEntry assembly in assemblies)
        {
            string pdbPath = assembly.FullName[..^".dll".Length] + ".pdb";
            ZipArchiveEntry? pdb = snupkg.GetEntry(pdbPath);
            if (pdb is null)
            {
                fail("the symbol package has no " + pdbPath);
                continue;
            }

            bool symbolsOk = true;
            string summary = CheckSymbols(assembly, pdb, repositoryPath, commit, what =>
            {
                symbolsOk = false;
                fail(assembly.FullName + ": " + what);
            });
            if (symbolsOk)
            {
                Console.WriteLine("package-check: " + id + " " + assembly.FullName + ": " + summary);
            }
        }

        if (ok)
        {
            Console.WriteLine("package-check: " + id + ": README, license MIT, repository " + repositoryUrl + " at " + commit + ", symbols " + Path.GetFileName(snupkgPath));
        }
    }

    private static string CheckSymbols(ZipArchiveEntry assembly, ZipArchiveEntry pdb, string repositoryPath, string commit, Action<string> fail)
    {
        using var peReader = new PEReader(Copy(assembly));
        using MetadataReaderProvider pdbProvider = MetadataReaderProvider.FromPortablePdbStream(Copy(pdb));
        MetadataReader symbols = pdbProvider.GetMetadataReader();

        // Deterministic: the compiler marks a reproducible build in the debug directory.
        var directory = peReader.ReadDebugDirectory();
        if (!directory.Any(entry => entry.Type == DebugDirectoryEntryType.Reproducible))
        {
            fail("not a deterministic build (no Reproducible debug directory entry)");
        }

        // The PDB is this assembly's: the CodeView entry names the PDB's id (a GUID and a stamp).
        DebugDirectoryEntry codeView = directory.FirstOrDefault(entry => entry.Type == DebugDirectoryEntryType.CodeView);
        byte[] pdbId = symbols.DebugMetadataHeader?.Id.ToArray() ?? [];
        if (codeView.Type != DebugDirectoryEntryType.CodeView || pdbId.Length != 20
            || peReader.ReadCodeViewDebugDirectoryData(codeView).Guid != new Guid(pdbId.AsSpan(0, 16))
            || codeView.Stamp != BitConverter.ToUInt32(pdbId, 16))
        {
            fail("the symbol package's PDB is not the one built with this assembly");
        }

        var map = new List<(string Key, string Target)>();
        foreach (CustomDebugInformationHandle handle in symbols.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
        {
            CustomDebugInformation information = symbols.GetCustomDebugInformation(handle);
            if (symbols.GetGuid(information.Kind) == s_sourceLinkKind)
            {
                using JsonDocument json = JsonDocument.Parse(symbols.GetBlobBytes(information.Value));
                foreach (JsonProperty document in json.RootElement.GetProperty("documents").EnumerateObject())
                {
                    map.Add((document.Name, document.Value.GetString() ?? string.Empty));
                }
            }
        }

        if (map.Count == 0)
        {
            fail("the PDB has no SourceLink map");
        }

        foreach ((string key, string target) in map)
        {
            if (!target.StartsWith("https://", StringComparison.Ordinal) || !target.Contains("/" + repositoryPath + "/", StringComparison.Ordinal) || !target.Contains("/" + commit + "/", StringComparison.Ordinal))
            {
                fail("SourceLink maps " + key + " to " + target + ", not to " + repositoryPath + " at " + commit);
            }
        }

        // Every source a debugger may open is either inside the PDB or behind the SourceLink map; a
        // CI build has no machine paths in it (ContinuousIntegrationBuild maps the root to /_/).
        int linked = 0, embedded = 0;
        var machinePaths = new List<string>();
        var unreachable = new List<string>();
        foreach (DocumentHandle handle in symbols.Documents)
        {
            string name = symbols.GetString(symbols.GetDocument(handle).Name);
            if (!name.StartsWith("/_/", StringComparison.Ordinal))
            {
                machinePaths.Add(name);
            }

            if (symbols.GetCustomDebugInformation(handle).Any(h => symbols.GetGuid(symbols.GetCustomDebugInformation(h).Kind) == s_embeddedSourceKind))
            {
                embedded++;
            }
            else if (name.Contains("/obj/", StringComparison.Ordinal) || !map.Any(entry => Covers(entry.Key, name)))
            {
                unreachable.Add(name);
            }
            else
            {
                linked++;
            }
        }

        if (machinePaths.Count > 0)
        {
            fail(machinePaths.Count + " source paths are a machine's, not /_/... (not a ContinuousIntegrationBuild), e.g. " + machinePaths[0]);
        }

        if (unreachable.Count > 0)
        {
            fail(unreachable.Count + " sources are neither embedded in the PDB nor in the repository SourceLink points at, e.g. " + unreachable[0]);
        }

        return "deterministic, PDB in the symbol package, " + linked + " sources by SourceLink (" + string.Join(", ", map.Select(entry => entry.Target)) + "), " + embedded + " embedded";
    }

    // A SourceLink key is a path, or a prefix ending in '*'.
    private static bool Covers(string key, string path)
        => key.EndsWith('*') ? path.StartsWith(key[..^1], StringComparison.Ordinal) : path == key;

    private static XElement? Child(XElement parent, string localName)
        => parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static XElement? Nuspec(ZipArchive package)
    {
        ZipArchiveEntry? entry = package.Entries.FirstOrDefault(e => !e.FullName.Contains('/') && e.Name.EndsWith(".nuspec", StringComparison.Ordinal));
        if (entry is null)
        {
            return null;
        }

        using Stream stream = entry.Open();
        return XDocument.Load(stream).Root;
    }

    private static string? ReadText(ZipArchive package, string path)
    {
        ZipArchiveEntry? entry = package.GetEntry(path.Replace('\\', '/'));
        if (entry is null)
        {
            return null;
        }

        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    // Zip entry streams cannot seek; the PE and PDB readers need to.
    private static MemoryStream Copy(ZipArchiveEntry entry)
    {
        var copy = new MemoryStream();
        using (Stream stream = entry.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        return copy;
    }
}
