namespace KrakenGrpc.Emulator.Market;

/// <summary>One price level: total volume, when it last changed (unix seconds), how many orders make it up.</summary>
internal readonly record struct BookLevel(decimal Price, decimal Volume, long Timestamp, int Orders);

/// <summary>
/// A simulated order book that evolves instead of being redrawn: on each step the levels that the new top of book
/// crosses disappear, some levels change volume, a few appear, and the far end is topped up. Untouched levels keep
/// their timestamps, as in Kraken's Depth answer.
/// </summary>
internal sealed class OrderBook
{
    /// <summary>Levels kept per side; Depth's count can ask for up to 500, Kraken returns what exists.</summary>
    public const int LevelsPerSide = 200;

    private readonly List<BookLevel> _bids = new(LevelsPerSide + 8);
    private readonly List<BookLevel> _asks = new(LevelsPerSide + 8);

    /// <summary>Bids, best (highest) first.</summary>
    public IReadOnlyList<BookLevel> Bids => _bids;

    /// <summary>Asks, best (lowest) first.</summary>
    public IReadOnlyList<BookLevel> Asks => _asks;

    /// <summary>Moves the top of the book to (<paramref name="bestBid"/>, <paramref name="bestAsk"/>) and churns the rest.</summary>
    /// <param name="bestBid">The new best bid.</param>
    /// <param name="bestAsk">The new best ask.</param>
    /// <param name="nowSeconds">Timestamp for levels that change.</param>
    /// <param name="pair">Tick size, lot decimals and typical volume of the pair.</param>
    /// <param name="random">The market's seeded generator.</param>
    /// <param name="spreadAgesOverSeconds">New levels get a timestamp up to this many seconds in the past (0 = now).</param>
    public void Reshape(decimal bestBid, decimal bestAsk, long nowSeconds, PairDefinition pair, Random random, int spreadAgesOverSeconds = 0)
    {
        var context = new LevelContext(nowSeconds, pair, random, spreadAgesOverSeconds);
        ReshapeSide(_bids, bestBid, -1, context);
        ReshapeSide(_asks, bestAsk, +1, context);
    }

    /// <summary><paramref name="direction"/> is -1 for bids (prices fall away from the top), +1 for asks.</summary>
    private static void ReshapeSide(List<BookLevel> levels, decimal best, int direction, LevelContext context)
    {
        var pair = context.Pair;
        var random = context.Random;
        var tick = pair.TickSize;

        // Orders priced through the new top have traded or been pulled.
        levels.RemoveAll(l => direction < 0 ? l.Price > best : l.Price < best);
        if (levels.Count == 0 || levels[0].Price != best)
        {
            levels.Insert(0, context.NewLevel(best));
        }

        // Churn: some resting levels gain or lose orders.
        for (var i = 1; i < levels.Count; i++)
        {
            if (random.Next(8) == 0)
            {
                levels[i] = context.NewLevel(levels[i].Price);
            }
        }

        // Spread levels so that a full side covers about half a percent of the price.
        var averageGap = decimal.Round(best * 0.005m / tick / LevelsPerSide, 0, MidpointRounding.AwayFromZero);
        var maxGap = (int)Math.Max(1m, 2m * averageGap);

        // A few new levels appear inside the book.
        for (var k = 0; k < 3 && levels.Count > 1; k++)
        {
            var price = best + (direction * random.Next(1, maxGap * 20) * tick);
            InsertSorted(levels, context.NewLevel(price), direction);
        }

        // Top up the far end, then trim.
        while (levels.Count < LevelsPerSide)
        {
            var price = levels[^1].Price + (direction * random.Next(1, maxGap + 1) * tick);
            if (price <= 0)
            {
                break;
            }

            levels.Add(context.NewLevel(price));
        }

        if (levels.Count > LevelsPerSide)
        {
            levels.RemoveRange(LevelsPerSide, levels.Count - LevelsPerSide);
        }
    }

    private static void InsertSorted(List<BookLevel> levels, BookLevel level, int direction)
    {
        if (level.Price <= 0)
        {
            return;
        }

        var index = 0;
        while (index < levels.Count && (direction < 0 ? levels[index].Price > level.Price : levels[index].Price < level.Price))
        {
            index++;
        }

        if (index < levels.Count && levels[index].Price == level.Price)
        {
            return;
        }

        levels.Insert(index, level);
    }

    /// <summary>What every new or changed level of one reshape needs.</summary>
    private readonly record struct LevelContext(long Now, PairDefinition Pair, Random Random, int SpreadAgesOverSeconds)
    {
        public BookLevel NewLevel(decimal price)
        {
            // Between 0.2% and 4x the typical size, never below what Depth can show (0.001) or the order minimum.
            var volume = decimal.Round(Pair.TypicalVolume * Random.Next(20, 40_000) / 10_000m, Pair.LotDecimals);
            volume = Math.Max(volume, Math.Max(Pair.OrderMin, 0.001m));
            var timestamp = SpreadAgesOverSeconds > 0 ? Now - Random.Next(0, SpreadAgesOverSeconds + 1) : Now;
            return new BookLevel(price, volume, timestamp, Random.Next(1, 12));
        }
    }
}
