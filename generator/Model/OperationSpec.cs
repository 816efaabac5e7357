namespace Baseten.Aot.Generator.Model;

/// <summary>One operation, emitted as one async method on the client.</summary>
internal sealed record OperationSpec(
    string MethodName,
    string HttpMethod,
    string Path,
    EquatableArray<PathSegmentSpec> PathSegments,
    EquatableArray<ParameterSpec> Parameters,
    BodySpec? Body,
    ResponseSpec Response,
    DocSpec Doc,
    PaginationSpec? Pagination = null,
    TypeRef? ErrorType = null);
