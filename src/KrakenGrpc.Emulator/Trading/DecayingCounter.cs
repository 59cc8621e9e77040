namespace KrakenGrpc.Emulator.Trading;

/// <summary>
/// Kraken's decaying counters (protocol.md §8.1, §8.2): calls add to the value, which falls linearly with time
/// towards zero. Time comes from the emulator's <see cref="TimeProvider"/>, so tests can freeze or advance it. Not
/// thread-safe: the caller holds the emulator's gate.
/// </summary>
internal sealed class DecayingCounter(decimal maximum, decimal decayPerSecond, TimeProvider clock)
{
    private decimal _value;
    private long _updatedTicks = clock.GetUtcNow().UtcTicks;

    public decimal Maximum { get; } = maximum;

    public decimal Value
    {
        get
        {
            Decay();
            return _value;
        }
    }

    /// <summary>Adds <paramref name="cost"/>; true while the counter stays at or below its maximum.</summary>
    public bool Charge(decimal cost)
    {
        Decay();
        _value += cost;
        return _value <= Maximum;
    }

    /// <summary>Whether adding <paramref name="cost"/> would take the counter above its maximum (nothing is added).</summary>
    public bool WouldExceed(decimal cost)
    {
        Decay();
        return _value + cost > Maximum;
    }

    private void Decay()
    {
        var now = clock.GetUtcNow().UtcTicks;
        if (now <= _updatedTicks)
        {
            return;
        }

        var seconds = (now - _updatedTicks) / (decimal)TimeSpan.TicksPerSecond;
        _value = Math.Max(0m, _value - (seconds * decayPerSecond));
        _updatedTicks = now;
    }
}
