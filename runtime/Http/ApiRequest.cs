using System;
using System.Collections.Generic;
using System.Net.Http;

namespace Baseten.Aot.Http;

/// <summary>
/// One operation's request as a generated client builds it: method, path, header and cookie
/// parameters, body and the media type it accepts. <see cref="ApiTransport"/> adds the base
/// address, <c>User-Agent</c> and <c>Authorization</c>, and sends it.
/// </summary>
/// <remarks>
/// A request is sent once: the transport disposes <see cref="Content"/> when the call ends (for
/// <see cref="ApiTransport.SendAsync(ApiRequest, System.Threading.CancellationToken)"/> and the
/// streaming calls, when the response or stream is disposed). Header and cookie values are checked
/// when they are set, so an injected line break fails at the call that passed it, before anything is sent.
/// </remarks>
public sealed class ApiRequest
{
    // Set by the transport itself, or by other members of this class: a header parameter must not override them.
    private static readonly string[] s_reservedHeaders =
    [
        "Authorization", "Proxy-Authorization", "Host", "Content-Length", "Transfer-Encoding", "Connection",
        "Content-Type", "Accept", "Cookie", "User-Agent",
    ];

    private List<KeyValuePair<string, string>>? _headers;
    private string? _cookie;
    private string _accept = "application/json";

    /// <summary>Creates a request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="pathTemplate">The operation's path as the OpenAPI document writes it, e.g. <c>/v1/chains/{chain_id}/environments</c>; carried into errors, never sent.</param>
    /// <param name="path">The escaped path and query to send, relative to the base address (built with <see cref="PathSegment"/> and <see cref="QueryBuilder"/>).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> does not start with <c>/</c>.</exception>
    public ApiRequest(HttpMethod method, string pathTemplate, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathTemplate);
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException("The path must start with '/'.", nameof(path));
        }

        Method = method;
        PathTemplate = pathTemplate;
        Path = path;
    }

    /// <summary>The HTTP method.</summary>
    public HttpMethod Method { get; }

    // How many times the transport sent it, for the exception a bad body becomes.
    internal int Attempts { get; set; }

    /// <summary>The operation's path template, e.g. <c>/v1/chains/{chain_id}/environments</c>.</summary>
    public string PathTemplate { get; }

    /// <summary>The escaped path and query that is sent.</summary>
    public string Path { get; }

    /// <summary>
    /// The body, or null for none (see <see cref="ApiContent"/>). Disposed by the transport when the call ends.
    /// A body that cannot be sent twice (<see cref="ApiContent.Binary"/>) is never retried once it may have been read.
    /// </summary>
    public HttpContent? Content { get; set; }

    /// <summary>The <c>Accept</c> header: <c>application/json</c> unless set; empty sends none.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">The value holds a control character or a non-ASCII character.</exception>
    public string Accept
    {
        get => _accept;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            ValidateValue(value, nameof(value));
            _accept = value;
        }
    }

    internal List<KeyValuePair<string, string>>? Headers => _headers;

    internal string? Cookie => _cookie;

    /// <summary>Sets a header parameter, replacing an earlier value of the same name.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// The name is not an HTTP token, or is one the transport or this class sets itself (<c>Authorization</c>,
    /// <c>Host</c>, <c>Content-Length</c>, <c>Content-Type</c>, <c>Accept</c>, <c>Cookie</c>, ...); or the
    /// value holds CR, LF, NUL, another control character (tab aside) or a non-ASCII character.
    /// </exception>
    public void SetHeader(string name, string value)
    {
        SetHeader(ref _headers, name, value);
    }

    /// <summary>Per-call settings (headers, timeout, retries, policies), or null for the client's own.</summary>
    public ApiCallOptions? Options { get; set; }

    // Checks a header a caller sets (here or in ApiCallOptions) and sets it in the list, replacing one of the same name.
    internal static void SetHeader(ref List<KeyValuePair<string, string>>? headers, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        ValidateToken(name, nameof(name), "header name");
        foreach (string reserved in s_reservedHeaders)
        {
            if (string.Equals(name, reserved, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException("The " + reserved + " header cannot be set as a parameter: the transport sets it (Accept and Content are properties, cookies go through AddCookie).", nameof(name));
            }
        }

        ValidateValue(value, nameof(value));
        headers ??= new List<KeyValuePair<string, string>>(2);
        for (int i = 0; i < headers.Count; i++)
        {
            if (string.Equals(headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                headers[i] = new KeyValuePair<string, string>(name, value);
                return;
            }
        }

        headers.Add(new KeyValuePair<string, string>(name, value));
    }

    /// <summary>
    /// Adds a cookie parameter. All cookies go in one <c>Cookie</c> header, <c>a=1; b=2</c>; the value
    /// is escaped with <see cref="Uri.EscapeDataString(string)"/>, so any text is safe.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The name is not an HTTP token.</exception>
    public void AddCookie(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        ValidateToken(name, nameof(name), "cookie name");
        string pair = name + "=" + Uri.EscapeDataString(value);
        _cookie = _cookie is null ? pair : _cookie + "; " + pair;
    }

    // RFC 9110 token: visible ASCII except delimiters. The message never quotes the text: it may be a secret.
    private static void ValidateToken(string name, string parameterName, string what)
    {
        if (name.Length == 0)
        {
            throw new ArgumentException("The " + what + " is empty.", parameterName);
        }

        foreach (char c in name)
        {
            if (c <= ' ' || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal))
            {
                throw new ArgumentException("The " + what + " is not an HTTP token: it holds a space, a control character, a separator or a non-ASCII character.", parameterName);
            }
        }
    }

    // A header value the transport is given (a User-Agent): checked as a caller's header value is.
    internal static string CheckHeaderValue(string value, string parameterName)
    {
        ValidateValue(value, parameterName);
        return value;
    }

    // CR and LF would start a new header (injection); other controls and non-ASCII are not portable field text.
    private static void ValidateValue(string value, string parameterName)
    {
        foreach (char c in value)
        {
            if ((c < ' ' && c != '\t') || c >= 0x7F)
            {
                throw new ArgumentException("The header value holds CR, LF, NUL, another control character or a non-ASCII character; encode it first.", parameterName);
            }
        }
    }
}
