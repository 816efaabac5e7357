using System;
using System.IO;
using System.Net.Http;
using System.Text;

namespace Baseten.Aot.Http;

/// <summary>
/// The credential a transport sends, kept apart from everything printable: an
/// <c>Authorization</c> header (<see cref="Bearer"/>, <see cref="Basic"/>, or a scheme of its own
/// such as Baseten's <c>Api-Key</c>), or an API key in a header, query parameter or cookie of its
/// own name. Its <see cref="ToString"/> never shows the secret, and the transport scrubs the secret
/// from any error text a server sends back.
/// </summary>
public sealed class ApiAuthorization
{
    private readonly string[] _secrets;

    // The secrets as .NET prints bytes it cannot parse (BitConverter: "6B-33-79"), e.g. a chunk-size line.
    private readonly string[] _hexSecrets;

    // The secrets as a server may echo them escaped (percent-encoded; JSON-escaped as System.Text.Json
    // and as PHP write them), for a text cut short inside an escaped echo: its start is still the key's.
    private readonly string[] _echoedForms;

    /// <summary>Creates <c>Authorization: &lt;scheme&gt; &lt;secret&gt;</c>, e.g. <c>Api-Key abc</c> or <c>Bearer abc</c>.</summary>
    /// <exception cref="ArgumentException">The scheme or the secret is empty, or holds white space, a control character or a character outside ASCII.</exception>
    public ApiAuthorization(string scheme, string secret)
        : this(CredentialLocation.Header, "Authorization", scheme, secret, [secret])
    {
        Validate(scheme, nameof(scheme), "scheme");
    }

    private ApiAuthorization(CredentialLocation location, string name, string? scheme, string secret, string[] secrets)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(secret);
        Validate(name, nameof(name), "name");
        foreach (string value in secrets)
        {
            Validate(value, nameof(secret), "credential");
        }

