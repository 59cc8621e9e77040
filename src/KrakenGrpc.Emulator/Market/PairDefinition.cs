namespace KrakenGrpc.Emulator.Market;

/// <summary>
/// One tradable pair: everything AssetPairs publishes, plus what the simulation needs to move its price.
/// </summary>
internal sealed record PairDefinition
{
    /// <summary>Kraken's pair key, the key of every result map ("XXBTZUSD" for legacy pairs, "SOLEUR" for newer ones).</summary>
    public required string Key { get; init; }

    /// <summary>Alternate name ("XBTUSD").</summary>
    public required string Altname { get; init; }

    /// <summary>WebSocket v1 name ("XBT/USD").</summary>
    public required string Wsname { get; init; }

    public required AssetDefinition Base { get; init; }

    public required AssetDefinition Quote { get; init; }

    /// <summary>The newer symbol ("BTC/USD") that GroupedBook, PreTrade and PostTrade use.</summary>
    public string Symbol => Base.Symbol + "/" + Quote.Symbol;

    /// <summary>Price decimals of the pair (AssetPairs pair_decimals; OHLC prints prices with this many).</summary>
    public required int PairDecimals { get; init; }

    /// <summary>
    /// Decimals that Ticker, Depth, Trades, Spread and GroupedBook pad prices to. Kraken keeps its older, finer
    /// price precision there: XBT/USD has pair_decimals 1 yet Ticker writes "30300.10000"; USDT/USD writes 8.
    /// </summary>
    public required int PriceDecimals { get; init; }

    public required int CostDecimals { get; init; }

    public required int LotDecimals { get; init; }

    /// <summary>Decimals of Depth's volumes: Kraken's book answer writes them to thousandths ("2.059").</summary>
    public int BookVolumeDecimals { get; init; } = 3;

    /// <summary>
    /// Minimum order volume. Written with the literal's own scale (0.0001m prints "0.0001"), which is how the
    /// three text fields below keep Kraken's exact strings.
    /// </summary>
    public required decimal OrderMin { get; init; }

    /// <summary>Minimum order cost in the quote currency ("0.5").</summary>
    public required decimal CostMin { get; init; }

    /// <summary>Price increment ("0.1"); every simulated price is a multiple of it.</summary>
    public required decimal TickSize { get; init; }

    public required IReadOnlyList<int> LeverageBuy { get; init; }

    public required IReadOnlyList<int> LeverageSell { get; init; }

    /// <summary>Taker fee schedule: (30-day volume in USD, percent fee).</summary>
    public required IReadOnlyList<(decimal Volume, decimal Percent)> Fees { get; init; }

    /// <summary>Maker fee schedule.</summary>
    public required IReadOnlyList<(decimal Volume, decimal Percent)> FeesMaker { get; init; }

    public string FeeVolumeCurrency { get; init; } = "ZUSD";

    public int MarginCall { get; init; } = 80;

    public int MarginStop { get; init; } = 40;

    public required int LongPositionLimit { get; init; }

    public required int ShortPositionLimit { get; init; }

    /// <summary>online | cancel_only | post_only | limit_only | reduce_only.</summary>
    public string Status { get; init; } = "online";

    /// <summary>ISO 3166-1 alpha-2 codes where the pair is not offered (AssetPairs country_code filter).</summary>
    public IReadOnlySet<string> RestrictedCountries { get; init; } = new HashSet<string>();

    // ---- simulation settings (not published) ----

    /// <summary>Where the random walk starts and what it is pulled back towards.</summary>
    public required decimal StartPrice { get; init; }

    /// <summary>Typical size of one step's move, as a fraction of the price.</summary>
    public required decimal StepVolatility { get; init; }

    /// <summary>Fraction of the distance to the start price the walk closes per step (stablecoins hold tighter).</summary>
    public decimal MeanReversion { get; init; } = 0.002m;

    /// <summary>Typical trade size in the base asset; book levels and trades are drawn around it.</summary>
    public required decimal TypicalVolume { get; init; }

    /// <summary>Widest spread the simulation quotes, in ticks (it draws 1..this).</summary>
    public int MaxSpreadTicks { get; init; } = 1;

    /// <summary>The first public trade id; ids then rise by one per trade, per pair, as Kraken's do.</summary>
    public required long FirstTradeId { get; init; }
}
