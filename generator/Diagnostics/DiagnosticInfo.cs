using Baseten.Aot.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Baseten.Aot.Generator.Diagnostics;

/// <summary>A diagnostic as an equatable value: descriptor, message arguments and where in the file.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, EquatableArray<string> Arguments, LocationInfo? Location)
{
    public Diagnostic ToDiagnostic()
    {
        object[] arguments = new object[Arguments.Count];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Arguments[i];
        }

        return Diagnostic.Create(Descriptor, Location?.ToLocation(), arguments);
    }
}
