using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Baseten.Aot.Lambda;

/// <summary>
/// The error document the runtime API takes at <c>/runtime/invocation/{id}/error</c> and
/// <c>/runtime/init/error</c>: Lambda's <c>errorMessage</c>, <c>errorType</c> and <c>stackTrace</c>
/// (always empty: a trace says nothing to the caller), and, when Baseten answered, its status and
/// request id as fields of their own, so a caller (a Step Functions retry rule, say) can read them
/// without parsing the message.
/// </summary>
internal sealed record FunctionError(string ErrorType, string ErrorMessage)
{
    public IReadOnlyList<string> StackTrace { get; init; } = [];

    public int? BasetenStatus { get; init; }

    public string? BasetenRequestId { get; init; }
}

/// <summary>
/// The <c>errorType</c>s the function reports, also sent as the <c>Lambda-Runtime-Function-Error-Type</c>
/// header. Lambda takes any text there and recommends <c>Category.Reason</c>.
/// </summary>
internal static class ErrorTypes
{
    /// <summary>Init: <c>BASETEN_API_KEY</c> is not set.</summary>
    public const string ApiKeyNotFound = "Runtime.APIKeyNotFound";

    /// <summary>Init: another setting is missing or not valid.</summary>
    public const string ConfigInvalid = "Runtime.ConfigInvalid";

    /// <summary>The event is not a <see cref="ModelInput"/>; Baseten is not called.</summary>
    public const string InvalidEvent = "Function.InvalidEvent";

    /// <summary>The invocation's deadline came (less the margin) before the model answered, or before it could be called.</summary>
    public const string Timeout = "Function.Timeout";

    /// <summary>Baseten answered outside 2xx; <c>basetenStatus</c> and <c>basetenRequestId</c> say which.</summary>
    public const string BasetenError = "Baseten.ApiError";

    /// <summary>Baseten answered 2xx with a body that is not a <see cref="ModelOutput"/>.</summary>
    public const string InvalidOutput = "Baseten.InvalidOutput";

    /// <summary>Baseten could not be reached, or the connection broke while it answered.</summary>
    public const string Unreachable = "Baseten.Unreachable";

    /// <summary>An attempt ran out of the client's own time (<c>RetryPolicy.AttemptTimeout</c>).</summary>
    public const string BasetenTimeout = "Baseten.Timeout";

    /// <summary>The model's output holds the API key, so it is not returned.</summary>
    public const string KeyInOutput = "Function.KeyInOutput";

    /// <summary>The runtime API refused the response (too large, say).</summary>
    public const string ResponseRejected = "Runtime.ResponseRejected";

    /// <summary>Anything else: a bug, reported rather than ending the process.</summary>
    public const string Unknown = "Runtime.UnknownReason";
}

/// <summary>The error document's metadata: Lambda's camelCase names, absent fields left out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FunctionError))]
internal sealed partial class RuntimeJson : JsonSerializerContext;
