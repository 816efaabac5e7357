using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

/// <summary>
/// The shaping step: the whole document in, the C# model (<see cref="ApiSpec"/>) and what cannot be
/// expressed out. Names are claimed here, once, in document order.
/// </summary>
internal static class Shaper
{
    public static ShapeResult Shape(ParseResult parsed, CancellationToken cancellationToken = default)
        => Shape(parsed, OperationScope.None, cancellationToken);

    /// <summary>Shapes the part of the document <paramref name="scope"/> keeps, grouped as it says.</summary>
    public static ShapeResult Shape(ParseResult parsed, OperationScope scope, CancellationToken cancellationToken)
    {
        if (parsed.Document is not { } document)
        {
            return new ShapeResult(null, parsed.Diagnostics);
        }

        var diagnostics = new DiagnosticBag(document.FilePath);
        diagnostics.AddRange(parsed.Diagnostics);
        ApiSpec? spec;
        try
        {
            spec = Shape(document, scope, diagnostics, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bug of ours must still surface as a diagnostic (its own id, at the file), never as CS8785.
            diagnostics.Add(DiagnosticDescriptors.GeneratorFailure, default(TextMark), default(TextMark), "shape", exception.GetType().Name + ": " + exception.Message);
            spec = null;
        }

        return new ShapeResult(diagnostics.HasErrors ? null : spec, diagnostics.ToEquatableArray()) { SourcePath = document.FilePath };
    }

    private static ApiSpec? Shape(OpenApiDocument document, OperationScope scope, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        string clientName = document.ClientName ?? string.Empty;
        string ns = document.Namespace ?? string.Empty;
        bool valid = true;
        if (!NameRules.IsIdentifier(clientName))
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidOption, default(TextMark), default(TextMark), "BasetenClientName", clientName, "a C# type name such as PetsClient");
            valid = false;
        }

