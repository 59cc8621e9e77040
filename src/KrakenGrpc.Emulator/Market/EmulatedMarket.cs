using KrakenGrpc.Emulator.Market;

namespace KrakenGrpc.Emulator;

/// <summary>
/// The simulated market behind the public endpoints: a seeded random walk per pair that prints trades, spread
/// entries, candles and book changes on every <see cref="Step()"/>. Thread-safe: every read and write of the
/// market state happens under one gate, which later additions (paper account, matching engine) share.
/// </summary>
/// <remarks>
/// Time: each step happens at the wall-clock time, but never earlier than the second after the previous step's last
/// event. Kraken's Spread and OHLC cursors have whole-second resolution, so this keeps "since = last" exact: a step
/// always lands in a later second. Stepping by hand faster than once a second therefore runs the market clock ahead
/// of the wall clock; <see cref="Now"/> (and the Time endpoint) follow the market clock.
/// </remarks>
public sealed class EmulatedMarket
{
    private const long NanosPerSecond = 1_000_000_000L;

    /// <summary>History built at start-up: one step a minute for a day, so Ticker's 24-hour figures and OHLC have data.</summary>
    private const int HistoryMinutes = 24 * 60;

    private readonly Random _random;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, PairMarket> _pairs;
    private long _lastEventNs;
    private long _lastEventSecond;
    private long _stepCount;
    private string _systemStatus = "online";

    internal EmulatedMarket(int seed, TimeProvider clock)
    {
        _random = new Random(seed);
        _clock = clock;
        Catalogue = new MarketCatalogue();
        _pairs = Catalogue.Pairs.ToDictionary(p => p.Key, p => new PairMarket(p), StringComparer.Ordinal);
        BuildHistory();
    }

    /// <summary>What SystemStatus reports: online | maintenance | cancel_only | post_only.</summary>
    public string SystemStatus
    {
        get
        {
            lock (Gate)
            {
                return _systemStatus;
            }
        }

        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            lock (Gate)
            {
                _systemStatus = value;
            }
        }
    }

    /// <summary>The market clock: the wall clock, or the latest event's time when manual steps ran ahead of it.</summary>
    public DateTimeOffset Now => DateTimeOffset.UnixEpoch.AddTicks(NowNs / 100);

    /// <summary>How many steps have run since start (the start-up history not counted).</summary>
    public long StepCount
    {
        get
        {
            lock (Gate)
            {
                return _stepCount;
            }
        }
    }

    /// <summary>The pair keys ("XXBTZUSD", "SOLEUR", ...) the market lists, in Kraken's order.</summary>
    public IReadOnlyList<string> PairKeys => Catalogue.Pairs.Select(p => p.Key).ToArray();

    /// <summary>Guards all market state. Endpoints hold it while they render an answer.</summary>
    internal Lock Gate { get; } = new();

    internal MarketCatalogue Catalogue { get; }

    /// <summary>Runs inside the gate after each live step (not the start-up history): the matching engine's sweep.</summary>
    internal Action? AfterStep { get; set; }

    internal long NowNs
    {
        get
        {
            lock (Gate)
            {
                return Math.Max(WallNs(), _lastEventNs);
            }
        }
    }

    /// <summary>The last traded price of a pair (any name Kraken accepts), for tests and the later matching engine.</summary>
    public decimal LastPrice(string pair)
    {
        if (!Catalogue.TryFindPair(pair, out var definition))
        {
            throw new ArgumentException($"Unknown pair '{pair}'.", nameof(pair));
        }

        lock (Gate)
        {
            return _pairs[definition.Key].LastPrice;
        }
    }

    /// <summary>Moves every price once: new trades, spread entries, candle updates and book changes for every pair.</summary>
    public void Step() => Step(1);

    /// <summary>Runs <paramref name="times"/> steps.</summary>
    public void Step(int times)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        lock (Gate)
        {
            for (var i = 0; i < times; i++)
            {
                var earliest = (_lastEventSecond + 1) * NanosPerSecond;
                RunStep(Math.Max(WallNs(), earliest), reshapeBook: true);
                _stepCount++;

                // Resting paper orders see every step: the matching engine fills, triggers and expires them here.
                AfterStep?.Invoke();
            }
        }
    }

    /// <summary>The state of one pair; call only while holding <see cref="Gate"/>.</summary>
    internal PairMarket Pair(PairDefinition definition) => _pairs[definition.Key];

    private void BuildHistory()
    {
        lock (Gate)
        {
            var start = WallNs() - (HistoryMinutes * 60 * NanosPerSecond);
            for (var minute = 0; minute < HistoryMinutes; minute++)
            {
                RunStep(start + (minute * 60 * NanosPerSecond), reshapeBook: false);
            }

            foreach (var pair in _pairs.Values)
            {
                pair.ReshapeBook(_lastEventSecond, _random, spreadAgesOverSeconds: 900);
            }
        }
    }

    private void RunStep(long stepNs, bool reshapeBook)
    {
        // Pairs move in key order so that one seed always gives the same prices.
        foreach (var definition in Catalogue.Pairs)
        {
            var pair = _pairs[definition.Key];
            pair.Advance(stepNs, _random, reshapeBook);
            _lastEventNs = Math.Max(_lastEventNs, pair.LastEventNs);
        }

        _lastEventSecond = _lastEventNs / NanosPerSecond;
    }

    /// <summary>Wall-clock unix nanoseconds, cut to whole microseconds like every timestamp the market makes.</summary>
    private long WallNs()
    {
        var ticks = _clock.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks;
        return ticks / 10 * 1_000;
    }
}
