using System;
using System.Collections.Generic;
using System.Linq;
using Baseten.Aot.Generator.Diagnostics;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

/// <summary>
/// Shapes a document's webhooks and the callbacks of the operations a client keeps into one static
/// class of <c>Parse...</c> methods. Each reads the JSON request body of the hook's operation as the
/// type a request body of that schema gets, so payloads share the models, unions and JSON context
/// of the client. A webhook is <c>Parse&lt;Webhook&gt;</c>; a callback is
/// <c>Parse&lt;Operation&gt;&lt;Callback&gt;</c>, after the client method that registers it.
/// </summary>
internal static class WebhookShaper
{
    /// <summary><c>PetsClient</c> -> <c>PetsWebhooks</c>; <c>Pets</c> -> <c>PetsWebhooks</c>.</summary>
    public static string ClassName(string clientName)
        => (clientName.EndsWith("Client", StringComparison.Ordinal) && clientName.Length > "Client".Length
            ? clientName.Substring(0, clientName.Length - "Client".Length)
            : clientName) + "Webhooks";

    /// <summary>Claims the class's name before the document's schemas are named, so that a schema of that name is renamed.</summary>
    public static void Reserve(NameTable typeNames, OpenApiDocument document, string clientName)
    {
        if (document.Webhooks.Count > 0 || document.Operations.Any(o => o.Callbacks.Count > 0))
        {
            typeNames.TryClaim(ClassName(clientName));
        }
    }

    /// <summary>The webhooks' operations: roots of reachability besides the kept operations (which bring their callbacks).</summary>
    public static IEnumerable<OperationObject> Roots(OpenApiDocument document) => document.Webhooks.SelectMany(w => w.Operations);

    /// <summary>
    /// The payload readers of the document's webhooks and of the callbacks of <paramref name="operations"/>
    /// (the shaped operations, aligned with <paramref name="sources"/>); null when there are none.
    /// </summary>
    public static WebhooksSpec? Shape(
        OpenApiDocument document,
        List<OperationSpec> operations,
        List<(OperationObject Operation, int Index)> sources,
        OperationShaper shaper,
        DiagnosticBag diagnostics)
    {
        string clientName = document.ClientName ?? string.Empty;
        var names = new NameTable(null, [ClassName(clientName), .. ReservedNames.ObjectMembers]);
        var payloads = new List<WebhookSpec>();
        foreach (HookObject webhook in document.Webhooks)
        {
            Add(webhook, NameRules.ToPascalCase(webhook.Name, "Webhook"), null);
        }

        for (int i = 0; i < operations.Count; i++)
        {
            string method = operations[i].MethodName;
            string operationName = method.EndsWith("Async", StringComparison.Ordinal) ? method.Substring(0, method.Length - "Async".Length) : method;
            foreach (HookObject callback in sources[i].Operation.Callbacks)
            {
                Add(callback, operationName + NameRules.ToPascalCase(callback.Name, "Callback"), method);
            }
        }

        return payloads.Count == 0 ? null : new WebhooksSpec(ClassName(clientName), payloads.ToEquatableArray());

        void Add(HookObject hook, string baseName, string? operationMethod)
        {
            string kind = operationMethod is null ? "webhook '" + hook.Name + "'" : "callback '" + hook.Name + "' of " + operationMethod;
            bool first = true;
            foreach (OperationObject operation in hook.Operations)
            {
                // The POST usually; any method with a JSON body has a payload, the later ones named with their method.
                string name = first ? baseName : baseName + NameRules.ToPascalCase(operation.Method.ToLowerInvariant(), "Method");
                TypeRef? payload = shaper.ShapePayload(operation, name + "Payload", out string? why, out SourceSpan span);
                if (payload is null)
                {
                    if (why is not null)
                    {
                        diagnostics.Add(DiagnosticDescriptors.FeatureNotSupported, span, why + " in the " + kind, "no Parse method is generated for it");
                    }

                    continue;
                }

                // Models, unions and enums always have their metadata in the JSON context; other
                // payloads (a bare list, a scalar) have it only when something else uses them.
                if (payload.Kind is not (TypeKind.Model or TypeKind.Union or TypeKind.Enum))
                {
                    diagnostics.Add(DiagnosticDescriptors.FeatureNotSupported, span, "a payload that is not an object, a union or an enum in the " + kind, "no Parse method is generated for it");
                    continue;
                }

                first = false;
                var headers = operation.Parameters
                    .Where(p => p.In == "header")
                    .Select(p => new WebhookHeaderSpec(p.Name, p.Required, p.Doc.Summary))
                    .ToEquatableArray();
                var doc = new DocSpec(operation.Summary ?? operation.Description, null, null, EquatableArray<string>.Empty, operation.Deprecated);
                // Each payload has two readers: Parse<Name> and Parse<Name>Async.
                string methodName = names.Claim("Parse" + name);
                while (!names.TryClaim(methodName + "Async"))
                {
                    methodName = names.Claim("Parse" + name);
                }

                payloads.Add(new WebhookSpec(methodName, hook.Name, hook.Expression, operationMethod, operation.Method, payload.WithNullable(false), headers, doc));
            }
        }
    }
}
