namespace KrakenGrpc.Emulator.Market;

/// <summary>
/// The live state of one pair: last price, book, trade and spread tapes, candles. Not thread-safe on its own;
/// <see cref="EmulatedMarket"/> guards every access with its gate.
/// </summary>
internal sealed class PairMarket
{
    /// <summary>OHLC intervals Kraken accepts, in minutes.</summary>
    public static readonly int[] Intervals = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600];

    /// <summary>Kraken serves at most 720 candles per interval.</summary>
    public const int MaxCandles = 720;

    /// <summary>Kraken's Trades returns at most 1000 trades; the tape keeps that many.</summary>
    public const int TradeTapeLength = 1000;

    /// <summary>Kraken's Spread returns "the last ~200" entries.</summary>
    public const int SpreadTapeLength = 200;

    private const long NanosPerSecond = 1_000_000_000L;

    private readonly Dictionary<int, CandleSeries> _candles;

    /// <summary>The walk's mid price; a multiple of the tick size.</summary>
    private decimal _mid;

    public PairMarket(PairDefinition definition)
    {
        Definition = definition;
        LastPrice = definition.StartPrice;
        _mid = definition.StartPrice;
        LastBid = definition.StartPrice;
        LastAsk = definition.StartPrice + definition.TickSize;
        NextTradeId = definition.FirstTradeId;

        // The one-minute series keeps a whole day so Ticker's 24-hour figures come from the same candles.
        _candles = Intervals.ToDictionary(i => i, i => new CandleSeries(i, i == 1 ? 24 * 60 : MaxCandles));
    }

    public PairDefinition Definition { get; }

    public decimal LastPrice { get; private set; }

    public decimal LastVolume { get; private set; }

    public decimal LastBid { get; private set; }

    public decimal LastAsk { get; private set; }

    public long NextTradeId { get; private set; }

    /// <summary>Time of the latest trade or spread entry, unix nanoseconds.</summary>
    public long LastEventNs { get; private set; }

    public OrderBook Book { get; } = new();

    public Tape<PublicTrade> Trades { get; } = new(TradeTapeLength);

    public Tape<SpreadEntry> Spreads { get; } = new(SpreadTapeLength);

    public CandleSeries CandlesOf(int intervalMinutes) => _candles[intervalMinutes];

    /// <summary>
    /// One move of the market at <paramref name="stepNs"/>: the price walks, one to four trades print at the new
    /// top of book, spread entries record the quotes, candles absorb the trades, and (for live steps) the book
    /// reshapes around the new quotes. The history built at start-up skips the book, which only matters now.
    /// </summary>
    public void Advance(long stepNs, Random random, bool reshapeBook)
    {
        var pair = Definition;
        var tick = pair.TickSize;

        // Random walk of the mid price in whole ticks (integers only, so no binary floating point touches a
        // price), with a gentle pull back to the start price so a sandbox left running for days stays plausible.
        // The walk follows the mid, not the last trade: trades print at the bid or ask, and walking from them
        // would ratchet the price by half a spread per step.
        var sigmaTicks = Math.Max(1m, decimal.Round(_mid * pair.StepVolatility / tick, 0));
        var noise = random.Next(-500, 501) + random.Next(-500, 501) + random.Next(-500, 501) + random.Next(-500, 501);
        var pullTicks = (pair.StartPrice - _mid) / tick * pair.MeanReversion;
        var moveTicks = decimal.Round((sigmaTicks * noise / 577m) + pullTicks, 0, MidpointRounding.AwayFromZero);
        _mid = Math.Max(_mid + (moveTicks * tick), 20 * tick);

        // The mid sits inside the spread: bid at or below it, ask above.
        var spreadTicks = random.Next(1, pair.MaxSpreadTicks + 1);
        var bid = (decimal.Floor(_mid / tick) - ((spreadTicks - 1) / 2)) * tick;
        var ask = bid + (spreadTicks * tick);

        var t = stepNs;
        if (random.Next(3) == 0)
        {
            // A fleeting wider quote before the trades, as the fixture's several entries in one second show.
            Spreads.Add(new SpreadEntry(t / NanosPerSecond, bid - (random.Next(0, 2) * tick), ask + (random.Next(1, 3) * tick)));
        }

        var tradeCount = random.Next(1, 5);
        for (var i = 0; i < tradeCount; i++)
        {
            // A few milliseconds apart, in whole microseconds (PostTrade's timestamps carry six digits).
            t += (random.Next(1, 20) * 1_000_000L) + (random.Next(1, 1000) * 1_000L);
            var side = random.Next(2) == 0 ? 'b' : 's';
            var price = side == 'b' ? ask : bid;
            var volume = decimal.Round(pair.TypicalVolume * random.Next(1, 2000) / 1000m, pair.LotDecimals);
            volume = Math.Max(volume, pair.OrderMin);
            var orderType = random.Next(4) == 0 ? 'l' : 'm';

            Trades.Add(new PublicTrade(price, volume, t, side, orderType, NextTradeId++));
            foreach (var series in _candles.Values)
            {
                series.Apply(t / NanosPerSecond, price, volume);
            }

            LastPrice = price;
            LastVolume = volume;
        }

        Spreads.Add(new SpreadEntry(t / NanosPerSecond, bid, ask));
        LastBid = bid;
        LastAsk = ask;
        LastEventNs = t;

        if (reshapeBook)
        {
            ReshapeBook(t / NanosPerSecond, random);
        }
    }

    /// <summary>
    /// Rebuilds the book around the latest quotes. <paramref name="spreadAgesOverSeconds"/> dates new levels up to that
    /// far back, so a book built at start-up does not look as if every order arrived in the same second.
    /// </summary>
    public void ReshapeBook(long nowSeconds, Random random, int spreadAgesOverSeconds = 0) =>
        Book.Reshape(LastBid, LastAsk, nowSeconds, Definition, random, spreadAgesOverSeconds);

    /// <summary>Today's (since midnight UTC) and rolling 24-hour figures for Ticker, from the one-minute candles.</summary>
    public TickerStatistics Statistics(long nowSeconds)
    {
        var midnight = nowSeconds - (nowSeconds % 86_400);
        var dayAgo = nowSeconds - 86_400;
        var today = new RollingFigures();
        var lastDay = new RollingFigures();
        foreach (var candle in _candles[1].Candles)
        {
            if (candle.Time >= midnight)
            {
                today.Add(candle);
            }

            if (candle.Time > dayAgo)
            {
                lastDay.Add(candle);
            }
        }

        return new TickerStatistics(today.Result(LastPrice), lastDay.Result(LastPrice));
    }

    private sealed class RollingFigures
    {
        private decimal? _open;
        private decimal _high = decimal.MinValue;
        private decimal _low = decimal.MaxValue;
        private decimal _volume;
        private decimal _notional;
        private int _trades;

        public void Add(Candle candle)
        {
            if (candle.Count == 0)
            {
                return;
            }

            _open ??= candle.Open;
            _high = Math.Max(_high, candle.High);
            _low = Math.Min(_low, candle.Low);
            _volume += candle.Volume;
            _notional += candle.Notional;
            _trades += candle.Count;
        }

        public PeriodFigures Result(decimal lastPrice) => _trades == 0
            ? new PeriodFigures(lastPrice, lastPrice, lastPrice, 0m, lastPrice, 0)
            : new PeriodFigures(_open!.Value, _high, _low, _volume, _notional / _volume, _trades);
    }
}

/// <summary>Open, high, low, volume, VWAP and trade count over one period.</summary>
internal readonly record struct PeriodFigures(decimal Open, decimal High, decimal Low, decimal Volume, decimal Vwap, int Trades);

/// <summary>Ticker's two columns: today (since midnight UTC) and the last 24 hours.</summary>
internal readonly record struct TickerStatistics(PeriodFigures Today, PeriodFigures Last24Hours);
