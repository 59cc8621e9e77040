using System.Diagnostics;
using KrakenGrpc.Emulator;

namespace KrakenGrpc.Benchmarks.Streams;

/// <summary>One market step the harness made: when (both clocks) and the pair's last trade price after it.</summary>
internal sealed record Change(DateTimeOffset SteppedAt, long SteppedTimestamp, decimal LastPrice);

/// <summary>
/// Moves the emulator's market (whose own ticker is off) once per poll interval, at a random point between two of
/// the gateway's polls: after each poll it waits 20-80 % of an interval, then steps. So every change is picked up by
/// exactly the next poll, no step races a poll being answered, and the delay samples are spread over the phase.
/// </summary>
internal sealed class MarketDriver(KrakenEmulator kraken, string pair, TimeSpan interval, int seed)
{
    public const string TickerPath = "/0/public/Ticker";

    private readonly Random _random = new(seed);

    public List<Change> Changes { get; } = [];

    /// <summary>Steps until <paramref name="until"/> (wall clock); no step is made at or after it.</summary>
    public async Task RunAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        var seen = kraken.Requests.Count(TickerPath);
        while (DateTimeOffset.UtcNow < until)
        {
            // The next poll of the gateway.
            while (kraken.Requests.Count(TickerPath) == seen)
            {
                if (DateTimeOffset.UtcNow >= until)
                {
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
            }
            var polledAt = kraken.Requests.For(TickerPath)[^1].ReceivedAt;

            var stepAt = polledAt + (interval * (0.2 + (0.6 * _random.NextDouble())));
            if (stepAt >= until)
            {
                return;
            }
            var wait = stepAt - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            // Taken before the step: the first poll logged at or after this instant is answered with the change.
            var steppedTimestamp = Stopwatch.GetTimestamp();
            var steppedAt = DateTimeOffset.UtcNow;
            kraken.Market.Step();
            Changes.Add(new Change(steppedAt, steppedTimestamp, kraken.Market.LastPrice(pair)));
            seen = kraken.Requests.Count(TickerPath);
        }
    }
}

/// <summary>
/// One instant read on both clocks, to place the emulator's wall-clock request times (DateTimeOffset.UtcNow, in this
/// same process) on the <see cref="Stopwatch"/> timeline of the arrivals.
/// </summary>
internal readonly record struct ClockAnchor(long Timestamp, DateTimeOffset Utc)
{
    /// <summary>The tightest of a few readings: the wall clock read between two Stopwatch readings, at their middle.</summary>
    public static ClockAnchor Take()
    {
        var best = new ClockAnchor(0, default);
        var narrowest = long.MaxValue;
        for (var i = 0; i < 50; i++)
        {
            var before = Stopwatch.GetTimestamp();
            var utc = DateTimeOffset.UtcNow;
            var after = Stopwatch.GetTimestamp();
            if (after - before < narrowest)
            {
                narrowest = after - before;
                best = new ClockAnchor(before + ((after - before) / 2), utc);
            }
        }
        return best;
    }

    public long ToTimestamp(DateTimeOffset utc) =>
        Timestamp + (long)Math.Round((utc - Utc).Ticks * (double)Stopwatch.Frequency / TimeSpan.TicksPerSecond);
}
