using System.Globalization;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Server.Mapping;

namespace KrakenGrpc.Server.Services;

/// <summary>
/// Order writes whose answer is lost (a 5xx, a timeout, a dropped connection, a garbled body: the core reports them
/// as <see cref="KrakenErrorTable.WriteOutcomeUnknown"/>) are never sent again. Instead the gateway asks Kraken what
/// happened, a few times (a fresh order can take a moment to appear): placed orders are found by the
/// <c>cl_ord_id</c> every order leaves with, a cancel by the order's status, an amend among the order's amends.
/// Established: the caller gets the real answer and the trailer <c>kraken-reconciled: true</c>. Not established:
/// UNKNOWN with the ids to check in ErrorInfo metadata.
/// </summary>
internal sealed class OrderReconciliation(KrakenCalls kraken, TimeProvider time)
{
    /// <summary>Response trailer set when the answer was recovered by lookup rather than received from Kraken.</summary>
    public const string ReconciledTrailer = "kraken-reconciled";

    private const int Lookups = 5;
    private static readonly TimeSpan LookupPause = TimeSpan.FromMilliseconds(400);

    // Time kept back from the caller's deadline for the answer itself: UNKNOWN with the ids to check must reach the
    // caller, not DEADLINE_EXCEEDED after a lookup that waited for rate budget until the very end.
    private static readonly TimeSpan AnswerReserve = TimeSpan.FromMilliseconds(500);

    // Orders closed before the write was sent cannot be the write's; this margin covers clock skew with Kraken.
    private static readonly TimeSpan ClockMargin = TimeSpan.FromSeconds(60);

    public async Task<SubmitOrderResponse> SubmitAsync(SubmitOrderRequest request, ServerCallContext context)
    {
        var order = ClientOrderIds.Assign(request);
        var parameters = OrdersMapping.Parameters(order);
        var sentAt = time.GetUtcNow();
        try
        {
            return await kraken.PrivateAsync(KrakenEndpoints.AddOrder, parameters, result => OrdersMapping.ToSubmitOrder(result, order.ClOrdId), context).ConfigureAwait(false);
        }
        catch (KrakenException lost) when (lost.ErrorClass == KrakenErrorTable.WriteOutcomeUnknown && !(order.HasValidate && order.Validate))
        {
            if (order.ClOrdId.Length == 0)
            {
                throw Unknown(lost, "the order carries a userref, which Kraken does not keep unique, so it cannot be looked up",
                    new() { ["userref"] = order.Userref.ToString(CultureInfo.InvariantCulture) });
            }
            var found = await FindPlacedAsync([order.ClOrdId], sentAt, context).ConfigureAwait(false);
            if (!found.TryGetValue(order.ClOrdId, out var placed))
            {
                throw Unknown(lost, $"no order with cl_ord_id {order.ClOrdId} was found in open or closed orders", new() { ["cl_ord_id"] = order.ClOrdId });
            }
            return Reconciled(context, new SubmitOrderResponse
            {
                Txids = { placed.Txid },
                ClOrdId = order.ClOrdId,
                OrderSummary = placed.Order.Description?.OrderSummary ?? string.Empty,
                CloseSummary = placed.Order.Description?.CloseSummary ?? string.Empty,
            });
        }
    }

    public async Task<SubmitBatchOrdersResponse> SubmitBatchAsync(SubmitBatchOrdersRequest request, ServerCallContext context)
    {
        var batch = ClientOrderIds.Assign(request);
        var parameters = OrdersMapping.Parameters(batch);
        var sentAt = time.GetUtcNow();
        try
        {
            return await kraken.PrivateAsync(KrakenEndpoints.AddOrderBatch, parameters, result => OrdersMapping.ToSubmitBatchOrders(result, batch), context).ConfigureAwait(false);
        }
        catch (KrakenException lost) when (lost.ErrorClass == KrakenErrorTable.WriteOutcomeUnknown && !(batch.HasValidate && batch.Validate))
        {
            if (batch.Orders.Any(o => o.ClOrdId.Length == 0))
            {
                throw Unknown(lost, "some orders carry a userref, which Kraken does not keep unique, so the batch cannot be looked up",
                    new() { ["cl_ord_ids"] = string.Join(',', batch.Orders.Select(o => o.ClOrdId).Where(id => id.Length > 0)) });
            }
            var ids = batch.Orders.Select(o => o.ClOrdId).ToList();
            var found = await FindPlacedAsync(ids, sentAt, context).ConfigureAwait(false);
            var missing = ids.Where(id => !found.ContainsKey(id)).ToList();
            if (missing.Count > 0)
            {
                // Kraken may have rejected some orders of an accepted batch on their own (funds), or not taken the
                // batch at all: only the orders found are known to exist.
                throw Unknown(lost, $"{missing.Count} of its {ids.Count} orders were not found in open or closed orders", new()
                {
                    ["cl_ord_ids_not_found"] = string.Join(',', missing),
                    ["cl_ord_ids_found"] = string.Join(',', ids.Where(found.ContainsKey)),
                });
            }
            var response = new SubmitBatchOrdersResponse();
            response.Orders.AddRange(ids.Select(id => new BatchOrderResult
            {
                Txid = found[id].Txid,
                ClOrdId = id,
                OrderSummary = found[id].Order.Description?.OrderSummary ?? string.Empty,
                CloseSummary = found[id].Order.Description?.CloseSummary ?? string.Empty,
            }));
            return Reconciled(context, response);
        }
    }

