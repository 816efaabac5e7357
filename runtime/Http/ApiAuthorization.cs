using System;

namespace Baseten.Aot.Http;

/// <summary>
/// The <c>Authorization</c> header a transport sends, kept apart from everything printable: its
/// <see cref="ToString"/> shows the scheme only, and the transport scrubs the secret from any
/// error text a server sends back.
/// </summary>
public sealed class ApiAuthorization
{
    /// <summary>Creates <c>Authorization: &lt;scheme&gt; &lt;secret&gt;</c>, e.g. <c>Api-Key abc</c> or <c>Bearer abc</c>.</summary>
    /// <exception cref="ArgumentException">The scheme or the secret is empty or holds a control character or white space.</exception>
    public ApiAuthorization(string scheme, string secret)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(secret);
        Validate(scheme, nameof(scheme), "scheme");
        Validate(secret, nameof(secret), "API key");
        Scheme = scheme;
        Secret = secret;
        HeaderValue = scheme + " " + secret;
    }

    /// <summary>The scheme, e.g. <c>Api-Key</c>.</summary>
    public string Scheme { get; }

    internal string Secret { get; }

    internal string HeaderValue { get; }

    /// <summary>Replaces every occurrence of the secret in <paramref name="text"/> with <c>***</c>.</summary>
    public string Redact(string text)
        => text.Contains(Secret, StringComparison.Ordinal) ? text.Replace(Secret, "***", StringComparison.Ordinal) : text;

    /// <summary>The scheme and <c>***</c>: never the secret.</summary>
    public override string ToString() => Scheme + " ***";

    // The message never includes the value: it may be the key.
    private static void Validate(string value, string parameterName, string what)
    {
        if (value.Length == 0)
        {
            throw new ArgumentException("The " + what + " is empty.", parameterName);
        }

        foreach (char c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                throw new ArgumentException("The " + what + " contains white space or a control character; check how it was copied.", parameterName);
            }
        }
    }
}
