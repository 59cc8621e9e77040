namespace KrakenGrpc.Emulator.Market;

/// <summary>One OHLC candle. Mutable: the current candle keeps changing until its interval closes.</summary>
internal sealed class Candle(long time, decimal open)
{
    /// <summary>Start of the interval, unix seconds.</summary>
    public long Time { get; } = time;

    public decimal Open { get; } = open;

    public decimal High { get; private set; } = open;

    public decimal Low { get; private set; } = open;

    public decimal Close { get; private set; } = open;

    /// <summary>Sum of price x volume, so VWAP stays exact.</summary>
    public decimal Notional { get; private set; }

    public decimal Volume { get; private set; }

    public int Count { get; private set; }

    /// <summary>Volume-weighted average price; zero for an interval without trades.</summary>
    public decimal Vwap => Volume == 0 ? 0m : Notional / Volume;

    public void Add(decimal price, decimal volume)
    {
        High = Math.Max(High, price);
        Low = Math.Min(Low, price);
        Close = price;
        Notional += price * volume;
        Volume += volume;
        Count++;
    }
}

/// <summary>
/// The candles of one interval for one pair, aligned on multiples of the interval since the unix epoch (so the
/// daily candle starts at midnight UTC, as Kraken's does). Intervals without trades get a flat candle at the
/// previous close, so the series has no holes.
/// </summary>
internal sealed class CandleSeries(int intervalMinutes, int capacity)
{
    private readonly List<Candle> _candles = new(capacity + 1);

    public int IntervalMinutes { get; } = intervalMinutes;

    public long IntervalSeconds { get; } = intervalMinutes * 60L;

    public IReadOnlyList<Candle> Candles => _candles;

    public long BucketOf(long unixSeconds) => unixSeconds - (unixSeconds % IntervalSeconds);

    /// <summary>Adds a trade to the candle its time falls in, opening new candles as intervals close.</summary>
    public void Apply(long unixSeconds, decimal price, decimal volume)
    {
        var candle = CandleAt(BucketOf(unixSeconds), price);
        candle.Add(price, volume);
    }

    /// <summary>Makes sure the candle holding <paramref name="nowSeconds"/> exists (flat at the last close if no trade yet).</summary>
    public void EnsureCurrent(long nowSeconds, decimal lastPrice)
    {
        var bucket = BucketOf(nowSeconds);
        if (_candles.Count == 0 || _candles[^1].Time < bucket)
        {
            CandleAt(bucket, _candles.Count == 0 ? lastPrice : _candles[^1].Close);
        }
    }

    /// <summary>The candle of <paramref name="bucket"/>; a new one opens at <paramref name="openIfNew"/>.</summary>
    private Candle CandleAt(long bucket, decimal openIfNew)
    {
        if (_candles.Count > 0)
        {
            var last = _candles[^1];
            if (bucket <= last.Time)
            {
                // Time never runs backwards in the simulation; a late entry joins the current candle.
                return last;
            }

            // Fill skipped intervals with flat candles, but never more than the series keeps.
            var firstGap = Math.Max(last.Time + IntervalSeconds, bucket - (capacity * IntervalSeconds));
            for (var t = firstGap; t < bucket; t += IntervalSeconds)
            {
                Append(new Candle(t, last.Close));
            }
        }

        var candle = new Candle(bucket, openIfNew);
        Append(candle);
        return candle;
    }

    private void Append(Candle candle)
    {
        _candles.Add(candle);
        if (_candles.Count > capacity)
        {
            _candles.RemoveRange(0, _candles.Count - capacity);
        }
    }
}
