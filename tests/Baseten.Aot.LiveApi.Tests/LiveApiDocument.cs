using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Baseten.Aot.Tests;

namespace Baseten.Aot.LiveApi.Tests;

/// <summary>One operation of the document: its method, path template, parameters and body schema.</summary>
public sealed record LiveOperation(string Method, string Template, IReadOnlyList<LiveParameter> Parameters, JsonElement? BodySchema, bool BodyRequired)
{
    /// <summary>How tests name it: <c>"GET /v1/models/{model_id}"</c>.</summary>
    public string Key => Method + " " + Template;

    public override string ToString() => Key;
}

/// <summary>A path or query parameter, path-level and operation-level merged, references resolved.</summary>
public sealed record LiveParameter(string Name, string In, bool Required, JsonElement Schema);

/// <summary>
/// Baseten's live management document (<c>../shared/baseten/management.openapi.json</c>), read in
/// place with <see cref="JsonDocument"/>: the operations the generated client must cover, and the
/// schemas the harness synthesizes values from.
/// </summary>
public sealed class LiveApiDocument
{
    private static readonly string[] s_methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private readonly JsonDocument _document;

    private LiveApiDocument(JsonDocument document)
    {
        _document = document;
        var operations = new List<LiveOperation>();
        foreach (JsonProperty path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            List<LiveParameter> pathLevel = ReadParameters(path.Value);
            foreach (JsonProperty entry in path.Value.EnumerateObject())
            {
                if (!s_methods.Contains(entry.Name, StringComparer.Ordinal))
                {
                    continue;
                }

                // Operation-level parameters override path-level ones with the same name and location.
                List<LiveParameter> own = ReadParameters(entry.Value);
                var parameters = own.Concat(pathLevel.Where(p => !own.Any(o => o.Name == p.Name && o.In == p.In))).ToList();
                JsonElement? body = null;
                bool bodyRequired = false;
                if (entry.Value.TryGetProperty("requestBody", out JsonElement requestBody))
                {
                    requestBody = Resolve(requestBody);
                    bodyRequired = requestBody.TryGetProperty("required", out JsonElement required) && required.GetBoolean();
                    body = requestBody.GetProperty("content").GetProperty("application/json").GetProperty("schema");
                }

                operations.Add(new LiveOperation(entry.Name.ToUpperInvariant(), path.Name, parameters, body, bodyRequired));
            }
        }

        Operations = operations;
    }

    /// <summary>Where the document is: beside the checkout, at <c>../shared/baseten/</c>.</summary>
    public static string DocumentPath { get; } = Path.GetFullPath(Path.Combine(Repository.Root, "..", "shared", "baseten", "management.openapi.json"));

    public static LiveApiDocument Instance { get; } = Load();

    /// <summary>Every operation of the document, in document order.</summary>
    public IReadOnlyList<LiveOperation> Operations { get; }

    public LiveOperation this[string key] => Operations.Single(o => o.Key == key);

    /// <summary>Follows <c>$ref</c>s (local <c>#/...</c> pointers) until the schema is not a reference.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        for (int hops = 0; schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out JsonElement reference); hops++)
        {
            if (hops > 64)
            {
                throw new InvalidOperationException("A $ref chain does not end: " + reference.GetString());
            }

            schema = At(reference.GetString()!);
        }

        return schema;
    }

    /// <summary>The element at a local JSON pointer such as <c>#/components/schemas/ModelV1</c>.</summary>
    public JsonElement At(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Only local references are expected in the document: " + reference);
        }

        JsonElement current = _document.RootElement;
        foreach (string raw in reference[2..].Split('/'))
        {
            current = current.GetProperty(raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        return current;
    }

    /// <summary>
    /// The operation a request was sent to: the template whose segments match the path's, a
    /// <c>{x}</c> segment matching any one segment; where several match, the one with literal
    /// segments earliest wins (<c>/deployments/development</c> over <c>/deployments/{deployment_id}</c>),
    /// as OpenAPI routes them.
    /// </summary>
    public LiveOperation? Match(string method, string absolutePath)
    {
        string[] segments = absolutePath.Split('/');
        LiveOperation? best = null;
        string[]? bestSegments = null;
        foreach (LiveOperation operation in Operations)
        {
            if (operation.Method != method)
            {
                continue;
            }

            string[] template = operation.Template.Split('/');
            if (template.Length != segments.Length || !template.Zip(segments).All(p => IsParameter(p.First) || p.First == Uri.UnescapeDataString(p.Second)))
            {
                continue;
            }

            if (best is null || MoreSpecific(template, bestSegments!))
            {
                best = operation;
                bestSegments = template;
            }
        }

        return best;
    }

    private static bool MoreSpecific(string[] candidate, string[] current)
    {
        for (int i = 0; i < candidate.Length; i++)
        {
            bool a = IsParameter(candidate[i]);
            bool b = IsParameter(current[i]);
            if (a != b)
            {
                return !a;
            }
        }

        return false;
    }

    private static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');

    private List<LiveParameter> ReadParameters(JsonElement owner)
    {
        var list = new List<LiveParameter>();
        if (owner.TryGetProperty("parameters", out JsonElement parameters))
        {
            foreach (JsonElement raw in parameters.EnumerateArray())
            {
                JsonElement parameter = Resolve(raw);
                string location = parameter.GetProperty("in").GetString()!;
                bool required = location == "path" || (parameter.TryGetProperty("required", out JsonElement r) && r.GetBoolean());
                list.Add(new LiveParameter(parameter.GetProperty("name").GetString()!, location, required, parameter.GetProperty("schema")));
            }
        }

        return list;
    }

    private static LiveApiDocument Load()
    {
        if (!File.Exists(DocumentPath))
        {
            throw new InvalidOperationException($"Baseten's management document is not at {DocumentPath}: the tests read it from ../shared beside the checkout.");
        }

        return new LiveApiDocument(JsonDocument.Parse(File.ReadAllBytes(DocumentPath)));
    }
}
