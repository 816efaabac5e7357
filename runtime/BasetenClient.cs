using System;
using System.Net.Http;
using Baseten.Aot.Http;

namespace Baseten.Aot;

// The hand-written half of the client: construction and ownership. The operations are generated
// from spec/baseten.openapi.yaml into the other half.
public sealed partial class BasetenClient
{
    /// <summary>Creates a client with default options: the key from <c>BASETEN_API_KEY</c>, the public API address.</summary>
    /// <exception cref="ArgumentException">No API key is set.</exception>
    public BasetenClient()
        : this(new BasetenClientOptions())
    {
    }

    /// <summary>Creates a client that owns its HttpClient and disposes it with itself.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">No API key is set, or the key or the base address is not valid.</exception>
    public BasetenClient(BasetenClientOptions options)
        : this(CreateTransport(null, options))
    {
    }

    /// <summary>
    /// Creates a client over a caller-owned HttpClient (from IHttpClientFactory, say), which this
    /// client never disposes.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">No API key is set, or the key or the base address is not valid.</exception>
    public BasetenClient(HttpClient httpClient, BasetenClientOptions options)
        : this(CreateTransport(httpClient ?? throw new ArgumentNullException(nameof(httpClient)), options))
    {
    }

    private static ApiTransport CreateTransport(HttpClient? httpClient, BasetenClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? apiKey = options.ApiKey ?? Environment.GetEnvironmentVariable(BasetenClientOptions.ApiKeyEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new ArgumentException(
                "No API key: set BasetenClientOptions.ApiKey or the " + BasetenClientOptions.ApiKeyEnvironmentVariable + " environment variable.",
                nameof(options));
        }

        // Validate everything before creating an HttpClient, so that a bad option leaks nothing.
        var authorization = new ApiAuthorization("Api-Key", apiKey.Trim());
        Uri baseAddress = ApiTransport.ValidateBaseAddress(options.BaseAddress ?? DefaultBaseAddress, nameof(options));
        return ApiTransport.Create(httpClient, baseAddress, authorization, options.Retry ?? RetryPolicy.None, options.Policies?.PerCall, options.Policies?.PerTry).WithBasetenErrors();
    }
}
