using KrakenGrpc.Benchmarks.Soak;
using KrakenGrpc.Benchmarks.Streams;

namespace KrakenGrpc.Benchmarks;

/// <summary>
/// The benchmark harness: the first argument names a scenario, the rest are that scenario's options. Each scenario
/// prints its figures and stops by itself; none of them asserts anything (docs/BENCHMARKS.md records the figures).
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, Scenario> Scenarios = new(StringComparer.OrdinalIgnoreCase)
    {
        ["streams"] = new("StreamTicker fan-out: N subscribers of one ticker; upstream requests, gateway RSS, delivery delay",
            StreamsScenario.Usage, StreamsScenario.RunAsync),
        ["soak"] = new("Mixed unary, streaming and private load with faults injected for minutes; outcomes by kind, memory at start and end",
            SoakScenario.Usage, SoakScenario.RunAsync),
        ["load"] = new("Unary req/s and p50/p99 at several concurrencies: direct to nginx, a minimal h2c floor, the gateway (coalescing off/on), private calls", Load.LoadScenario.Usage, Load.LoadScenario.RunAsync),
        ["micro"] = new("BenchmarkDotNet micro-benchmarks: request signing and JSON-to-protobuf mapping, each against its floor", Micro.MicroScenario.Usage, Micro.MicroScenario.RunAsync),
    };

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || !Scenarios.TryGetValue(args[0], out var scenario))
        {
            PrintUsage(args.Length == 0 ? null : args[0]);
            return 2;
        }

        using var interrupted = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The scenario unwinds (and kills what it started) instead of the runtime killing the harness alone.
            e.Cancel = true;
            interrupted.Cancel();
        };

        try
        {
            return await scenario.RunAsync(args[1..], interrupted.Token);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{args[0]}: {e.Message}{Environment.NewLine}{scenario.Usage}");
            return 2;
        }
        catch (FileNotFoundException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Interrupted.");
            return 130;
        }
    }

    private static void PrintUsage(string? unknown)
    {
        if (unknown is not null)
        {
            Console.Error.WriteLine($"Unknown scenario '{unknown}'.");
        }
        Console.Error.WriteLine("Usage: dotnet run -c Release --project tests/KrakenGrpc.Benchmarks -- <scenario> [options]");
        foreach (var (name, scenario) in Scenarios)
        {
            Console.Error.WriteLine($"  {name}: {scenario.Description}");
            Console.Error.WriteLine($"    {scenario.Usage}");
        }
    }

    private sealed record Scenario(string Description, string Usage, Func<string[], CancellationToken, Task<int>> RunAsync);
}
