using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Transport;
using KrakenGrpc.Server.Mapping;

namespace KrakenGrpc.Server.Services;

/// <summary>
/// Public market data: each RPC is one catalogued Kraken call with its request and result mappings. GetLevel3 is
/// signed and arrives with the account lanes.
/// </summary>
internal sealed class MarketDataService(KrakenClient kraken) : Contracts.Spot.V1.MarketDataService.MarketDataServiceBase
{
    public override Task<GetServerTimeResponse> GetServerTime(GetServerTimeRequest request, ServerCallContext context) =>
        kraken.CallPublicAsync(KrakenEndpoints.Time, new(), MarketDataMapping.ToServerTime, context);

    public override Task<GetSystemStatusResponse> GetSystemStatus(GetSystemStatusRequest request, ServerCallContext context) =>
        kraken.CallPublicAsync(KrakenEndpoints.SystemStatus, new(), MarketDataMapping.ToSystemStatus, context);

    public override Task<GetAssetInfoResponse> GetAssetInfo(GetAssetInfoRequest request, ServerCallContext context) =>
        kraken.CallPublicAsync(KrakenEndpoints.Assets, MarketDataMapping.Parameters(request), MarketDataMapping.ToAssetInfo, context);

    public override Task<GetAssetPairsResponse> GetAssetPairs(GetAssetPairsRequest request, ServerCallContext context) =>
        kraken.CallPublicAsync(KrakenEndpoints.AssetPairs, MarketDataMapping.Parameters(request), MarketDataMapping.ToAssetPairs, context);

    public override Task<GetTickerResponse> GetTicker(GetTickerRequest request, ServerCallContext context) =>
        kraken.CallPublicAsync(KrakenEndpoints.Ticker, MarketDataMapping.Parameters(request), MarketDataMapping.ToTicker, context);

    public override Task<GetCandlesResponse> GetCandles(GetCandlesRequest request, ServerCallContext context) =>
        kraken.CallPublicAsync(KrakenEndpoints.Ohlc, MarketDataMapping.Parameters(request), MarketDataMapping.ToCandles, context);

    public override Task<GetOrderBookResponse> GetOrderBook(GetOrderBookRequest request, ServerCallContext context) =>
        kraken.CallPublicAsync(KrakenEndpoints.Depth, MarketDataMapping.Parameters(request), MarketDataMapping.ToOrderBook, context);

    public override Task<GetGroupedBookResponse> GetGroupedBook(GetGroupedBookRequest request, ServerCallContext context) =>
        kraken.CallPublicAsync(KrakenEndpoints.GroupedBook, MarketDataMapping.Parameters(request), MarketDataMapping.ToGroupedBook, context);

    public override Task<GetRecentTradesResponse> GetRecentTrades(GetRecentTradesRequest request, ServerCallContext context) =>
        kraken.CallPublicAsync(KrakenEndpoints.Trades, MarketDataMapping.Parameters(request), MarketDataMapping.ToRecentTrades, context);

    public override Task<GetRecentSpreadsResponse> GetRecentSpreads(GetRecentSpreadsRequest request, ServerCallContext context) =>
        kraken.CallPublicAsync(KrakenEndpoints.Spread, MarketDataMapping.Parameters(request), MarketDataMapping.ToRecentSpreads, context);

    public override Task<GetPreTradeDataResponse> GetPreTradeData(GetPreTradeDataRequest request, ServerCallContext context) =>
        kraken.CallPublicAsync(KrakenEndpoints.PreTrade, MarketDataMapping.Parameters(request), MarketDataMapping.ToPreTradeData, context);

    public override Task<GetPostTradeDataResponse> GetPostTradeData(GetPostTradeDataRequest request, ServerCallContext context) =>
        kraken.CallPublicAsync(KrakenEndpoints.PostTrade, MarketDataMapping.Parameters(request), MarketDataMapping.ToPostTradeData, context);
}
