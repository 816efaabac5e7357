namespace Baseten.Aot.Generator.Model;

/// <summary>
/// The static class that reads the payloads of a document's webhooks and callbacks
/// (<c>PetsClient</c> -> <c>PetsWebhooks</c>), one <see cref="WebhookSpec"/> per payload.
/// </summary>
internal sealed record WebhooksSpec(string ClassName, EquatableArray<WebhookSpec> Payloads);

/// <summary>
/// One payload: <c>Parse&lt;Name&gt;</c> reads <see cref="Payload"/> from the request body the API sends.
/// <see cref="Name"/> is the webhook's name, or the callback's key; <see cref="Expression"/> is a
/// callback's URL expression and <see cref="OperationMethod"/> the client method that registers it.
/// </summary>
internal sealed record WebhookSpec(
    string MethodName,
    string Name,
    string? Expression,
    string? OperationMethod,
    string HttpMethod,
    TypeRef Payload,
    EquatableArray<WebhookHeaderSpec> Headers,
    DocSpec Doc);

/// <summary>A header parameter the webhook's operation declares, for its doc comment.</summary>
internal sealed record WebhookHeaderSpec(string Name, bool Required, string? Description);
