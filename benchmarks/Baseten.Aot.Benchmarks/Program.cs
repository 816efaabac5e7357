using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Baseten.Aot.Benchmarks -- --filter '*'
IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Baseten.Aot.Benchmarks.SerializationBenchmarks).Assembly).Run(args);

// A case that throws (a setup check, a generator diagnostic) is a failure, for CI's dry run too.
return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