        Location = location;
        Name = name;
        Scheme = scheme;
        _secrets = secrets;
        _hexSecrets = Array.ConvertAll(secrets, static secret => BitConverter.ToString(Encoding.ASCII.GetBytes(secret)));
        _echoedForms = EchoedForms(secrets);
        Value = scheme is null ? secret : scheme + " " + secret;
    }

    /// <summary>Where the credential goes.</summary>
    public CredentialLocation Location { get; }

    /// <summary>The header, query parameter or cookie that carries it: <c>Authorization</c>, <c>X-API-Key</c>, <c>api_key</c>, ...</summary>
    public string Name { get; }

    /// <summary>The scheme before the secret in an <c>Authorization</c> header (<c>Bearer</c>, <c>Api-Key</c>), or null.</summary>
    public string? Scheme { get; }

    /// <summary>What is sent: the scheme and secret, or the key alone.</summary>
    internal string Value { get; }

    /// <summary><c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    /// <exception cref="ArgumentException">The token is empty, or holds white space, a control character or a character outside ASCII.</exception>
    public static ApiAuthorization Bearer(string token) => new("Bearer", token);

    /// <summary><c>Authorization: Basic base64(user:password)</c>.</summary>
    /// <exception cref="ArgumentException">The user name holds a colon, or either is empty or holds a control character.</exception>
    public static ApiAuthorization Basic(string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        if (userName.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("A Basic user name cannot contain a colon.", nameof(userName));
        }

        string encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(userName + ":" + password));
        return new ApiAuthorization(CredentialLocation.Header, "Authorization", "Basic", encoded, [encoded, password]);
    }

    /// <summary>An API key as the whole value of a header of its own: <c>X-API-Key: &lt;key&gt;</c>.</summary>
    /// <exception cref="ArgumentException">The name or the key is empty, or holds white space, a control character or a character outside ASCII.</exception>
    public static ApiAuthorization ApiKeyHeader(string headerName, string key) => new(CredentialLocation.Header, headerName, null, key, [key]);

    /// <summary>An API key as a query parameter of every request: <c>?api_key=&lt;key&gt;</c>.</summary>
    /// <exception cref="ArgumentException">The name or the key is empty, or holds white space, a control character or a character outside ASCII.</exception>
    public static ApiAuthorization ApiKeyQuery(string parameterName, string key) => new(CredentialLocation.Query, parameterName, null, key, [key]);

    /// <summary>An API key as a cookie: <c>Cookie: name=&lt;key&gt;</c>.</summary>
    /// <exception cref="ArgumentException">The name or the key is empty, or holds white space, a control character or a character outside ASCII.</exception>
    public static ApiAuthorization ApiKeyCookie(string cookieName, string key) => new(CredentialLocation.Cookie, cookieName, null, key, [key]);

    /// <summary>
    /// Replaces every occurrence of the secret in <paramref name="text"/> with <c>***</c>, in any
    /// case, also where a server echoed it escaped: JSON escapes (<c>\u0041</c>, <c>\/</c>),
    /// percent-encoding, or as the hex bytes .NET quotes in some of its errors (<c>6B-33-79</c>).
    /// Text that held an escaped secret comes back unescaped, with the secret replaced.
    /// </summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = ReplaceSecrets(text);
        if (text.Contains('\\', StringComparison.Ordinal) && Unescape.Json(text) is { } json && ContainsSecret(json))
        {
            text = ReplaceSecrets(json);
        }

        if (text.Contains('%', StringComparison.Ordinal) && Unescape.Percent(text) is { } percent && ContainsSecret(percent))
        {
            text = ReplaceSecrets(percent);
        }

        if (text.Contains('-', StringComparison.Ordinal))
        {
            foreach (string hex in _hexSecrets)
            {
                text = text.Replace(hex, "***", StringComparison.OrdinalIgnoreCase);
            }
        }

        return text;
    }

    /// <summary>
    /// <paramref name="exception"/> itself when nothing in it holds the secret; otherwise one of the
    /// same kind whose message is redacted and one line, without the inner exceptions. .NET quotes
    /// what a server sent in some of these: a malformed header or chunk line, a bad chunk terminator.
    /// </summary>
    internal IOException Scrub(IOException exception)
    {
        if (!Leaks(exception.ToString()))
        {
            return exception;
        }

        string message = Redact(ApiException.OneLine(exception.Message));

        // HttpIOException adds " (error)" to the message it is given: given its own back, it would say it twice.
        return exception is HttpIOException io
            ? new HttpIOException(io.HttpRequestError, RemoveSuffix(message, " (" + io.HttpRequestError + ")"))
            : new IOException(message);
    }

    /// <inheritdoc cref="Scrub(IOException)"/>
    internal HttpRequestException Scrub(HttpRequestException exception)
        => Leaks(exception.ToString())
            ? new HttpRequestException(exception.HttpRequestError, Redact(ApiException.OneLine(exception.Message)), null, exception.StatusCode)
            : exception;

    /// <summary>Whether .NET's redirect handling sends this credential on to another host: it drops only <c>Authorization</c>.</summary>
    internal bool FollowsRedirects => Location == CredentialLocation.Cookie || (Location == CredentialLocation.Header && !string.Equals(Name, "Authorization", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="text"/> holds the secret, as it is or escaped.</summary>
    internal bool Leaks(string text) => !string.Equals(Redact(text), text, StringComparison.Ordinal);

    /// <summary>
    /// <paramref name="text"/>, which a length limit cut short, with its end replaced by <c>***</c>
    /// when that end is the start of the secret: a secret cut in two leaves none of itself behind.
    /// </summary>
    internal string RedactCutEnd(string text)
    {
        foreach (string secret in _echoedForms)
        {
            for (int length = Math.Min(secret.Length - 1, text.Length); length > 0; length--)
            {
                if (text.AsSpan(text.Length - length).Equals(secret.AsSpan(0, length), StringComparison.OrdinalIgnoreCase))
                {
                    text = string.Concat(text.AsSpan(0, text.Length - length), "***");
                    break;
                }
            }
        }

        return text;
    }

    private static string[] EchoedForms(string[] secrets)
    {
        var forms = new System.Collections.Generic.List<string>(secrets.Length * 4);
        foreach (string secret in secrets)
        {
            foreach (string form in new[] { secret, Uri.EscapeDataString(secret), System.Text.Json.JsonEncodedText.Encode(secret).Value, secret.Replace("/", "\\/", StringComparison.Ordinal) })
            {
                if (!forms.Contains(form))
                {
                    forms.Add(form);
                }
            }
        }

        return forms.ToArray();
    }

    // In any case: a server may upper- or lower-case what it echoes (a normalized header, a log line).
    private string ReplaceSecrets(string text)
    {
        foreach (string secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.OrdinalIgnoreCase))
            {
                text = text.Replace(secret, "***", StringComparison.OrdinalIgnoreCase);
            }
        }

        return text;
    }

    private static string RemoveSuffix(string text, string suffix)
        => text.EndsWith(suffix, StringComparison.Ordinal) ? text[..^suffix.Length] : text;

    private bool ContainsSecret(string text)
    {
        foreach (string secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Where it goes and <c>***</c>: never the secret.</summary>
    public override string ToString() => Scheme is not null ? Scheme + " ***" : Location + " " + Name + " ***";

    /// <summary>The path with the key appended as a query parameter, when that is where it goes.</summary>
    internal string WithQuery(string path)
        => Location != CredentialLocation.Query ? path
            : path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + Uri.EscapeDataString(Name) + "=" + Uri.EscapeDataString(Value);

    // Printable ASCII only: a header cannot carry anything else, and a key pasted with a stray
    // space or a smart quote is better refused here than sent. The message never includes the value.
    private static void Validate(string value, string parameterName, string what)
    {
        if (value.Length == 0)
        {
            throw new ArgumentException("The " + what + " is empty.", parameterName);
        }

        foreach (char c in value)
        {
            if (c <= ' ' || c > '~')
            {
                throw new ArgumentException("The " + what + " contains white space, a control character or a character outside ASCII; check how it was copied.", parameterName);
            }
        }
    }
}

/// <summary>Where an <see cref="ApiAuthorization"/> puts its credential.</summary>
public enum CredentialLocation
{
    /// <summary>A request header: <c>Authorization</c>, or a header of the API's own.</summary>
    Header,

    /// <summary>A query parameter of every request.</summary>
    Query,

    /// <summary>A cookie.</summary>
    Cookie,
}
