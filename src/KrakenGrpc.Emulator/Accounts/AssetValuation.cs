using KrakenGrpc.Emulator.Market;

namespace KrakenGrpc.Emulator.Accounts;

/// <summary>
/// Values one asset in another from the emulated market's last prices: directly through a pair, or through one
/// intermediate asset (EUR in USD goes EUR -> XBT -> USD). Used for TradeBalance, the 30-day fee volume and credit
/// figures. Call only while holding the market's gate.
/// </summary>
internal sealed class AssetValuation(EmulatedMarket market)
{
    private static readonly string[] Bridges = ["XXBT", "ZUSD"];

    private readonly Dictionary<(string Base, string Quote), PairDefinition> _pairs =
        market.Catalogue.Pairs.ToDictionary(p => (p.Base.Key, p.Quote.Key));

    /// <summary>How much of <paramref name="target"/> one unit of <paramref name="asset"/> is worth; 0 when no route exists.</summary>
    public decimal PriceIn(AssetDefinition asset, AssetDefinition target)
    {
        if (Direct(asset.Key, target.Key) is { } direct)
        {
            return direct;
        }

        foreach (var bridge in Bridges)
        {
            if (Direct(asset.Key, bridge) is { } first && Direct(bridge, target.Key) is { } second)
            {
                return first * second;
            }
        }

        return 0m;
    }

    public decimal ValueIn(AssetDefinition asset, decimal amount, AssetDefinition target) => amount == 0m ? 0m : amount * PriceIn(asset, target);

    private decimal? Direct(string from, string to)
    {
        if (from == to)
        {
            return 1m;
        }

        if (_pairs.TryGetValue((from, to), out var pair))
        {
            return market.Pair(pair).LastPrice;
        }

        if (_pairs.TryGetValue((to, from), out var inverse))
        {
            var price = market.Pair(inverse).LastPrice;
            return price == 0m ? null : 1m / price;
        }

        return null;
    }
}