    public async Task<CancelOrderResponse> CancelAsync(CancelOrderRequest request, ServerCallContext context)
    {
        try
        {
            return await kraken.PrivateAsync(KrakenEndpoints.CancelOrder, OrdersMapping.Parameters(request), OrdersMapping.ToCancelOrder, context).ConfigureAwait(false);
        }
        catch (KrakenException lost) when (lost.ErrorClass == KrakenErrorTable.WriteOutcomeUnknown)
        {
            var which = request.ClOrdId.Length > 0 ? new Dictionary<string, string> { ["cl_ord_id"] = request.ClOrdId } : new() { ["txid"] = request.Txid };
            if (request.ClOrdId.Length == 0 && request.Txid.All(char.IsAsciiDigit))
            {
                throw Unknown(lost, "it named a userref, whose orders cannot be told apart afterwards; sending the cancel again is safe", which);
            }
            var status = await UntilAsync(() => StatusAsync(request.Txid, request.ClOrdId, context), s => s is OrderStatus.Canceled, context).ConfigureAwait(false);
            return status is OrderStatus.Canceled
                ? Reconciled(context, new CancelOrderResponse { Count = 1 })
                : throw Unknown(lost, $"the order's status is {(status is { } s ? s.ToString().ToUpperInvariant() : "unknown")}, not cancelled; sending the cancel again is safe (an order already gone answers NOT_FOUND)", which);
        }
    }

    public async Task<AmendOrderResponse> AmendAsync(AmendOrderRequest request, ServerCallContext context)
    {
        var sentAt = time.GetUtcNow();
        try
        {
            return await kraken.PrivateAsync(KrakenEndpoints.AmendOrder, OrdersMapping.Parameters(request), OrdersMapping.ToAmendOrder, context).ConfigureAwait(false);
        }
        catch (KrakenException lost) when (lost.ErrorClass == KrakenErrorTable.WriteOutcomeUnknown)
        {
            var which = request.ClOrdId.Length > 0 ? new Dictionary<string, string> { ["cl_ord_id"] = request.ClOrdId } : new() { ["txid"] = request.Txid };
            var amend = await UntilAsync(() => AmendMatchingAsync(request, sentAt, context), a => a is not null, context).ConfigureAwait(false);
            return amend is not null
                ? Reconciled(context, new AmendOrderResponse { AmendId = amend.AmendId })
                : throw Unknown(lost, "no amend with the requested values was found among the order's amends", which);
        }
    }

    // Looks the orders up by cl_ord_id: all open orders, then orders closed since the write was sent.
    private async Task<Dictionary<string, (string Txid, OrderInfo Order)>> FindPlacedAsync(List<string> clientOrderIds, DateTimeOffset sentAt, ServerCallContext context)
    {
        var wanted = clientOrderIds.ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, (string Txid, OrderInfo Order)>(StringComparer.Ordinal);
        await UntilAsync(async () =>
        {
            var open = await LookUpAsync(KrakenEndpoints.OpenOrders, OrdersMapping.Parameters(new GetOpenOrdersRequest()), OrdersMapping.ToOpenOrders, context).ConfigureAwait(false);
            Collect(open.OpenOrders);
            if (found.Count < wanted.Count)
            {
                var since = (sentAt - ClockMargin).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                var closed = await LookUpAsync(KrakenEndpoints.ClosedOrders, OrdersMapping.Parameters(new GetClosedOrdersRequest { Start = since }), OrdersMapping.ToClosedOrders, context).ConfigureAwait(false);
                Collect(closed.ClosedOrders);
            }
            return found.Count;
        }, count => count == wanted.Count, context).ConfigureAwait(false);
        return found;

        void Collect(IEnumerable<KeyValuePair<string, OrderInfo>> orders)
        {
            foreach (var (txid, order) in orders.Where(o => wanted.Contains(o.Value.ClOrdId)))
            {
                found[order.ClOrdId] = (txid, order);
            }
        }
    }

