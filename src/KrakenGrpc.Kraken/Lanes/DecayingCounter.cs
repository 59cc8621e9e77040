using KrakenGrpc.Kraken.Coordination;

namespace KrakenGrpc.Kraken.Lanes;

/// <summary>
/// A model of one of Kraken's rate counters: each call adds its cost, the value falls continuously at a fixed rate,
/// and Kraken refuses a call that would take it above the maximum. Kraken's costs are fractional (a batch adds n/2)
/// and so are its decay rates (2.34 per second), which is why this is not an integer token bucket.
/// <para>
/// Callers reserve before sending: a reservation that does not fit now is still booked, with the wait after which
/// the counter will have fallen far enough, so later callers queue behind it in arrival order.
/// </para>
/// </summary>
public sealed class DecayingCounter(double maximum, double decayPerSecond, TimeProvider time) : IRateCounter
{
    /// <summary>
    /// Added to every wait. Kraken starts decaying a call's cost when the call arrives, which is later than the moment
    /// it was booked here by however long it travelled, and that time varies: a call that arrives late followed by
    /// one that arrives promptly meets a counter that has decayed less than the model says. 250 ms was seen to fall
    /// short on a busy two-core machine (the emulator refused a call for rate); the cost is half a second more on a
    /// call that waits for budget anyway.
    /// </summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(500);

    private readonly Lock _lock = new();
    private double _value;
    private long _updatedAt = time.GetTimestamp();

    public double Maximum => maximum;

    /// <summary>The counter's value now (reservations included).</summary>
    public double Value
    {
        get
        {
            lock (_lock)
            {
                return Decayed();
            }
        }
    }

    /// <summary>
    /// Books <paramref name="cost"/> if the wait it needs is at most <paramref name="patience"/>, and returns that wait
    /// (zero when the call fits now). Returns false without booking when the wait would be longer; the wait needed
    /// is still given, for the caller's RetryInfo.
    /// </summary>
    public bool TryReserve(double cost, TimeSpan patience, out TimeSpan wait)
    {
        lock (_lock)
        {
            var value = Decayed();
            var excess = value + cost - maximum;
            wait = excess <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(excess / decayPerSecond) + Margin;
            if (wait > patience)
            {
                return false;
            }
            _value = value + cost;
            return true;
        }
    }

    /// <summary>Adds a cost that was incurred whether or not it fits (Kraken charges failed calls too).</summary>
    public void Add(double cost)
    {
        lock (_lock)
        {
            _value = Decayed() + cost;
        }
    }

    ValueTask<CounterReservation> IRateCounter.ReserveAsync(double cost, TimeSpan patience, CancellationToken cancellationToken) =>
        new(new CounterReservation(TryReserve(cost, patience, out var wait), wait));

    ValueTask IRateCounter.AddAsync(double cost)
    {
        Add(cost);
        return ValueTask.CompletedTask;
    }

    private double Decayed()
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_updatedAt, now).TotalSeconds;
        _updatedAt = now;
        _value = Math.Max(0, _value - elapsed * decayPerSecond);
        return _value;
    }
}
