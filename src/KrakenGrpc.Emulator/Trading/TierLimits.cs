namespace KrakenGrpc.Emulator.Trading;

/// <summary>
/// Kraken's limits per verification tier (protocol.md §8): the REST call counter (§8.1), the per-pair trading
/// counter (§8.2) and the open-order cap per pair (§8.3).
/// </summary>
internal sealed record TierLimits(
    string Name,
    decimal RestMaximum,
    decimal RestDecayPerSecond,
    decimal TradingThreshold,
    decimal TradingDecayPerSecond,
    int MaxOpenOrdersPerPair)
{
    public static readonly TierLimits Starter = new("Starter", 15m, 0.33m, 60m, 1m, 60);

    public static readonly TierLimits Intermediate = new("Intermediate", 20m, 0.5m, 125m, 2.34m, 80);

    public static readonly TierLimits Pro = new("Pro", 20m, 1m, 180m, 3.75m, 225);

    public static TierLimits Parse(string? tier) => tier?.Trim().ToUpperInvariant() switch
    {
        null or "" or "STARTER" => Starter,
        "INTERMEDIATE" => Intermediate,
        "PRO" => Pro,
        _ => throw new ArgumentException($"Unknown tier '{tier}': use Starter, Intermediate or Pro.", nameof(tier)),
    };
}
