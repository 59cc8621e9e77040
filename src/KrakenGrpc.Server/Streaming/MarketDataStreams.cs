using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Server.Mapping;

namespace KrakenGrpc.Server.Streaming;

/// <summary>
/// The market-data streams as the hub runs them. Each stream request becomes the unary RPC's request, normalised so
/// that equivalent requests share a poller, and is validated by the unary RPC's <see cref="MarketDataMapping"/>
/// parameters before anything is subscribed (an invalid request throws INVALID_ARGUMENT here). Kraken's answers are
/// read by the unary RPC's result mappings.
/// </summary>
internal static class MarketDataStreams
{
    /// <summary>Trades and spreads a slow subscriber may have unread before the oldest are dropped.</summary>
    public const int TapeBacklog = 5000;

    /// <summary>Trades a snapshot holds: what Kraken's Trades returns without a cursor.</summary>
    public const int TradeSnapshot = 1000;

    /// <summary>Spread entries a snapshot holds: about what Kraken's Spread keeps.</summary>
    public const int SpreadSnapshot = 200;

    /// <summary>Candles a snapshot holds and a slow subscriber may have unread: all that Kraken's OHLC serves.</summary>
    public const int CandleWindow = 720;

    private const string TokenizedAssetClass = "tokenized_asset";

