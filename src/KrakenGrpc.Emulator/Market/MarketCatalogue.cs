namespace KrakenGrpc.Emulator.Market;

/// <summary>
/// The assets and pairs the emulator lists, and Kraken's ways of naming them. Immutable: safe to read without a lock.
/// Values are plausible copies of Kraken's (XBT/USD and ETH/XBT use the documented AssetPairs example's figures).
/// </summary>
internal sealed class MarketCatalogue
{
    private static readonly (decimal, decimal)[] StandardTakerFees =
    [
        (0m, 0.26m), (50000m, 0.24m), (100000m, 0.22m), (250000m, 0.2m), (500000m, 0.18m),
        (1000000m, 0.16m), (2500000m, 0.14m), (5000000m, 0.12m), (10000000m, 0.1m),
    ];

    private static readonly (decimal, decimal)[] StandardMakerFees =
    [
        (0m, 0.16m), (50000m, 0.14m), (100000m, 0.12m), (250000m, 0.1m), (500000m, 0.08m),
        (1000000m, 0.06m), (2500000m, 0.04m), (5000000m, 0.02m), (10000000m, 0m),
    ];

    // Stablecoin pairs have their own, lower schedule on Kraken.
    private static readonly (decimal, decimal)[] StablecoinTakerFees =
    [
        (0m, 0.2m), (50000m, 0.16m), (100000m, 0.12m), (250000m, 0.08m), (500000m, 0.04m), (1000000m, 0m),
    ];

    private static readonly (decimal, decimal)[] StablecoinMakerFees =
    [
        (0m, 0.2m), (50000m, 0.16m), (100000m, 0.12m), (250000m, 0.08m), (500000m, 0.04m), (1000000m, 0m),
    ];

