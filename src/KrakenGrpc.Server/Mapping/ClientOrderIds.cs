using KrakenGrpc.Contracts.Spot.V1;

namespace KrakenGrpc.Server.Mapping;

/// <summary>
/// Every order leaves the gateway with a client order id, so that an order whose answer was lost can be found again
/// (Kraken keeps <c>cl_ord_id</c> unique among the account's open orders; <c>userref</c> is not unique). When the
/// caller set neither <c>cl_ord_id</c> nor <c>userref</c>, the gateway assigns one here: Kraken's "short UUID" form,
/// 32 lowercase hex characters of a random (version 4) UUID. The C# client library mirrors this generator.
/// </summary>
internal static class ClientOrderIds
{
    /// <summary>A fresh client order id: 32 lowercase hex characters, e.g. <c>da8e4ad59b78481c93e589746b0cf91f</c>.</summary>
    public static string New() => Guid.NewGuid().ToString("N");

    /// <summary>The request to send: a copy with a generated <c>cl_ord_id</c> when the caller set neither it nor <c>userref</c>.</summary>
    public static SubmitOrderRequest Assign(SubmitOrderRequest request)
    {
        var order = request.Clone();
        if (NeedsOne(order.HasUserref, order.ClOrdId))
        {
            order.ClOrdId = New();
        }
        return order;
    }

    /// <summary>The batch to send: a copy in which each order without <c>cl_ord_id</c> and <c>userref</c> got a generated one.</summary>
    public static SubmitBatchOrdersRequest Assign(SubmitBatchOrdersRequest request)
    {
        var batch = request.Clone();
        foreach (var order in batch.Orders.Where(o => NeedsOne(o.HasUserref, o.ClOrdId)))
        {
            order.ClOrdId = New();
        }
        return batch;
    }

    private static bool NeedsOne(bool hasUserref, string clOrdId) => !hasUserref && clOrdId.Length == 0;
}
