using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Server.Mapping;
using KrakenGrpc.Server.Streaming;

namespace KrakenGrpc.Server.Services;

/// <summary>
/// Market data: each unary RPC is one catalogued Kraken call with its request and result mappings. All are public
/// except GetLevel3, which is signed for the calling account. Each streaming RPC is a subscription to the hub's poller
/// of its request, written to the client by one loop.
/// </summary>
internal sealed class MarketDataService(KrakenCalls kraken, MarketDataHub hub) : Contracts.Spot.V1.MarketDataService.MarketDataServiceBase
{
    public override Task<GetServerTimeResponse> GetServerTime(GetServerTimeRequest request, ServerCallContext context) =>
        kraken.PublicAsync(KrakenEndpoints.Time, new(), MarketDataMapping.ToServerTime, context);

    public override Task<GetSystemStatusResponse> GetSystemStatus(GetSystemStatusRequest request, ServerCallContext context) =>
        kraken.PublicAsync(KrakenEndpoints.SystemStatus, new(), MarketDataMapping.ToSystemStatus, context);

    public override Task<GetAssetInfoResponse> GetAssetInfo(GetAssetInfoRequest request, ServerCallContext context) =>
        kraken.PublicAsync(KrakenEndpoints.Assets, MarketDataMapping.Parameters(request), MarketDataMapping.ToAssetInfo, context);

    public override Task<GetAssetPairsResponse> GetAssetPairs(GetAssetPairsRequest request, ServerCallContext context) =>
        kraken.PublicAsync(KrakenEndpoints.AssetPairs, MarketDataMapping.Parameters(request), MarketDataMapping.ToAssetPairs, context);

    public override Task<GetTickerResponse> GetTicker(GetTickerRequest request, ServerCallContext context) =>
        kraken.PublicAsync(KrakenEndpoints.Ticker, MarketDataMapping.Parameters(request), MarketDataMapping.ToTicker, context);

    public override Task<GetCandlesResponse> GetCandles(GetCandlesRequest request, ServerCallContext context) =>
        kraken.PublicAsync(KrakenEndpoints.Ohlc, MarketDataMapping.Parameters(request), MarketDataMapping.ToCandles, context);

    public override Task<GetOrderBookResponse> GetOrderBook(GetOrderBookRequest request, ServerCallContext context) =>
        kraken.PublicAsync(KrakenEndpoints.Depth, MarketDataMapping.Parameters(request), MarketDataMapping.ToOrderBook, context);

    public override Task<GetGroupedBookResponse> GetGroupedBook(GetGroupedBookRequest request, ServerCallContext context) =>
        kraken.PublicAsync(KrakenEndpoints.GroupedBook, MarketDataMapping.Parameters(request), MarketDataMapping.ToGroupedBook, context);

    public override Task<GetRecentTradesResponse> GetRecentTrades(GetRecentTradesRequest request, ServerCallContext context) =>
        kraken.PublicAsync(KrakenEndpoints.Trades, MarketDataMapping.Parameters(request), MarketDataMapping.ToRecentTrades, context);

    public override Task<GetRecentSpreadsResponse> GetRecentSpreads(GetRecentSpreadsRequest request, ServerCallContext context) =>
        kraken.PublicAsync(KrakenEndpoints.Spread, MarketDataMapping.Parameters(request), MarketDataMapping.ToRecentSpreads, context);

    public override Task<GetPreTradeDataResponse> GetPreTradeData(GetPreTradeDataRequest request, ServerCallContext context) =>
        kraken.PublicAsync(KrakenEndpoints.PreTrade, MarketDataMapping.Parameters(request), MarketDataMapping.ToPreTradeData, context);

    public override Task<GetPostTradeDataResponse> GetPostTradeData(GetPostTradeDataRequest request, ServerCallContext context) =>
        kraken.PublicAsync(KrakenEndpoints.PostTrade, MarketDataMapping.Parameters(request), MarketDataMapping.ToPostTradeData, context);

    public override Task<GetLevel3Response> GetLevel3(GetLevel3Request request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.Level3, MarketDataMapping.Parameters(request), MarketDataMapping.ToLevel3, context);

    public override Task StreamTicker(StreamTickerRequest request, IServerStreamWriter<StreamTickerResponse> responseStream, ServerCallContext context) =>
        StreamWriting.WriteAllAsync(hub.Subscribe(MarketDataStreams.Ticker(request), context.CancellationToken), responseStream, context);

    public override Task StreamOrderBook(StreamOrderBookRequest request, IServerStreamWriter<StreamOrderBookResponse> responseStream, ServerCallContext context) =>
        StreamWriting.WriteAllAsync(hub.Subscribe(MarketDataStreams.OrderBook(request), context.CancellationToken), responseStream, context);

    public override Task StreamCandles(StreamCandlesRequest request, IServerStreamWriter<StreamCandlesResponse> responseStream, ServerCallContext context) =>
        StreamWriting.WriteAllAsync(hub.Subscribe(MarketDataStreams.Candles(request), context.CancellationToken), responseStream, context);

    public override Task StreamTrades(StreamTradesRequest request, IServerStreamWriter<StreamTradesResponse> responseStream, ServerCallContext context) =>
        StreamWriting.WriteAllAsync(hub.Subscribe(MarketDataStreams.Trades(request), context.CancellationToken), responseStream, context);

    public override Task StreamSpreads(StreamSpreadsRequest request, IServerStreamWriter<StreamSpreadsResponse> responseStream, ServerCallContext context) =>
        StreamWriting.WriteAllAsync(hub.Subscribe(MarketDataStreams.Spreads(request), context.CancellationToken), responseStream, context);
}
