using System;
using System.Collections.Generic;
using System.Globalization;

namespace Baseten.Aot.Generator.Shaping;

/// <summary>
/// Hands out unique names within one scope, in document order, so that collisions resolve the
/// same way on every build: the first comer keeps the name, later ones get 2, 3, ...
/// </summary>
internal sealed class NameTable
{
    private readonly HashSet<string> _taken;

    public NameTable(IEqualityComparer<string>? comparer = null, params string[] reserved)
    {
        _taken = new HashSet<string>(reserved, comparer ?? StringComparer.Ordinal);
    }

    /// <summary>Claims <paramref name="candidate"/> if it is free.</summary>
    public bool TryClaim(string candidate) => _taken.Add(candidate);

    /// <summary>Whether <paramref name="candidate"/> is taken (claimed or reserved).</summary>
    public bool IsTaken(string candidate) => _taken.Contains(candidate);

    /// <summary>Returns <paramref name="candidate"/> or, when taken, the first free numbered variant.</summary>
    public string Claim(string candidate)
    {
        if (_taken.Add(candidate))
        {
            return candidate;
        }

        for (int i = 2; ; i++)
        {
            string numbered = candidate + i.ToString(CultureInfo.InvariantCulture);
            if (_taken.Add(numbered))
            {
                return numbered;
            }
        }
    }
}