    private async Task<OrderStatus?> StatusAsync(string txid, string clientOrderId, ServerCallContext context)
    {
        if (clientOrderId.Length == 0)
        {
            var orders = await LookUpAsync(KrakenEndpoints.QueryOrders, OrdersMapping.Parameters(new GetOrdersRequest { Txid = { txid } }), OrdersMapping.ToOrders, context).ConfigureAwait(false);
            return orders.Orders.TryGetValue(txid, out var order) ? order.Status : null;
        }
        var open = await LookUpAsync(KrakenEndpoints.OpenOrders, OrdersMapping.Parameters(new GetOpenOrdersRequest { ClOrdId = clientOrderId }), OrdersMapping.ToOpenOrders, context).ConfigureAwait(false);
        if (open.OpenOrders.Count > 0)
        {
            return open.OpenOrders.First().Value.Status;
        }
        var closed = await LookUpAsync(KrakenEndpoints.ClosedOrders, OrdersMapping.Parameters(new GetClosedOrdersRequest { ClOrdId = clientOrderId }), OrdersMapping.ToClosedOrders, context).ConfigureAwait(false);
        return closed.ClosedOrders.Count > 0 ? closed.ClosedOrders.First().Value.Status : null;
    }

    // The amend this request made: a user amend, no older than the request, carrying every value it asked for.
    private async Task<OrderAmend?> AmendMatchingAsync(AmendOrderRequest request, DateTimeOffset sentAt, ServerCallContext context)
    {
        var txid = request.Txid;
        if (txid.Length == 0)
        {
            var open = await LookUpAsync(KrakenEndpoints.OpenOrders, OrdersMapping.Parameters(new GetOpenOrdersRequest { ClOrdId = request.ClOrdId }), OrdersMapping.ToOpenOrders, context).ConfigureAwait(false);
            if (open.OpenOrders.Count == 0)
            {
                return null;
            }
            txid = open.OpenOrders.First().Key;
        }
        var amends = await LookUpAsync(KrakenEndpoints.OrderAmends, OrdersMapping.Parameters(new GetOrderAmendsRequest { OrderId = txid }), OrdersMapping.ToOrderAmends, context).ConfigureAwait(false);
        return amends.Amends.LastOrDefault(a =>
            a.AmendType == OrderAmendType.User
            && (a.Time is null || a.Time.ToDateTimeOffset() >= sentAt - ClockMargin)
            && SameNumber(request.OrderQty, a.OrderQuantity)
            && SameNumber(request.DisplayQty, a.DisplayQuantity)
            && SameNumber(request.LimitPrice, a.LimitPrice)
            && SameNumber(request.TriggerPrice, a.TriggerPrice));
    }

    // A value the amend did not ask to change matches anything; one it did must be equal as a number ("1.50" = "1.5").
    private static bool SameNumber(string requested, string amended) =>
        requested.Length == 0
        || (decimal.TryParse(requested, NumberStyles.Number, CultureInfo.InvariantCulture, out var a)
            && decimal.TryParse(amended, NumberStyles.Number, CultureInfo.InvariantCulture, out var b)
            && a == b);

    // A lookup must answer before the caller's deadline less the reserve; one that cannot is refused unsent.
    private Task<T> LookUpAsync<T>(KrakenEndpoint endpoint, KrakenParameters parameters, Func<System.Text.Json.JsonElement, T> map, ServerCallContext context) =>
        kraken.PrivateAsync(endpoint, parameters, map, context, KrakenCalls.DeadlineOf(context) - AnswerReserve);

    // Asks up to Lookups times, pausing between, until the answer settles it; a failed lookup proves nothing either
    // way. Stops early when no further lookup fits before the caller's deadline.
    private async Task<T?> UntilAsync<T>(Func<Task<T>> lookup, Func<T, bool> settled, ServerCallContext context)
    {
        T? last = default;
        var end = KrakenCalls.DeadlineOf(context) - AnswerReserve;
        for (var attempt = 0; attempt < Lookups && (end is null || time.GetUtcNow() + LookupPause < end); attempt++)
        {
            try
            {
                last = await lookup().ConfigureAwait(false);
                if (settled(last))
                {
                    return last;
                }
            }
            catch (KrakenException)
            {
                // Try again; after the last attempt the caller hears UNKNOWN.
            }
            await Task.Delay(LookupPause, time, context.CancellationToken).ConfigureAwait(false);
        }
        return last;
    }

    private static T Reconciled<T>(ServerCallContext context, T response)
    {
        context.ResponseTrailers.Add(ReconciledTrailer, "true");
        return response;
    }

    private static KrakenException Unknown(KrakenException lost, string why, Dictionary<string, string> details) =>
        new(KrakenErrorTable.OrderOutcomeUnknown, lost.Endpoint,
            $"The answer to {lost.Endpoint} was lost ({lost.InnerException?.Message ?? lost.Message}) and {why}. It was NOT sent again: check before sending it anew.",
            lost.KrakenErrors, lost, details);
}
