using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Baseten.Aot.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Baseten.Aot.Benchmarks.SerializationBenchmarks).Assembly).Run(args);
