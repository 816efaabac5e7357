using Baseten.Aot.Generator.Model;

namespace Baseten.Aot.Generator.Shaping;

/// <summary>
/// Every name the generator writes itself, by scope: a name taken from the document must never be
/// one of these, or the generated code would not compile (or would mean something else).
/// </summary>
internal static class ReservedNames
{
    /// <summary>Members every class inherits from <c>object</c>: a member of the same name would hide one.</summary>
    public static readonly string[] ObjectMembers = ["Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals"];

    /// <summary>Members of a generated open enum class, and its nested types.</summary>
    public static readonly string[] EnumMembers = [.. TypeMemberNames.Enum, .. ObjectMembers];

    /// <summary>Members of a generated union class, and its nested types.</summary>
    public static readonly string[] UnionMembers = [.. TypeMemberNames.Union, .. ObjectMembers];

    /// <summary>Members of a generated client.</summary>
    public static readonly string[] ClientMembers = [.. ClientMemberNames.Members, .. ObjectMembers];

    /// <summary>
    /// Members of every <c>JsonSerializerContext</c>, and the generated context's own: what uses its
    /// state (its options, its registered factories) and its feature switch, as the template writes
    /// them. The stateless helpers the context's code calls are the runtime's
    /// (<c>Baseten.Aot.Http.GeneratedJson</c>), called by full name, so they need no name here.
    /// </summary>
    public static readonly string[] ContextMembers = [.. ContextMemberNames.Fixed, .. ObjectMembers];

    /// <summary>Locals and parameters a generated client method declares besides the operation's parameters.</summary>
    public static readonly string[] MethodLocals = ClientMemberNames.Locals;

    /// <summary>Types the generator declares in the namespace besides the document's: the JSON context nests a class of this name.</summary>
    public const string PropertyNamesClass = ContextMemberNames.PropertyNames;
}