        if (!NameRules.IsNamespace(ns))
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidOption, default(TextMark), default(TextMark), "BasetenNamespace", ns, "a C# namespace such as Pets or Contoso.Pets");
            valid = false;
        }

        bool? perTag = scope.PerTag();
        if (perTag is null)
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidOption, default(TextMark), default(TextMark), OperationScope.ClientPerTagName, scope.ClientPerTag!, "true or false");
            valid = false;
        }

        if (!valid)
        {
            return null;
        }

        string contextName = ContextName(clientName);
        string interfaceName = InterfaceName(clientName);
        var typeNames = new NameTable(null, clientName, contextName, interfaceName, ReservedNames.PropertyNamesClass);
        WebhookShaper.Reserve(typeNames, document, clientName);
        var types = new TypeShaper(diagnostics, typeNames, ns);

        // Methods are named over the whole document, so that a method's name does not depend on
        // what else the scope keeps; the scope then picks operations, and only the schemas they
        // reach are built.
        List<(string Name, string Candidate)> names = OperationNamer.Name(document.Operations);
        List<int> kept = scope.Select(document.Operations, diagnostics);
        List<OperationObject> keptOperations = kept.Select(i => document.Operations[i]).ToList();
        types.AddComponents(scope.Filters ? Reachability.Reachable(document.Schemas, keptOperations.Concat(WebhookShaper.Roots(document))) : document.Schemas);
        cancellationToken.ThrowIfCancellationRequested();

        AuthSpec? auth = Auth(document, keptOperations);
        var operationShaper = new OperationShaper(diagnostics, types, auth);
        var operations = new List<OperationSpec>();
        var sources = new List<(OperationObject Operation, int Index)>();
        foreach (int i in kept)
        {
            cancellationToken.ThrowIfCancellationRequested();
            OperationObject operation = document.Operations[i];
            if (names[i].Name != names[i].Candidate)
            {
                diagnostics.Add(DiagnosticDescriptors.NameCollision, operation.MethodSpan, operation.Method + " " + operation.Path, names[i].Candidate + "Async", names[i].Name + "Async");
            }

            if (operationShaper.Shape(operation, names[i].Name) is { } spec)
            {
                operations.Add(spec);
                sources.Add((operation, i));
            }
        }

        // A walker whose name an operation already has is left out rather than renamed.
        var methodNames = new HashSet<string>(operations.Select(o => o.MethodName), StringComparer.Ordinal);
        methodNames.Add(clientName);
        for (int i = 0; i < operations.Count; i++)
        {
            if (operations[i].Pagination is { } pagination && !methodNames.Add(pagination.MethodName))
            {
                operations[i] = operations[i] with { Pagination = null };
            }
        }

        EquatableArray<ServerSpec> servers = Servers(document, methodNames);
        List<OperationSpec> rootOperations = operations;
        EquatableArray<SubClientSpec> subClients = EquatableArray<SubClientSpec>.Empty;
        if (perTag == true)
        {
            string?[] withinTags = SubClientShaper.NamesWithinTags(document.Operations, names);
            var grouped = operations.Select((spec, at) => (spec, sources[at].Operation, withinTags[sources[at].Index])).ToList();
            var members = new NameTable(null, [.. methodNames, .. servers.Select(s => s.MethodName), .. ReservedNames.ClientMembers]);
            (rootOperations, subClients) = SubClientShaper.Group(grouped, typeNames, members, withInterfaces: true);
        }

        WebhooksSpec? webhooks = WebhookShaper.Shape(document, operations, sources, operationShaper, diagnostics);
        var models = types.Models.Select(WithEncodedNameFields).ToEquatableArray();
        var enums = types.Enums.ToEquatableArray();
        var unions = types.Unions.ToEquatableArray();
        return new ApiSpec(
            ns,
            clientName,
            contextName,
            document.Title ?? clientName,
            DefaultServer(document),
            models,
            enums,
            unions,
            rootOperations.ToEquatableArray(),
            JsonTypeCollector.Collect(models, enums, unions, operations, contextName))
        {
            InterfaceName = interfaceName,
            Auth = auth,
            Servers = servers,
            CredentialVariable = document.CredentialVariable,
            OptionsConstructors = document.OptionsConstructors,
            SubClients = subClients,
            Webhooks = webhooks,
        };
    }

    // Each model's pre-encoded names sit in a class named after the model, whose members cannot take
    // its name: an inherited property that has it gets a numbered field (the model's own properties
    // never have it). Named here so that the emitter only reads names.
    private static ModelSpec WithEncodedNameFields(ModelSpec model)
    {
        var fields = new NameTable(null, model.Name);
        return model with { Properties = model.Properties.Select(p => p with { EncodedNameField = fields.Claim(p.Name) }).ToEquatableArray() };
    }

    // The scheme of the document's first security requirement (or its first scheme, when no
    // requirement names one): what the options constructors turn the credential into. Of a scoped
    // document, the requirements of the operations it keeps.
    private static AuthSpec? Auth(OpenApiDocument document, List<OperationObject> operations)
    {
        SecuritySchemeObject? chosen = null;
        IEnumerable<string> required = document.GlobalSecurity.Concat(operations.SelectMany(o => o.Security ?? EquatableArray<string>.Empty));
        foreach (string name in required)
        {
            chosen = document.SecuritySchemes.FirstOrDefault(s => s.Key == name);
            if (chosen is not null)
            {
                break;
            }
        }

        chosen ??= document.SecuritySchemes.Count > 0 ? document.SecuritySchemes[0] : null;
        if (chosen is null)
        {
            return null;
        }

        return (chosen.Type.ToLowerInvariant(), chosen.Scheme?.ToLowerInvariant(), chosen.In) switch
        {
            ("http", "bearer", _) or ("oauth2", _, _) or ("openidconnect", _, _) => new AuthSpec(AuthKind.Bearer, "Bearer", chosen.Description),
            ("http", "basic", _) => new AuthSpec(AuthKind.Basic, "Basic", chosen.Description),
            ("http", { } scheme, _) when NameRules.IsToken(scheme) => new AuthSpec(AuthKind.Scheme, chosen.Scheme!, chosen.Description),
            ("apikey", _, "header") when chosen.ParameterName is { } header && NameRules.IsToken(header) => new AuthSpec(AuthKind.ApiKeyHeader, header, chosen.Description),
            ("apikey", _, "query") when chosen.ParameterName is { } query => new AuthSpec(AuthKind.ApiKeyQuery, query, chosen.Description),
            ("apikey", _, "cookie") when chosen.ParameterName is { } cookie && NameRules.IsToken(cookie) => new AuthSpec(AuthKind.ApiKeyCookie, cookie, chosen.Description),
            _ => null,
        };
    }

    // A static method per server whose URL has variables: https://model-{model_id}.api.baseten.co.
    private static EquatableArray<ServerSpec> Servers(OpenApiDocument document, HashSet<string> taken)
    {
        var result = new List<ServerSpec>();
        var names = new NameTable(null, [.. taken, .. ReservedNames.ClientMembers]);
        for (int i = 0; i < document.Servers.Count; i++)
        {
            ServerObject server = document.Servers[i];
            if (server.Variables.Count == 0)
            {
                continue;
            }

            var parameters = new NameTable(null, "value");
            var variables = new List<ServerVariableSpec>();
            var segments = new List<PathSegmentSpec>();
            int at = 0;
            while (at < server.Url.Length)
            {
                int open = server.Url.IndexOf('{', at);
                int close = open < 0 ? -1 : server.Url.IndexOf('}', open);
                if (open < 0 || close < 0)
                {
                    segments.Add(new PathSegmentSpec(server.Url.Substring(at), -1));
                    break;
                }

                if (open > at)
                {
                    segments.Add(new PathSegmentSpec(server.Url.Substring(at, open - at), -1));
                }

                string variable = server.Url.Substring(open + 1, close - open - 1);
                int index = variables.FindIndex(v => v.WireName == variable);
                if (index < 0)
                {
                    ServerVariableObject? declared = server.Variables.FirstOrDefault(v => v.Name == variable);
                    string? defaultValue = declared?.Default is { Length: > 0 } d && d.IndexOfAny(['{', '}']) < 0 ? d : null;
                    variables.Add(new ServerVariableSpec(parameters.Claim(NameRules.ToCamelCase(variable, "variable")), variable, defaultValue, declared?.Description));
                    index = variables.Count - 1;
                }

                segments.Add(new PathSegmentSpec(null, index));
                at = close + 1;
            }

            string name = names.Claim((server.Description is { } description ? NameRules.FromSentence(description, "Server", imperative: false) : "Server" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)) + "Address");
            result.Add(new ServerSpec(name, server.Url, segments.ToEquatableArray(), variables.ToEquatableArray(), server.Description));
        }

        return result.ToEquatableArray();
    }

    /// <summary><c>BasetenClient</c> -> <c>BasetenJsonContext</c>; <c>Pets</c> -> <c>PetsJsonContext</c>.</summary>
    public static string ContextName(string clientName)
        => (clientName.EndsWith("Client", StringComparison.Ordinal) && clientName.Length > "Client".Length
            ? clientName.Substring(0, clientName.Length - "Client".Length)
            : clientName) + "JsonContext";

    /// <summary><c>PetsClient</c> -> <c>IPetsClient</c>: the interface the client implements.</summary>
    public static string InterfaceName(string clientName) => "I" + clientName;

    private static string? DefaultServer(OpenApiDocument document)
    {
        if (document.Servers.Count > 0
            && document.Servers[0].Variables.Count == 0
            && Uri.TryCreate(document.Servers[0].Url, UriKind.Absolute, out Uri? uri)
            && (uri.Scheme == "https" || uri.Scheme == "http"))
        {
            return document.Servers[0].Url;
        }

        return null;
    }
}