    // USDT is not offered to clients in the EEA (MiCA), so AssetPairs?country_code=DE leaves its pairs out.
    private static readonly HashSet<string> Eea = new(StringComparer.Ordinal)
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
        "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
    };

    private readonly Dictionary<string, AssetDefinition> _assetsByName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, PairDefinition> _pairsByName = new(StringComparer.OrdinalIgnoreCase);

    public MarketCatalogue()
    {
        var dot = new AssetDefinition("DOT", "DOT", "DOT", "Polkadot", 10, 8, 0.5m);
        var sol = new AssetDefinition("SOL", "SOL", "SOL", "Solana", 10, 5, 0.75m);
        var usdt = new AssetDefinition("USDT", "USDT", "USDT", "Tether USD", 8, 4, 1m);
        var eth = new AssetDefinition("XETH", "ETH", "ETH", "Ethereum", 10, 5, 1m);
        var xbt = new AssetDefinition("XXBT", "XBT", "BTC", "Bitcoin", 10, 5, 1m);
        var eur = new AssetDefinition("ZEUR", "EUR", "EUR", "Euros", 4, 2, 1m);
        var usd = new AssetDefinition("ZUSD", "USD", "USD", "US Dollars", 4, 2, 1m);

        // Kraken lists results in key order; keeping the lists sorted makes every answer follow it.
        Assets = new[] { dot, sol, usdt, eth, xbt, eur, usd }.OrderBy(a => a.Key, StringComparer.Ordinal).ToArray();

        Pairs = new[]
        {
            new PairDefinition
            {
                Key = "DOTUSD", Altname = "DOTUSD", Wsname = "DOT/USD", Base = dot, Quote = usd,
                PairDecimals = 4, PriceDecimals = 5, CostDecimals = 5, LotDecimals = 8,
                OrderMin = 1m, CostMin = 0.5m, TickSize = 0.0001m,
                LeverageBuy = [2, 3], LeverageSell = [2, 3],
                Fees = StandardTakerFees, FeesMaker = StandardMakerFees,
                LongPositionLimit = 150000, ShortPositionLimit = 100000,
                StartPrice = 4.1835m, StepVolatility = 0.0004m, TypicalVolume = 250m, MaxSpreadTicks = 3,
                FirstTradeId = 18_204_511,
            },
            new PairDefinition
            {
                Key = "SOLEUR", Altname = "SOLEUR", Wsname = "SOL/EUR", Base = sol, Quote = eur,
                PairDecimals = 2, PriceDecimals = 5, CostDecimals = 5, LotDecimals = 8,
                OrderMin = 0.02m, CostMin = 0.45m, TickSize = 0.01m,
                LeverageBuy = [2, 3], LeverageSell = [2, 3],
                Fees = StandardTakerFees, FeesMaker = StandardMakerFees, FeeVolumeCurrency = "ZUSD",
                LongPositionLimit = 12000, ShortPositionLimit = 8000,
                StartPrice = 119.37m, StepVolatility = 0.0003m, TypicalVolume = 8m, MaxSpreadTicks = 2,
                FirstTradeId = 9_371_206,
            },
            new PairDefinition
            {
                Key = "SOLUSD", Altname = "SOLUSD", Wsname = "SOL/USD", Base = sol, Quote = usd,
                PairDecimals = 2, PriceDecimals = 5, CostDecimals = 5, LotDecimals = 8,
                OrderMin = 0.02m, CostMin = 0.5m, TickSize = 0.01m,
                LeverageBuy = [2, 3, 4], LeverageSell = [2, 3, 4],
                Fees = StandardTakerFees, FeesMaker = StandardMakerFees,
                LongPositionLimit = 20000, ShortPositionLimit = 15000,
                StartPrice = 138.42m, StepVolatility = 0.0003m, TypicalVolume = 10m, MaxSpreadTicks = 2,
                FirstTradeId = 31_552_874,
            },
            new PairDefinition
            {
                Key = "USDTZUSD", Altname = "USDTUSD", Wsname = "USDT/USD", Base = usdt, Quote = usd,
                PairDecimals = 4, PriceDecimals = 8, CostDecimals = 5, LotDecimals = 8,
                OrderMin = 5m, CostMin = 5m, TickSize = 0.0001m,
                LeverageBuy = [2, 3, 5], LeverageSell = [2, 3, 5],
                Fees = StablecoinTakerFees, FeesMaker = StablecoinMakerFees,
                LongPositionLimit = 10000000, ShortPositionLimit = 8000000,
                RestrictedCountries = Eea,
                StartPrice = 1.0002m, StepVolatility = 0.00002m, MeanReversion = 0.05m, TypicalVolume = 2500m, MaxSpreadTicks = 1,
                FirstTradeId = 12_990_433,
            },
            new PairDefinition
            {
                Key = "XETHXXBT", Altname = "ETHXBT", Wsname = "ETH/XBT", Base = eth, Quote = xbt,
                PairDecimals = 5, PriceDecimals = 5, CostDecimals = 6, LotDecimals = 8,
                OrderMin = 0.01m, CostMin = 0.00002m, TickSize = 0.00001m,
                LeverageBuy = [2, 3, 4, 5], LeverageSell = [2, 3, 4, 5],
                Fees = StandardTakerFees, FeesMaker = StandardMakerFees,
                LongPositionLimit = 1100, ShortPositionLimit = 400,
                StartPrice = 0.03391m, StepVolatility = 0.0002m, TypicalVolume = 1.5m, MaxSpreadTicks = 1,
                FirstTradeId = 47_602_118,
            },
            new PairDefinition
            {
                Key = "XETHZUSD", Altname = "ETHUSD", Wsname = "ETH/USD", Base = eth, Quote = usd,
                PairDecimals = 2, PriceDecimals = 5, CostDecimals = 5, LotDecimals = 8,
                OrderMin = 0.002m, CostMin = 0.5m, TickSize = 0.01m,
                LeverageBuy = [2, 3, 4, 5], LeverageSell = [2, 3, 4, 5],
                Fees = StandardTakerFees, FeesMaker = StandardMakerFees,
                LongPositionLimit = 3000, ShortPositionLimit = 2000,
                StartPrice = 2951.37m, StepVolatility = 0.00025m, TypicalVolume = 1.2m, MaxSpreadTicks = 1,
                FirstTradeId = 53_881_904,
            },
            new PairDefinition
            {
                Key = "XXBTZEUR", Altname = "XBTEUR", Wsname = "XBT/EUR", Base = xbt, Quote = eur,
                PairDecimals = 1, PriceDecimals = 5, CostDecimals = 5, LotDecimals = 8,
                OrderMin = 0.0001m, CostMin = 0.45m, TickSize = 0.1m,
                LeverageBuy = [2, 3, 4, 5], LeverageSell = [2, 3, 4, 5],
                Fees = StandardTakerFees, FeesMaker = StandardMakerFees,
                LongPositionLimit = 200, ShortPositionLimit = 150,
                StartPrice = 75012.4m, StepVolatility = 0.0002m, TypicalVolume = 0.08m, MaxSpreadTicks = 2,
                FirstTradeId = 72_315_640,
            },
            new PairDefinition
            {
                Key = "XXBTZUSD", Altname = "XBTUSD", Wsname = "XBT/USD", Base = xbt, Quote = usd,
                PairDecimals = 1, PriceDecimals = 5, CostDecimals = 5, LotDecimals = 8,
                OrderMin = 0.0001m, CostMin = 0.5m, TickSize = 0.1m,
                LeverageBuy = [2, 3, 4, 5], LeverageSell = [2, 3, 4, 5],
                Fees = StandardTakerFees, FeesMaker = StandardMakerFees,
                LongPositionLimit = 250, ShortPositionLimit = 200,
                StartPrice = 87104.3m, StepVolatility = 0.0002m, TypicalVolume = 0.1m, MaxSpreadTicks = 1,
                FirstTradeId = 61_044_952,
            },
        }.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();

        foreach (var asset in Assets)
        {
            _assetsByName.TryAdd(asset.Key, asset);
            _assetsByName.TryAdd(asset.Altname, asset);
            _assetsByName.TryAdd(asset.Symbol, asset);
        }

        foreach (var pair in Pairs)
        {
            // Every name Kraken's REST API accepts for a pair: the key, the altname, the v1 wsname and the newer
            // "BTC/USD" symbol (with or without its slash).
            foreach (var name in new[] { pair.Key, pair.Altname, pair.Wsname, pair.Symbol, pair.Symbol.Replace("/", "", StringComparison.Ordinal) })
            {
                _pairsByName.TryAdd(name, pair);
            }
        }
    }

    /// <summary>Every asset, in Kraken's key order.</summary>
    public IReadOnlyList<AssetDefinition> Assets { get; }

    /// <summary>Every pair, in Kraken's key order.</summary>
    public IReadOnlyList<PairDefinition> Pairs { get; }

    /// <summary>Finds a pair by any name Kraken accepts; case does not matter (Kraken upper-cases what it is sent).</summary>
    public bool TryFindPair(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PairDefinition? pair) =>
        _pairsByName.TryGetValue(name.Trim(), out pair);

    /// <summary>Finds an asset by its key ("XXBT"), altname ("XBT") or newer symbol ("BTC").</summary>
    public bool TryFindAsset(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AssetDefinition? asset) =>
        _assetsByName.TryGetValue(name.Trim(), out asset);
}
