using System.Diagnostics;
using System.Globalization;

namespace KrakenGrpc.Benchmarks.Load;

/// <summary>How one call ended: answered, or refused by design (a rate budget), which is counted but not timed.</summary>
internal enum CallOutcome
{
    Answered,
    Refused,
}

/// <summary>What the harness samples at the window's edges besides the calls: the upstream's count and CPU clocks.</summary>
internal sealed record Meters(Func<long> UpstreamRequests, Func<TimeSpan?> ServerCpu, Func<TimeSpan?> UpstreamCpu);

/// <summary>
/// N closed-loop workers: each sends its next call when the previous one has answered. The calls that start and end
/// inside the measured window (after the warm-up) are timed; throughput is those answers over the window's length.
/// </summary>
internal static class ClosedLoop
{
    public static async Task<LoadResult> RunAsync(
        string scenario, int concurrency, Func<int, CancellationToken, Task<CallOutcome>> call, Meters meters,
        TimeSpan warmUp, TimeSpan window, CancellationToken cancellationToken)
    {
        var windowStart = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var windowEnd = windowStart + (long)(window.TotalSeconds * Stopwatch.Frequency);
        var workers = new Worker[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            workers[i] = new Worker();
        }

        // Each worker runs on the thread pool from its first call on, so the coordinator's delays below do not hold it.
        var loops = workers.Select((worker, index) => Task.Run(() => worker.RunAsync(index, call, windowStart, windowEnd, cancellationToken), cancellationToken)).ToArray();

        await Task.Delay(warmUp, cancellationToken);
        var upstream0 = meters.UpstreamRequests();
        var server0 = meters.ServerCpu();
        var upstreamCpu0 = meters.UpstreamCpu();
        var harness0 = Process.GetCurrentProcess().TotalProcessorTime;
        await Task.Delay(window, cancellationToken);
        var upstream = meters.UpstreamRequests() - upstream0;
        var serverCpu = meters.ServerCpu() - server0;
        var upstreamCpu = meters.UpstreamCpu() - upstreamCpu0;
        var harnessCpu = Process.GetCurrentProcess().TotalProcessorTime - harness0;
        await Task.WhenAll(loops);

        var latencies = workers.SelectMany(w => w.Latencies).Order().ToArray();
        return new LoadResult(
            scenario, concurrency, window, latencies,
            workers.Sum(w => w.Refused), workers.Sum(w => w.Failures), workers.Select(w => w.FirstFailure).FirstOrDefault(f => f is not null),
            upstream, serverCpu, upstreamCpu, harnessCpu);
    }

    private sealed class Worker
    {
        public List<double> Latencies { get; } = new(4_096);

        public int Refused { get; private set; }

        public int Failures { get; private set; }

        public string? FirstFailure { get; private set; }

        public async Task RunAsync(int index, Func<int, CancellationToken, Task<CallOutcome>> call, long windowStart, long windowEnd, CancellationToken cancellationToken)
        {
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                if (started >= windowEnd)
                {
                    return;
                }
                CallOutcome outcome;
                try
                {
                    outcome = await call(index, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    Failures++;
                    FirstFailure ??= $"{e.GetType().Name}: {e.Message}";
                    // A failing target answers at once; without a pause the loop would only measure the failure.
                    await Task.Delay(10, cancellationToken);
                    continue;
                }
                var ended = Stopwatch.GetTimestamp();
                if (started < windowStart || ended > windowEnd)
                {
                    continue;
                }
                if (outcome == CallOutcome.Refused)
                {
                    Refused++;
                }
                else
                {
                    Latencies.Add(Stopwatch.GetElapsedTime(started, ended).TotalMilliseconds);
                }
            }
        }
    }
}

/// <summary>One scenario at one concurrency: its answered calls' latencies (sorted, ms) and what it cost.</summary>
internal sealed record LoadResult(
    string Scenario,
    int Concurrency,
    TimeSpan Window,
    double[] LatenciesMs,
    int Refused,
    int Failures,
    string? FirstFailure,
    long UpstreamRequests,
    TimeSpan? ServerCpu,
    TimeSpan? UpstreamCpu,
    TimeSpan HarnessCpu)
{
    public int Answered => LatenciesMs.Length;

    public double RequestsPerSecond => Answered / Window.TotalSeconds;

    public double P50Ms => Percentile(0.50);

    public double P99Ms => Percentile(0.99);

    /// <summary>Server CPU per answered call, µs (the floor's or the gateway's process; none for direct calls).</summary>
    public double? ServerCpuPerCallUs => ServerCpu is { } cpu && Answered + Refused > 0 ? cpu.TotalMicroseconds / (Answered + Refused) : null;

    public double? UpstreamCpuPerCallUs => UpstreamCpu is { } cpu && UpstreamRequests > 0 ? cpu.TotalMicroseconds / UpstreamRequests : null;

    public double HarnessCpuPerCallUs => Answered + Refused > 0 ? HarnessCpu.TotalMicroseconds / (Answered + Refused) : double.NaN;

    // Nearest rank on the sorted latencies (what an HDR histogram would give, without its bucketing).
    private double Percentile(double quantile) =>
        LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Clamp((int)Math.Ceiling(quantile * LatenciesMs.Length) - 1, 0, LatenciesMs.Length - 1)];

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
