namespace Baseten.Aot.Generator.Model;

/// <summary>
/// The names a generated client's template declares itself: its own members, and the locals and
/// lambda parameters of its methods, which share a scope with the operation's parameters. Shaping
/// reserves them (a parameter that would take one is renamed); a test checks that every local the
/// generated clients declare is listed here and that nothing here is stale.
/// </summary>
internal static class ClientMemberNames
{
    /// <summary>Members of a generated client besides its operations.</summary>
    public static readonly string[] Members = ["Dispose", "Transport", "DefaultBaseAddress"];

    /// <summary>
    /// Locals, lambda parameters and local functions of a generated client's methods, and the two
    /// parameters every operation ends with (<c>options</c>, <c>cancellationToken</c>).
    /// </summary>
    public static readonly string[] Locals =
    [
        "path", "query", "request", "form", "item", "v", "cancellationToken", "options",
        "currentPage", "pageItem", "nextToken", "pageWalk", "pageCount", "nextOffset", "pageLimit", "pageTotal", "FirstPagePath",
    ];
}
