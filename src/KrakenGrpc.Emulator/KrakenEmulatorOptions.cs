namespace KrakenGrpc.Emulator;

/// <summary>How to start a <see cref="KrakenEmulator"/>.</summary>
public sealed class KrakenEmulatorOptions
{
    /// <summary>Kestrel address. Port 0 picks any free port (then read <see cref="KrakenEmulator.BaseAddress"/>).</summary>
    public string Url { get; set; } = "http://127.0.0.1:0";

    /// <summary>
    /// How often prices move on their own. <see cref="Timeout.InfiniteTimeSpan"/> moves them only when
    /// <see cref="EmulatedMarket.Step()"/> is called, which makes tests deterministic. Steps are at least one
    /// second apart in market time (Kraken's Spread and OHLC cursors count whole seconds), so an interval below
    /// one second runs the market clock faster than the wall clock.
    /// </summary>
    public TimeSpan PriceTickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Seed of the random walk: the same seed gives the same sequence of prices.</summary>
    public int Seed { get; set; } = 42;
}
