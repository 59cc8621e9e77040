using System.Diagnostics;
using System.Globalization;
using KrakenGrpc.Emulator;

namespace KrakenGrpc.Benchmarks.Streams;

/// <summary>The delivery figures of the changes made in the window.</summary>
internal sealed record DeliveryOutcome(
    int Changes,
    long Expected,
    long Delivered,
    long Unmatched,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    double FirstP50Ms,
    double LastP50Ms,
    IReadOnlyList<(double P50Ms, double MaxMs)> PerChange)
{
    public long Missing => Expected - Delivered;
}

/// <summary>Matches each subscriber's messages to the harness's market steps.</summary>
internal static class Deliveries
{
    /// <summary>
    /// A change is served by the first Ticker request the emulator logged at or after its step; a subscriber received
    /// it with its first message after the step that carries the step's last trade price. Its delay runs from that
    /// request's arrival at the emulator (wall clock, placed on the Stopwatch timeline through <paramref name="anchor"/>)
    /// to the message's arrival at the subscriber. Only changes stepped within the window count; a message that is
    /// neither a snapshot nor any step's change is unmatched.
    /// </summary>
    public static DeliveryOutcome Match(
        IReadOnlyList<List<Arrival>> subscribers,
        IReadOnlyList<Change> changes,
        IReadOnlyList<RecordedRequest> tickerRequests,
        ClockAnchor anchor,
        DateTimeOffset windowStart,
        DateTimeOffset windowEnd)
    {
        // When each change was served, on the Stopwatch timeline (long.MaxValue: never polled, so never deliverable).
        var served = new long[changes.Count];
        for (var k = 0; k < changes.Count; k++)
        {
            var first = tickerRequests.FirstOrDefault(r => r.ReceivedAt >= changes[k].SteppedAt);
            served[k] = first is null ? long.MaxValue : anchor.ToTimestamp(first.ReceivedAt);
        }
        var counted = Enumerable.Range(0, changes.Count).Where(k => changes[k].SteppedAt >= windowStart && changes[k].SteppedAt < windowEnd).ToHashSet();

        List<double> delays = new(subscribers.Count * counted.Count);
        var perChange = counted.Order().ToDictionary(k => k, _ => new List<double>(subscribers.Count));
        List<double> firstDelays = [];
        List<double> lastDelays = [];
        long unmatched = 0;
        for (var s = 0; s < subscribers.Count; s++)
        {
            var arrivals = subscribers[s];
            var matched = new bool[arrivals.Count];
            var from = 0;
            for (var k = 0; k < changes.Count; k++)
            {
                for (var a = from; a < arrivals.Count; a++)
                {
                    var arrival = arrivals[a];
                    if (arrival.Timestamp <= changes[k].SteppedTimestamp || arrival.Snapshot || !SamePrice(arrival.LastPrice, changes[k].LastPrice))
                    {
                        continue;
                    }
                    matched[a] = true;
                    from = a + 1;
                    if (counted.Contains(k))
                    {
                        var delay = Milliseconds(arrival.Timestamp - served[k]);
                        delays.Add(delay);
                        perChange[k].Add(delay);
                        (s == 0 ? firstDelays : s == subscribers.Count - 1 ? lastDelays : null)?.Add(delay);
                    }
                    break;
                }
            }
            for (var a = 0; a < arrivals.Count; a++)
            {
                if (!matched[a] && !arrivals[a].Snapshot)
                {
                    unmatched++;
                }
            }
        }

        delays.Sort();
        firstDelays.Sort();
        lastDelays.Sort();
        return new DeliveryOutcome(
            counted.Count,
            (long)subscribers.Count * counted.Count,
            delays.Count,
            unmatched,
            Percentile(delays, 0.50),
            Percentile(delays, 0.90),
            Percentile(delays, 0.99),
            delays.Count == 0 ? double.NaN : delays[^1],
            Percentile(firstDelays, 0.50),
            Percentile(lastDelays, 0.50),
            [.. perChange.Values.Select(d => d.Order().ToList()).Select(d => (Percentile(d, 0.50), d.Count == 0 ? double.NaN : d[^1]))]);
    }

    // Nearest rank.
    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static bool SamePrice(string? text, decimal price) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value == price;

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
