using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text;

namespace Baseten.Aot.Http;

/// <summary>
/// Appends query parameters to a path for generated clients: null values are left out, arrays
/// repeat the name (OpenAPI's default <c>form</c> style with <c>explode</c>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct QueryBuilder
{
    private readonly string _path;
    private StringBuilder? _query;

    /// <summary>Starts from <paramref name="path"/>, which has no query yet.</summary>
    public QueryBuilder(string path)
    {
        _path = path;
        _query = null;
    }

    /// <summary>Adds <c>name=value</c> unless the value is null.</summary>
    public void Add(string name, string? value)
    {
        if (value is not null)
        {
            Append(name, value);
        }
    }

    /// <summary>Adds <c>name=value</c> unless the value is null.</summary>
    public void Add(string name, int? value)
    {
        if (value is { } v)
        {
            Append(name, ParameterFormat.Text(v));
        }
    }

    /// <summary>Adds <c>name=value</c> unless the value is null.</summary>
    public void Add(string name, long? value)
    {
        if (value is { } v)
        {
            Append(name, ParameterFormat.Text(v));
        }
    }

    /// <summary>Adds <c>name=value</c> unless the value is null.</summary>
    public void Add(string name, double? value)
    {
        if (value is { } v)
        {
            Append(name, ParameterFormat.Text(v));
        }
    }

    /// <summary>Adds <c>name=true</c> or <c>name=false</c> unless the value is null.</summary>
    public void Add(string name, bool? value)
    {
        if (value is { } v)
        {
            Append(name, ParameterFormat.Text(v));
        }
    }

    /// <summary>Adds <c>name=value</c> once per value.</summary>
    public void Add(string name, IEnumerable<string>? values) => Add(name, values, static v => v);

    /// <summary>Adds <c>name=value</c> once per value.</summary>
    public void Add(string name, IEnumerable<int>? values) => Add(name, values, static v => ParameterFormat.Text(v));

    /// <summary>Adds <c>name=value</c> once per value.</summary>
    public void Add(string name, IEnumerable<long>? values) => Add(name, values, static v => ParameterFormat.Text(v));

    /// <summary>Adds <c>name=value</c> once per value.</summary>
    public void Add(string name, IEnumerable<double>? values) => Add(name, values, static v => ParameterFormat.Text(v));

    /// <summary>Adds <c>name=value</c> once per value.</summary>
    public void Add(string name, IEnumerable<bool>? values) => Add(name, values, static v => ParameterFormat.Text(v));

    /// <summary>Adds <c>name=value</c> once per value, formatted by <paramref name="format"/> (an enum's wire text, say).</summary>
    public void Add<T>(string name, IEnumerable<T>? values, Func<T, string> format)
    {
        ArgumentNullException.ThrowIfNull(format);
        foreach (T value in values ?? Array.Empty<T>())
        {
            Add(name, format(value));
        }
    }

    /// <summary>Adds <c>name=value</c> in ISO 8601 (round-trip) form unless the value is null.</summary>
    public void Add(string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            Append(name, ParameterFormat.Text(v));
        }
    }

    /// <summary>The path with its query.</summary>
    public override readonly string ToString() => _query is null ? _path : _path + _query.ToString();

    private void Append(string name, string value)
    {
        _query ??= new StringBuilder();
        _query.Append(_query.Length == 0 ? '?' : '&')
            .Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
    }
}
