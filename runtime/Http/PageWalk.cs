using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Net.Http.Headers;

namespace Baseten.Aot.Http;

/// <summary>
/// The pages a generated walker has fetched, and where the next one is: a URL the server gave, in
/// a <c>Link</c> header (<c>rel="next"</c>) or in the page's body. For generated code.
/// </summary>
/// <remarks>
/// A next URL is followed only when it stays on the client's base address: the same scheme, host
/// and port, and a path under the base address's path (a relative URL is resolved against the
/// page's own URL first). Anything else would send the credential to a host the caller never
/// named, so it ends the walk with an <see cref="ApiException"/> that names the other origin (never
/// the query, which may hold a credential). A next URL that was already fetched ends the walk
/// with an <see cref="ApiException"/> too, rather than walking the same pages without end. When the
/// client sends its key as a query parameter, that parameter is taken out of a next URL (servers
/// echo it there), because the transport adds the client's own to every request. A
/// malformed <c>Link</c> header is an <see cref="ApiException"/>, not a last page: ending quietly
/// would drop every later item without a word.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PageWalk
{
    private readonly string _base;
    private readonly Uri _origin;
    private readonly HashSet<string> _fetched = new(StringComparer.Ordinal);
    private readonly string? _credentialParameter;

    /// <summary>Starts a walk at <paramref name="firstPath"/>, the escaped path and query of the first page, relative to the transport's base address.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public PageWalk(ApiTransport transport, string firstPath)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(firstPath);
        _origin = transport.BaseAddress;
        _base = _origin.AbsoluteUri.TrimEnd('/');
        _credentialParameter = transport.Authorization is { Location: CredentialLocation.Query } query ? query.Name : null;
        Path = firstPath;
        _fetched.Add(firstPath);
    }

    /// <summary>The escaped path and query of the page to fetch, relative to the base address.</summary>
    public string Path { get; private set; }

    /// <summary>
    /// Moves to the target of the <c>rel="next"</c> link in <paramref name="response"/>'s <c>Link</c>
    /// headers; false when there is none (the last page).
    /// </summary>
    /// <exception cref="ApiException">A <c>Link</c> header is malformed, or its next URL leaves the base address or was already fetched.</exception>
    public bool FollowLink(ApiResponseDetails? response)
    {
        if (response is null || !response.Headers.NonValidated.TryGetValues("Link", out HeaderStringValues values))
        {
            return false;
        }

        string? next;
        try
        {
            next = LinkHeader.FindNext(values);
        }
        catch (FormatException exception)
        {
            throw new ApiException("The Link header of the page at " + WithoutQuery(Path) + " is malformed (" + exception.Message + "); the walk stops rather than take it for the last page.", exception);
        }

        return Follow(next);
    }

    /// <summary>Moves to <paramref name="url"/>, the next page's URL as the page's body gives it; false when it is null or empty (the last page).</summary>
    /// <exception cref="ApiException">The URL is not one, leaves the base address, or was already fetched.</exception>
    public bool Follow(Uri? url) => Follow(url?.OriginalString);

    /// <inheritdoc cref="Follow(Uri)"/>
    public bool Follow(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        var current = new Uri(_base + Path, UriKind.Absolute);
        if (!Uri.TryCreate(current, url.Trim(), out Uri? next) || (next.Scheme != Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttp))
        {
            throw new ApiException("The next page's address given after " + WithoutQuery(Path) + " is not an http or https URL.");
        }

        if (next.Scheme != _origin.Scheme || !string.Equals(next.IdnHost, _origin.IdnHost, StringComparison.OrdinalIgnoreCase) || next.Port != _origin.Port || next.UserInfo.Length > 0)
        {
            throw new ApiException("The next page is on " + next.Scheme + "://" + next.Authority + ", not on the client's base address " + _origin.Scheme + "://" + _origin.Authority + ": it is not followed, so that the credential is never sent to another host.");
        }

        string absolute = next.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);
        if (!absolute.StartsWith(_base, StringComparison.Ordinal) || absolute.Length == _base.Length || absolute[_base.Length] != '/')
        {
            throw new ApiException("The next page's path " + WithoutQuery(next.AbsolutePath) + " is outside the client's base address " + WithoutQuery(_base) + ": it is not followed.");
        }

        string path = WithoutCredential(absolute.Substring(_base.Length));
        if (!_fetched.Add(path))
        {
            throw new ApiException("The server gave " + WithoutQuery(path) + " as the next page again, after " + WithoutQuery(Path) + ": the walk stops rather than loop.");
        }

        Path = path;
        return true;
    }

    // The pairs of the query that name the credential's parameter (escaped or not) are dropped; the
    // others keep their order and spelling, so the server gets its cursor back exactly.
    private string WithoutCredential(string path)
    {
        int start = path.IndexOf('?', StringComparison.Ordinal);
        if (_credentialParameter is null || start < 0)
        {
            return path;
        }

        var kept = new System.Text.StringBuilder(path, 0, start, path.Length);
        char separator = '?';
        foreach (string pair in path.Substring(start + 1).Split('&'))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Uri.UnescapeDataString((equals < 0 ? pair : pair.Substring(0, equals)).Replace('+', ' '));
            if (!string.Equals(name, _credentialParameter, StringComparison.Ordinal))
            {
                kept.Append(separator).Append(pair);
                separator = '&';
            }
        }

        return kept.ToString();
    }

    private static string WithoutQuery(string path)
    {
        int query = path.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? path : path.Substring(0, query);
    }
}
