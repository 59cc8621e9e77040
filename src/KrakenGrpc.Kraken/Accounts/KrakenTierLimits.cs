using KrakenGrpc.Kraken.Transport;

namespace KrakenGrpc.Kraken.Accounts;

/// <summary>Kraken's published limits per tier (protocol.md §8).</summary>
/// <param name="RestCounterMax">Highest value of the REST call counter Kraken accepts.</param>
/// <param name="RestCounterDecayPerSecond">How fast the REST call counter falls.</param>
/// <param name="TradingCounterMax">Threshold of the per-pair matching-engine counter.</param>
/// <param name="TradingCounterDecayPerSecond">How fast the per-pair matching-engine counter falls.</param>
/// <param name="MaxOpenOrdersPerPair">Open orders allowed per pair.</param>
public sealed record KrakenTierLimits(
    double RestCounterMax,
    double RestCounterDecayPerSecond,
    double TradingCounterMax,
    double TradingCounterDecayPerSecond,
    int MaxOpenOrdersPerPair)
{
    public static KrakenTierLimits For(KrakenTier tier) => tier switch
    {
        KrakenTier.Starter => new(15, 0.33, 60, 1, 60),
        KrakenTier.Intermediate => new(20, 0.5, 125, 2.34, 80),
        KrakenTier.Pro => new(20, 1, 180, 3.75, 225),
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown Kraken tier."),
    };
}
