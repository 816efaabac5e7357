using System;
using System.Linq;
using Baseten.Aot.Generator.Model;
using Baseten.Aot.Generator.Parsing.Document;

namespace Baseten.Aot.Generator.Shaping;

// Header (and credential) parameters the client does not take as arguments.
internal sealed partial class OperationShaper
{
    // Headers the specification says to ignore as parameters: the body and the security scheme set them.
    private static readonly string[] s_ignoredHeaders = ["Accept", "Content-Type", "Authorization"];

    // Headers the transport sets itself: a parameter cannot change them.
    private static readonly string[] s_transportHeaders = ["Proxy-Authorization", "Host", "Content-Length", "Transfer-Encoding", "Connection", "Cookie", "User-Agent"];

    // Whether a parameter is one the client does not take as an argument, and why (null when it is
    // ignored silently, as the specification asks for Accept, Content-Type and Authorization).
    private bool IsOmitted(ParameterObject parameter, out string? why)
    {
        why = null;
        bool header = parameter.In == "header";
        if (header && s_ignoredHeaders.Any(h => string.Equals(h, parameter.Name, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        // The credential itself, declared again as a parameter.
        if (_auth is { } auth
            && ((auth.Kind == AuthKind.ApiKeyHeader && header && string.Equals(auth.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))
                || (auth.Kind == AuthKind.ApiKeyQuery && parameter.In == "query" && auth.Name == parameter.Name)
                || (auth.Kind == AuthKind.ApiKeyCookie && parameter.In == "cookie" && auth.Name == parameter.Name)))
        {
            return true;
        }

        if (header && s_transportHeaders.Any(h => string.Equals(h, parameter.Name, StringComparison.OrdinalIgnoreCase)))
        {
            why = "the transport sets this header itself";
            return true;
        }

        return false;
    }
}