    public static StreamDefinition<PairEntry<Ticker>, StreamTickerResponse> Ticker(StreamTickerRequest request)
    {
        var unary = new GetTickerRequest { AssetClass = request.AssetClass };
        unary.Pair.AddRange(request.Pair.Select(pair => Normalise(pair, request.AssetClass)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        var parameters = MarketDataMapping.Parameters(unary);
        return new()
        {
            Key = KeyOf(KrakenEndpoints.Ticker, parameters),
            Endpoint = KrakenEndpoints.Ticker,
            Parameters = _ => parameters,
            Read = result => PerPair(MarketDataMapping.ToTicker(result).Tickers),
            Identity = entry => entry.Pair,
            ToResponse = update => new StreamTickerResponse
            {
                Tickers = { update.Entries.ToDictionary(entry => entry.Pair, entry => entry.Value) },
                Snapshot = update.IsSnapshot,
            },
        };
    }

    public static StreamDefinition<PairEntry<DepthBook>, StreamOrderBookResponse> OrderBook(StreamOrderBookRequest request)
    {
        var unary = new GetOrderBookRequest { Pair = Normalise(request.Pair, request.AssetClass), AssetClass = request.AssetClass };
        if (request.HasCount)
        {
            unary.Count = request.Count;
        }
        var parameters = MarketDataMapping.Parameters(unary);
        return new()
        {
            Key = KeyOf(KrakenEndpoints.Depth, parameters),
            Endpoint = KrakenEndpoints.Depth,
            Parameters = _ => parameters,
            Read = result => PerPair(MarketDataMapping.ToOrderBook(result).Books),
            Identity = entry => entry.Pair,
            ToResponse = update => new StreamOrderBookResponse
            {
                // One pair per stream, so an update holds its one book (none only if Kraken answered an empty result).
                Pair = update.Entries.Count > 0 ? update.Entries[^1].Pair : string.Empty,
                Book = update.Entries.Count > 0 ? update.Entries[^1].Value : new DepthBook(),
                Snapshot = update.IsSnapshot,
            },
        };
    }

    public static StreamDefinition<Candle, StreamCandlesResponse> Candles(StreamCandlesRequest request)
    {
        var unary = new GetCandlesRequest { Pair = Normalise(request.Pair, request.AssetClass), Interval = request.Interval, AssetClass = request.AssetClass };
        var parameters = MarketDataMapping.Parameters(unary);
        return new()
        {
            Key = KeyOf(KrakenEndpoints.Ohlc, parameters),
            Endpoint = KrakenEndpoints.Ohlc,
            Parameters = cursor => MarketDataMapping.Parameters(new GetCandlesRequest(unary) { Since = cursor }),
            Read = result => Page(MarketDataMapping.ToCandles(result)),
            // The current candle comes back on every poll, changed or not; its time says which candle it replaces.
            Identity = candle => candle.Time,
            SnapshotLimit = CandleWindow,
            BacklogLimit = CandleWindow,
            ToResponse = update => new StreamCandlesResponse { Pair = update.Pair, Candles = { update.Entries }, Last = update.Cursor, Snapshot = update.IsSnapshot },
        };
    }

    public static StreamDefinition<PublicTrade, StreamTradesResponse> Trades(StreamTradesRequest request)
    {
        var unary = new GetRecentTradesRequest { Pair = Normalise(request.Pair, request.AssetClass), AssetClass = request.AssetClass };
        var parameters = MarketDataMapping.Parameters(unary);
        return new()
        {
            Key = KeyOf(KrakenEndpoints.Trades, parameters),
            Endpoint = KrakenEndpoints.Trades,
            Parameters = cursor => MarketDataMapping.Parameters(new GetRecentTradesRequest(unary) { Since = cursor }),
            Read = result => Page(MarketDataMapping.ToRecentTrades(result)),
            // Kraken numbers each pair's trades; the cursor should already exclude what was sent, the id makes sure.
            // (Answers from before trade ids existed carry 0: then the whole trade is its identity.)
            Identity = trade => trade.TradeId != 0 ? trade.TradeId : trade,
            SnapshotLimit = TradeSnapshot,
            BacklogLimit = TapeBacklog,
            ToResponse = update => new StreamTradesResponse { Pair = update.Pair, Trades = { update.Entries }, Last = update.Cursor, Snapshot = update.IsSnapshot },
        };
    }

    public static StreamDefinition<BookSpread, StreamSpreadsResponse> Spreads(StreamSpreadsRequest request)
    {
        var unary = new GetRecentSpreadsRequest { Pair = Normalise(request.Pair, request.AssetClass), AssetClass = request.AssetClass };
        var parameters = MarketDataMapping.Parameters(unary);
        return new()
        {
            Key = KeyOf(KrakenEndpoints.Spread, parameters),
            Endpoint = KrakenEndpoints.Spread,
            Parameters = cursor => MarketDataMapping.Parameters(new GetRecentSpreadsRequest(unary) { Since = cursor }),
            Read = result => Page(MarketDataMapping.ToRecentSpreads(result)),
            // Spread's cursor has whole seconds, so entries of the cursor's second may come again (or late): an entry
            // is its time and quotes, and one already sent is not sent again.
            Identity = spread => spread,
            SnapshotLimit = SpreadSnapshot,
            BacklogLimit = TapeBacklog,
            ToResponse = update => new StreamSpreadsResponse { Pair = update.Pair, Spreads = { update.Entries }, Last = update.Cursor, Snapshot = update.IsSnapshot },
        };
    }

    // Kraken finds crypto pairs in any letter case, so "xbtusd" and "XBTUSD" are one poller. xStocks symbols carry a
    // lower-case x ("AAPLx/USD") and Kraken's matching of them is not documented, so they are sent as written.
    private static string Normalise(string pair, string assetClass) =>
        assetClass == TokenizedAssetClass ? pair : pair.ToUpperInvariant();

    private static StreamKey KeyOf(KrakenEndpoint endpoint, KrakenParameters parameters) =>
        new(endpoint.Name, Account: null, KrakenRequestEncoder.EncodeForm(parameters));

    private static StreamPage<PairEntry<TValue>> PerPair<TValue>(IDictionary<string, TValue> byPair) =>
        new(string.Empty, [.. byPair.Select(entry => new PairEntry<TValue>(entry.Key, entry.Value))], string.Empty);

    private static StreamPage<Candle> Page(GetCandlesResponse answer) => new(answer.Pair, answer.Candles, answer.Last);

    private static StreamPage<PublicTrade> Page(GetRecentTradesResponse answer) => new(answer.Pair, answer.Trades, answer.Last);

    private static StreamPage<BookSpread> Page(GetRecentSpreadsResponse answer) => new(answer.Pair, answer.Spreads, answer.Last);
}
