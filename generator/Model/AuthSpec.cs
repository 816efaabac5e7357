namespace Baseten.Aot.Generator.Model;

internal enum AuthKind
{
    /// <summary><c>Authorization: Bearer</c> (http bearer, OAuth 2, OpenID Connect).</summary>
    Bearer,

    /// <summary><c>Authorization: Basic</c>, from <c>user:password</c>.</summary>
    Basic,

    /// <summary><c>Authorization: &lt;Name&gt; &lt;credential&gt;</c>, for another http scheme.</summary>
    Scheme,
    ApiKeyHeader,
    ApiKeyQuery,
    ApiKeyCookie,
}

/// <summary>The security scheme the client uses: its kind, and the scheme or parameter name.</summary>
internal sealed record AuthSpec(AuthKind Kind, string Name, string? Description);
