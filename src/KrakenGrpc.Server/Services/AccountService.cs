using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Server.Mapping;
using KrakenGrpc.Server.Streaming;

namespace KrakenGrpc.Server.Services;

/// <summary>
/// Account data: balances, positions, trade and ledger history, exports, API key info, subaccounts. Each RPC is one
/// catalogued private Kraken call, signed for the account the caller names, with its request and result mappings.
/// </summary>
internal sealed class AccountService(KrakenCalls kraken, MarketDataHub hub) : Contracts.Spot.V1.AccountService.AccountServiceBase
{
    public override Task<GetAccountBalanceResponse> GetAccountBalance(GetAccountBalanceRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.Balance, AccountMapping.Parameters(request), AccountMapping.ToAccountBalance, context);

    public override Task<GetExtendedBalanceResponse> GetExtendedBalance(GetExtendedBalanceRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.ExtendedBalance, AccountMapping.Parameters(request), AccountMapping.ToExtendedBalance, context);

    public override Task<GetCreditLinesResponse> GetCreditLines(GetCreditLinesRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.CreditLines, AccountMapping.Parameters(request), AccountMapping.ToCreditLines, context);

    public override Task<GetTradeBalanceResponse> GetTradeBalance(GetTradeBalanceRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.TradeBalance, AccountMapping.Parameters(request), AccountMapping.ToTradeBalance, context);

    public override Task<GetOpenPositionsResponse> GetOpenPositions(GetOpenPositionsRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.OpenPositions, AccountMapping.Parameters(request), AccountMapping.ToOpenPositions, context);

    public override Task<GetTradesHistoryResponse> GetTradesHistory(GetTradesHistoryRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.TradesHistory, AccountMapping.Parameters(request), AccountMapping.ToTradesHistory, context);

    public override Task<GetTradesResponse> GetTrades(GetTradesRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.QueryTrades, AccountMapping.Parameters(request), AccountMapping.ToTrades, context);

    public override Task<GetLedgersInfoResponse> GetLedgersInfo(GetLedgersInfoRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.Ledgers, AccountMapping.Parameters(request), AccountMapping.ToLedgersInfo, context);

    public override Task<GetLedgersResponse> GetLedgers(GetLedgersRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.QueryLedgers, AccountMapping.Parameters(request), AccountMapping.ToLedgers, context);

    public override Task<GetTradingVolumeResponse> GetTradingVolume(GetTradingVolumeRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.TradeVolume, AccountMapping.Parameters(request), AccountMapping.ToTradingVolume, context);

    public override Task<RequestLedgersExportResponse> RequestLedgersExport(RequestLedgersExportRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.AddExport, AccountMapping.Parameters(request), AccountMapping.ToRequestLedgersExport, context);

    public override Task<GetLedgersExportStatusResponse> GetLedgersExportStatus(GetLedgersExportStatusRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.ExportStatus, AccountMapping.Parameters(request), AccountMapping.ToLedgersExportStatus, context);

    public override Task<DeleteLedgersExportResponse> DeleteLedgersExport(DeleteLedgersExportRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.RemoveExport, AccountMapping.Parameters(request), AccountMapping.ToDeleteLedgersExport, context);

    public override Task<GetWebSocketsTokenResponse> GetWebSocketsToken(GetWebSocketsTokenRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.GetWebSocketsToken, AccountMapping.Parameters(request), AccountMapping.ToWebSocketsToken, context);

    public override Task<GetApiKeyInfoResponse> GetApiKeyInfo(GetApiKeyInfoRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.GetApiKeyInfo, AccountMapping.Parameters(request), AccountMapping.ToApiKeyInfo, context);

    public override Task<CreateSubaccountResponse> CreateSubaccount(CreateSubaccountRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.CreateSubaccount, AccountMapping.Parameters(request), AccountMapping.ToCreateSubaccount, context);

    public override Task<SubmitSubaccountTransferResponse> SubmitSubaccountTransfer(SubmitSubaccountTransferRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.AccountTransfer, AccountMapping.Parameters(request), AccountMapping.ToSubaccountTransfer, context);

    public override Task GetLedgersExport(GetLedgersExportRequest request, IServerStreamWriter<GetLedgersExportResponse> responseStream, ServerCallContext context) =>
        kraken.DownloadAsync(KrakenEndpoints.RetrieveExport, AccountMapping.Parameters(request), chunk => new GetLedgersExportResponse { Chunk = chunk }, responseStream, context);

    public override Task StreamBalances(StreamBalancesRequest request, IServerStreamWriter<StreamBalancesResponse> responseStream, ServerCallContext context) =>
        StreamWriting.WriteAllAsync(hub.Subscribe(AccountStreams.Balances(request, kraken.AccountOf(context)), context.CancellationToken), responseStream, context);
}
