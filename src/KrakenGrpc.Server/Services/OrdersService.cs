using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Server.Mapping;
using KrakenGrpc.Server.Streaming;

namespace KrakenGrpc.Server.Services;

/// <summary>
/// Orders: queries, placement, amendment, cancellation and the dead man's switch. Each RPC is one catalogued Kraken
/// call, signed for the calling account; the catalogue marks the writes, which are never re-sent. Placements first
/// get a client order id (<see cref="ClientOrderIds"/>), which is sent and returned; placements, cancels and amends
/// whose answer is lost are reconciled (<see cref="OrderReconciliation"/>).
/// </summary>
internal sealed class OrdersService(KrakenCalls kraken, OrderReconciliation reconciliation, MarketDataHub hub) : Contracts.Spot.V1.OrdersService.OrdersServiceBase
{
    public override Task<GetOpenOrdersResponse> GetOpenOrders(GetOpenOrdersRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.OpenOrders, OrdersMapping.Parameters(request), OrdersMapping.ToOpenOrders, context);

    public override Task<GetClosedOrdersResponse> GetClosedOrders(GetClosedOrdersRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.ClosedOrders, OrdersMapping.Parameters(request), OrdersMapping.ToClosedOrders, context);

    public override Task<GetOrdersResponse> GetOrders(GetOrdersRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.QueryOrders, OrdersMapping.Parameters(request), OrdersMapping.ToOrders, context);

    public override Task<GetOrderAmendsResponse> GetOrderAmends(GetOrderAmendsRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.OrderAmends, OrdersMapping.Parameters(request), OrdersMapping.ToOrderAmends, context);

    public override Task<SubmitOrderResponse> SubmitOrder(SubmitOrderRequest request, ServerCallContext context) =>
        reconciliation.SubmitAsync(request, context);

    public override Task<SubmitBatchOrdersResponse> SubmitBatchOrders(SubmitBatchOrdersRequest request, ServerCallContext context) =>
        reconciliation.SubmitBatchAsync(request, context);

    public override Task<AmendOrderResponse> AmendOrder(AmendOrderRequest request, ServerCallContext context) =>
        reconciliation.AmendAsync(request, context);

    public override Task<EditOrderResponse> EditOrder(EditOrderRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.EditOrder, OrdersMapping.Parameters(request), OrdersMapping.ToEditOrder, context);

    public override Task<CancelOrderResponse> CancelOrder(CancelOrderRequest request, ServerCallContext context) =>
        reconciliation.CancelAsync(request, context);

    public override Task<CancelAllOrdersResponse> CancelAllOrders(CancelAllOrdersRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.CancelAll, OrdersMapping.Parameters(request), OrdersMapping.ToCancelAllOrders, context);

    public override Task<CancelAllOrdersAfterResponse> CancelAllOrdersAfter(CancelAllOrdersAfterRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.CancelAllOrdersAfter, OrdersMapping.Parameters(request), OrdersMapping.ToCancelAllOrdersAfter, context);

    public override Task<CancelBatchOrdersResponse> CancelBatchOrders(CancelBatchOrdersRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.CancelOrderBatch, OrdersMapping.Parameters(request), OrdersMapping.ToCancelBatchOrders, context);

    public override Task StreamOpenOrders(StreamOpenOrdersRequest request, IServerStreamWriter<StreamOpenOrdersResponse> responseStream, ServerCallContext context) =>
        StreamWriting.WriteAllAsync(hub.Subscribe(AccountStreams.OpenOrders(request, kraken.AccountOf(context)), context.CancellationToken), responseStream, context);
}
