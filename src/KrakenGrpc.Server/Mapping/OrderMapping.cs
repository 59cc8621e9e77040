using System.Text.Json;
using KrakenGrpc.Contracts.Spot.V1;
using static KrakenGrpc.Server.Mapping.KrakenJson;

namespace KrakenGrpc.Server.Mapping;

/// <summary>
/// The order shape Kraken shares between OpenOrders, ClosedOrders and QueryOrders, mapped in one place. Decimal text
/// is copied, never parsed; times keep their fractional seconds; a word Kraken adds to a vocabulary reads as
/// <c>_UNSPECIFIED</c> instead of failing the answer.
/// </summary>
internal static class OrderMapping
{
    /// <summary>Each order of a map keyed by txid (<c>{"OQCLML-...": {...}, ...}</c>).</summary>
    public static void AddOrders(Google.Protobuf.Collections.MapField<string, OrderInfo> target, JsonElement ordersByTxid)
    {
        if (ordersByTxid.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var order in ordersByTxid.EnumerateObject())
        {
            target.Add(order.Name, ToOrderInfo(order.Value));
        }
    }

    /// <summary>One order (the txid is the key of the map holding it).</summary>
    public static OrderInfo ToOrderInfo(JsonElement order)
    {
        var mapped = new OrderInfo
        {
            ReferralOrderTxid = Text(order, "refid"),
            Userref = Int(order, "userref"),
            ClOrdId = Text(order, "cl_ord_id"),
            Status = KrakenVocabulary.OrderStatus.FromKraken(Text(order, "status")),
            OpenTime = UnixSeconds(order, "opentm"),
            StartTime = UnixSeconds(order, "starttm"),
            ExpireTime = UnixSeconds(order, "expiretm"),
            CloseTime = UnixSeconds(order, "closetm"),
            Description = order.TryGetProperty("descr", out var description) && description.ValueKind == JsonValueKind.Object
                ? ToOrderDescription(description)
                : null,
            Volume = Text(order, "vol"),
            VolumeExecuted = Text(order, "vol_exec"),
            Cost = Text(order, "cost"),
            Fee = Text(order, "fee"),
            AveragePrice = Text(order, "price"),
            StopPrice = Text(order, "stopprice"),
            LimitPrice = Text(order, "limitprice"),
            Trigger = KrakenVocabulary.Trigger.FromKraken(Text(order, "trigger")),
            OnMargin = Flag(order, "margin"),
            SenderSubId = Text(order, "sender_sub_id"),
            Reason = Text(order, "reason"),
        };
        mapped.MiscInfo.AddRange(Words(order, "misc"));
        mapped.OrderFlags.AddRange(Words(order, "oflags").Select(KrakenVocabulary.OrderFlag.FromKraken));
        mapped.TradeIds.AddRange(Words(order, "trades"));
        return mapped;
    }

    /// <summary>The description Kraken keeps with an order (<c>descr</c>).</summary>
    public static OrderDescription ToOrderDescription(JsonElement description) => new()
    {
        Pair = Text(description, "pair"),
        Side = KrakenVocabulary.Side.FromKraken(Text(description, "type")),
        OrderType = KrakenVocabulary.OrderType.FromKraken(Text(description, "ordertype")),
        Price = Text(description, "price"),
        SecondaryPrice = Text(description, "price2"),
        Leverage = Text(description, "leverage"),
        OrderSummary = Text(description, "order"),
        CloseSummary = Text(description, "close"),
    };
}
