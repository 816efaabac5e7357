using System;
using System.Collections.Generic;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Parsing;

// $ref: JSON pointers followed through the document, and relative references into other files, which
// must be AdditionalFiles of the compilation (a generator does not read the disk: see generator/README.md,
// "Documents in several files"). A schema reached in another file becomes a named schema of the document,
// once per target, so that the shaper sees one document whatever the number of files.
internal sealed partial class OpenApiParser
{
    private const string SchemaPrefix = "#/components/schemas/";

    // The other files this document may reach, by normalized path (read as YAML when first reached).
    private readonly Dictionary<string, OtherFile> _otherFiles = new(FilePaths.Comparer);

    // A target in another file ("path#pointer") to the name of the schema it is read as.
    private readonly Dictionary<string, string> _externalNames = new(StringComparer.Ordinal);

    // Schemas of other files, named, waiting to be read (reading one may add more).
    private readonly List<KeyValuePair<string, YamlNode>> _pendingSchemas = new();

    // The components/schemas entries that are a reference to another file: read where they point.
    private readonly Dictionary<YamlNode, YamlNode> _componentTargets = new();

    private HashSet<string>? _schemaNames;

    private sealed class OtherFile
    {
        public OtherFile(string key, string path, string text)
        {
            Key = key;
            Path = path;
            Text = text;
        }

        /// <summary>The normalized path: the file's identity.</summary>
        public string Key { get; }

        /// <summary>The path as the compilation gives it: where its diagnostics are reported.</summary>
        public string Path { get; }

        public string Text { get; }

        public bool Read { get; set; }

        public YamlNode? Root { get; set; }
    }

    private void AddReferencedFiles(EquatableArray<ReferencedFile> files)
    {
        foreach (ReferencedFile file in files)
        {
            string key = FilePaths.Normalize(file.Path);
            if (!_otherFiles.ContainsKey(key))
            {
                _otherFiles.Add(key, new OtherFile(key, file.Path, file.Text));
            }
        }
    }

    // Follows "$ref" through references to references, across files, without looping.
    private YamlNode? Resolve(YamlNode node)
    {
        var seen = new HashSet<YamlNode>();
        while (node is YamlMapping mapping && mapping["$ref"] is { } reference)
        {
            if (reference is not YamlScalar scalar)
            {
                _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, reference, "(not a string)", "a reference is a string");
                return null;
            }

            if (!seen.Add(node))
            {
                _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, reference, scalar.Value, "it leads back to itself");
                return null;
            }

            if (!TryFollow(scalar, report: true, out _, out _, out YamlNode? target))
            {
                return null;
            }

