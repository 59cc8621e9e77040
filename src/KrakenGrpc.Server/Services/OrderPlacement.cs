using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Server.Mapping;

namespace KrakenGrpc.Server.Services;

/// <summary>
/// Places an order so that it is never placed twice. Every order leaves with a <c>cl_ord_id</c>; when Kraken's
/// answer is lost (a 5xx, a timeout, a dropped connection, a garbled body) the order is not sent again but looked up
/// by that id, in open orders and then closed ones, a few times (a fresh order can take a moment to appear). Found:
/// the caller gets its real txid. Not found: the caller gets UNKNOWN with the <c>cl_ord_id</c> to check with.
/// </summary>
internal sealed class OrderPlacement(KrakenCalls kraken, TimeProvider time)
{
    /// <summary>Response trailer set when the answer was recovered by lookup rather than received from AddOrder.</summary>
    public const string ReconciledTrailer = "kraken-reconciled";

    private const int Lookups = 5;
    private static readonly TimeSpan LookupPause = TimeSpan.FromMilliseconds(400);

    public async Task<SubmitOrderResponse> SubmitAsync(SubmitOrderRequest request, ServerCallContext context)
    {
        var order = ClientOrderIds.Assign(request);
        var parameters = OrdersMapping.Parameters(order);
        try
        {
            return await kraken.PrivateAsync(KrakenEndpoints.AddOrder, parameters, result => OrdersMapping.ToSubmitOrder(result, order.ClOrdId), context).ConfigureAwait(false);
        }
        catch (KrakenException lost) when (IsOutcomeUnknown(lost) && !(order.HasValidate && order.Validate))
        {
            return await ReconcileAsync(order, lost, context).ConfigureAwait(false);
        }
    }

    // The request may have reached Kraken and been carried out; only the answer is missing.
    private static bool IsOutcomeUnknown(KrakenException failure) =>
        failure.ErrorClass == KrakenErrorTable.UpstreamServerError
        || failure.ErrorClass == KrakenErrorTable.UpstreamTimeout
        || failure.ErrorClass == KrakenErrorTable.UpstreamUnreachable
        || failure.ErrorClass == KrakenErrorTable.UnreadableResponse;

    private async Task<SubmitOrderResponse> ReconcileAsync(SubmitOrderRequest order, KrakenException lost, ServerCallContext context)
    {
        if (order.ClOrdId.Length == 0)
        {
            throw Unknown(lost, "the order carries a userref, which Kraken does not keep unique, so it cannot be looked up", new() { ["userref"] = order.Userref.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        for (var lookup = 0; lookup < Lookups; lookup++)
        {
            try
            {
                if (await FindAsync(order.ClOrdId, context).ConfigureAwait(false) is { } found)
                {
                    context.ResponseTrailers.Add(ReconciledTrailer, "true");
                    return new SubmitOrderResponse
                    {
                        Txids = { found.Txid },
                        ClOrdId = order.ClOrdId,
                        OrderSummary = found.Order.Description?.OrderSummary ?? string.Empty,
                        CloseSummary = found.Order.Description?.CloseSummary ?? string.Empty,
                    };
                }
            }
            catch (KrakenException)
            {
                // A failed lookup proves nothing either way; try again, then answer UNKNOWN.
            }
            await Task.Delay(LookupPause, time, context.CancellationToken).ConfigureAwait(false);
        }
        throw Unknown(lost, $"no order with cl_ord_id {order.ClOrdId} was found in open or closed orders", new() { ["cl_ord_id"] = order.ClOrdId });
    }

    private async Task<(string Txid, OrderInfo Order)?> FindAsync(string clientOrderId, ServerCallContext context)
    {
        var open = await kraken.PrivateAsync(KrakenEndpoints.OpenOrders, OrdersMapping.Parameters(new GetOpenOrdersRequest { ClOrdId = clientOrderId }), OrdersMapping.ToOpenOrders, context).ConfigureAwait(false);
        if (open.OpenOrders.Count > 0)
        {
            var (txid, info) = open.OpenOrders.First();
            return (txid, info);
        }
        var closed = await kraken.PrivateAsync(KrakenEndpoints.ClosedOrders, OrdersMapping.Parameters(new GetClosedOrdersRequest { ClOrdId = clientOrderId }), OrdersMapping.ToClosedOrders, context).ConfigureAwait(false);
        if (closed.ClosedOrders.Count > 0)
        {
            var (txid, info) = closed.ClosedOrders.First();
            return (txid, info);
        }
        return null;
    }

    private static KrakenException Unknown(KrakenException lost, string why, Dictionary<string, string> details) =>
        new(KrakenErrorTable.OrderOutcomeUnknown, KrakenEndpoints.AddOrder.Name,
            $"The answer to AddOrder was lost ({lost.Message}) and {why}. The order was NOT sent again: it may or may not exist. Check before placing it anew.",
            lost.KrakenErrors, lost, details);
}
