namespace KrakenGrpc.Emulator.Market;

/// <summary>One entry of the public trade tape (Trades, PostTrade).</summary>
/// <param name="Price">Execution price, a multiple of the pair's tick size.</param>
/// <param name="Volume">Volume in the base asset.</param>
/// <param name="TimeNs">Unix time in nanoseconds; whole microseconds, strictly increasing per pair so the cursors are exact.</param>
/// <param name="Side">'b' when the taker bought, 's' when it sold.</param>
/// <param name="OrderType">'m' market, 'l' limit.</param>
/// <param name="TradeId">Kraken's per-pair integer trade id, rising by one per trade.</param>
internal readonly record struct PublicTrade(decimal Price, decimal Volume, long TimeNs, char Side, char OrderType, long TradeId);

/// <summary>One top-of-book change (Spread): whole unix seconds, best bid, best ask.</summary>
internal readonly record struct SpreadEntry(long Time, decimal Bid, decimal Ask);

/// <summary>A bounded, time-ordered list that forgets its oldest entries: the tapes Kraken serves from.</summary>
internal sealed class Tape<T>(int capacity)
{
    private readonly Queue<T> _entries = new(capacity);

    public int Count => _entries.Count;

    public IEnumerable<T> Entries => _entries;

    public void Add(T entry)
    {
        if (_entries.Count == capacity)
        {
            _entries.Dequeue();
        }

        _entries.Enqueue(entry);
    }
}