            node = target!;
        }

        return node;
    }

    /// <summary>The node a local JSON pointer (<c>#/components/parameters/id</c>, <c>#/paths/~1a/get</c>) names in the document, or null.</summary>
    private YamlNode? ResolvePointer(string pointer)
        => pointer.StartsWith("#/", StringComparison.Ordinal) && _root is not null ? Walk(_root, pointer.Substring(1)) : null;

    /// <summary>
    /// A schema's <c>$ref</c> that names another file, or is written in one, as the document's schemas
    /// see it: <c>#/...</c> for a target in the document itself, <c>#/components/schemas/Name</c> for a
    /// target elsewhere (named once per target); null, reported at the reference, when it leads nowhere.
    /// </summary>
    private string? SchemaReference(YamlScalar reference)
    {
        if (!TryFollow(reference, report: true, out string? file, out string fragment, out YamlNode? target))
        {
            return null;
        }

        if (file is null)
        {
            return "#" + fragment;
        }

        string id = file + "#" + fragment;
        if (!_externalNames.TryGetValue(id, out string? name))
        {
            name = ClaimSchemaName(fragment.Length == 0 ? FilePaths.Stem(file) : UnescapePointer(fragment.Substring(fragment.LastIndexOf('/') + 1)));
            _externalNames.Add(id, name);
            _pendingSchemas.Add(new KeyValuePair<string, YamlNode>(name, target!));
        }

        return SchemaPrefix + EscapePointer(name);
    }

    // "Pet: {$ref: './pet.yaml'}" in components/schemas: the target is read as Pet itself, so that a
    // document split into files generates what the same document in one file does.
    private void ClaimComponentTargets(YamlMapping schemas)
    {
        _schemaNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<YamlScalar, YamlNode> entry in schemas.Entries)
        {
            _schemaNames.Add(entry.Key.Value);
        }

        foreach (KeyValuePair<YamlScalar, YamlNode> entry in schemas.Entries)
        {
            if (entry.Value is YamlMapping { Entries.Count: 1 } only && only["$ref"] is YamlScalar reference
                && FilePaths.FilePart(reference.Value).Length > 0
                && TryFollow(reference, report: false, out string? file, out string fragment, out YamlNode? target)
                && file is not null
                && !_externalNames.ContainsKey(file + "#" + fragment))
            {
                _externalNames.Add(file + "#" + fragment, entry.Key.Value);
                _componentTargets.Add(entry.Value, target!);
            }
        }
    }

    /// <summary>What a components/schemas entry is read from: the entry, or the other file's schema it stands for.</summary>
    private YamlNode ComponentSchema(YamlNode entry) => _componentTargets.TryGetValue(entry, out YamlNode? target) ? target : entry;

    // The schemas reached in other files join the document's named schemas, after its own.
    private OpenApiDocument WithReferencedSchemas(OpenApiDocument document)
    {
        if (_pendingSchemas.Count == 0)
        {
            return document;
        }

        var schemas = new List<NamedSchema>(document.Schemas);
        for (int i = 0; i < _pendingSchemas.Count; i++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            KeyValuePair<string, YamlNode> pending = _pendingSchemas[i];
            schemas.Add(new NamedSchema(pending.Key, SourceSpan.Of(pending.Value), _schemas.Read(pending.Value, pending.Key)));
        }

        return document with { Schemas = schemas.ToEquatableArray() };
    }

    private string ClaimSchemaName(string wanted)
    {
        _schemaNames ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string stem = wanted.Length == 0 ? "Schema" : wanted;
        string name = stem;
        for (int i = 2; !_schemaNames.Add(name); i++)
        {
            name = stem + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    // Where a reference points: the file (null for the document) and the JSON pointer in it, and the
    // node there; false, reported at the reference when asked, when there is no such file or node.
    private bool TryFollow(YamlScalar reference, bool report, out string? file, out string fragment, out YamlNode? target)
    {
        string text = reference.Value;
        file = reference.FilePath is null ? null : FilePaths.Normalize(reference.FilePath);
        fragment = FilePaths.Fragment(text);
        target = null;
        string? problem = null;
        string part = FilePaths.FilePart(text);
        if (FilePaths.IsRemote(text))
        {
            problem = "remote references are not followed; save the file beside the document and add it as an AdditionalFile";
        }
        else if (part.Length > 0)
        {
            string path = FilePaths.Resolve(reference.FilePath ?? _file.Path, part);
            if (FilePaths.Comparer.Equals(path, FilePaths.Normalize(_file.Path)))
            {
                file = null;
            }
            else if (_otherFiles.TryGetValue(path, out OtherFile? other))
            {
                file = other.Key;
            }
            else
            {
                problem = "the file '" + path + "' is not an AdditionalFile of the compilation (a generator reads no other file); add it, for example <AdditionalFiles Include=\"" + FilePaths.Glob(_file.Path, path) + "\" />";
            }
        }

        if (problem is null && fragment.Length > 0 && fragment[0] != '/')
        {
            problem = "only JSON pointers ('#/...') are followed, not anchors or names";
        }

        YamlNode? root = problem is not null ? null : file is null ? _root : Load(_otherFiles[file]);
        if (problem is null && root is null)
        {
            problem = "the file '" + file + "' could not be read (see its own diagnostic)";
        }

        if (problem is null)
        {
            target = Walk(root!, fragment);
            if (target is null)
            {
                problem = "nothing is at '#" + fragment + "' in " + (file is null ? "this document" : "the file '" + file + "'");
            }
        }

        if (problem is not null && report)
        {
            _diagnostics.Add(DiagnosticDescriptors.UnresolvedReference, reference, text, problem);
        }

        return problem is null;
    }

    // Reads another file once, reporting its syntax errors in it; every node it holds knows its file.
    private YamlNode? Load(OtherFile file)
    {
        if (file.Read)
        {
            return file.Root;
        }

        file.Read = true;
        var duplicateKeys = new List<YamlTreeReader.Error>();
        YamlNode? root = YamlTreeReader.Read(file.Text, out YamlTreeReader.Error? error, duplicateKeys);
        foreach (YamlTreeReader.Error duplicate in duplicateKeys)
        {
            _diagnostics.AddIn(file.Path, DiagnosticDescriptors.InvalidStructure, duplicate.Start, duplicate.End, duplicate.Message, "unique within its mapping", "the first one is read and this one is ignored");
        }

        if (error is not null)
        {
            DiagnosticDescriptor descriptor = error.ErrorKind == YamlTreeReader.Error.Kind.Limit ? DiagnosticDescriptors.TooComplex : DiagnosticDescriptors.InvalidSyntax;
            _diagnostics.AddIn(file.Path, descriptor, error.Start, error.End, error.Message);
            return null;
        }

        MarkFile(root, file.Path);
        file.Root = root;
        return root;
    }

    private static void MarkFile(YamlNode? root, string path)
    {
        var pending = new Stack<YamlNode>();
        if (root is not null)
        {
            pending.Push(root);
        }

        while (pending.Count > 0)
        {
            YamlNode node = pending.Pop();
            if (node.FilePath is not null)
            {
                continue; // an alias's subtree, already marked
            }

            node.FilePath = path;
            if (node is YamlSequence sequence)
            {
                sequence.Items.ForEach(pending.Push);
            }
            else if (node is YamlMapping mapping)
            {
                foreach (KeyValuePair<YamlScalar, YamlNode> entry in mapping.Entries)
                {
                    entry.Key.FilePath = path;
                    pending.Push(entry.Value);
                }
            }
        }
    }

    // The node at a JSON pointer ("" is the root, "/a/0/b~1c" a path through it), or null.
    private static YamlNode? Walk(YamlNode root, string pointer)
    {
        YamlNode? node = root;
        if (pointer.Length == 0)
        {
            return node;
        }

        foreach (string segment in pointer.Substring(1).Split('/'))
        {
            string key = UnescapePointer(segment);
            node = node switch
            {
                YamlMapping mapping => mapping[key],
                YamlSequence sequence when int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index) && index < sequence.Items.Count => sequence.Items[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>A JSON pointer segment as written in a <c>$ref</c>: percent-escapes, then <c>~1</c> and <c>~0</c>.</summary>
    public static string UnescapePointer(string segment)
        => Uri.UnescapeDataString(segment).Replace("~1", "/").Replace("~0", "~");

    /// <summary>The inverse of <see cref="UnescapePointer"/>, for a name put into a pointer.</summary>
    private static string EscapePointer(string name)
        => name.Replace("%", "%25").Replace("~", "~0").Replace("/", "~1");
}
