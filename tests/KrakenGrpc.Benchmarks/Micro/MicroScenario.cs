using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace KrakenGrpc.Benchmarks.Micro;

/// <summary>
/// BenchmarkDotNet micro-benchmarks of the gateway's per-call CPU work (signing, JSON to protobuf mapping), each
/// beside its floor. The arguments are BenchmarkDotNet's own (<c>--filter *Signing*</c>, <c>--list flat</c>, ...).
/// </summary>
internal static class MicroScenario
{
    public const string Usage = "[BenchmarkDotNet options, e.g. --filter * | --filter *Mapping* | --list flat]";

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        // BenchmarkDotNet runs synchronously and handles Ctrl+C itself; nothing here needs the token.
        _ = cancellationToken;
        var summaries = BenchmarkSwitcher
            .FromTypes([typeof(SigningBenchmarks), typeof(MappingBenchmarks)])
            .Run(args.Length == 0 ? ["--filter", "*"] : args, CreateConfig());
        return Task.FromResult(summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0);
    }

    private static ManualConfig CreateConfig() => ManualConfig.Create(DefaultConfig.Instance)
        // In-process: the benchmarks run in this already-built Release harness. The default toolchain would generate
        // and build a project around this one per run, which means a second build of the whole solution under
        // TreatWarningsAsErrors and central package management, competing with the other builds on 2 shared cores.
        // The cost is that every benchmark shares this process's runtime settings (server GC with one heap, see the
        // csproj), which is also how the gateway itself runs (the Web SDK defaults to server GC).
        // Ten measured iterations instead of ShortRun's three: the whole suite still ends within about three minutes
        // on 2 cores, and the confidence intervals are narrow enough to judge a 1.1x target.
        .AddJob(Job.ShortRun
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithIterationCount(10)
            .WithId("Micro"))
        .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory)
        .WithOptions(ConfigOptions.JoinSummary)
        // Inside bin/ rather than wherever `dotnet run` was started (the repository root, usually).
        .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
}
