using System.Text.Json;
using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.Json;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>
/// The shapes of Kraken's private records, key for key in the order of the documented examples
/// (OpenOrders.json, ClosedOrders.json, QueryOrders.json, TradesHistory.json, Ledgers.json, OrderAmends.json).
/// Number forms follow those examples:
/// <list type="bullet">
/// <item>orders: volumes with lot_decimals; price, cost, fee, stopprice and limitprice with pair_decimals
/// ("30010.0", "11253.7"), or "0.00000" while zero; times as JSON numbers with four decimals;</item>
/// <item>trades: price to the pair's finer price decimals ("30010.00000"), cost, fee and margin to cost_decimals;</item>
/// <item>ledger entries: amount, fee and balance to the asset's decimals ("-24.5000" for a 4-decimal currency).</item>
/// </list>
/// </summary>
internal static class PrivateJson
{
    /// <summary>How the examples write a zero order amount.</summary>
    private const string ZeroAmount = "0.00000";

    /// <summary>One order as a property named by its txid. Closed orders carry reason and closetm.</summary>
    public static void WriteOrder(Utf8JsonWriter w, PaperOrder order, bool withTrades)
    {
        var pair = order.Pair;
        w.WriteStartObject(order.Txid);
        if (order.RefId is { } refId)
        {
            w.WriteString("refid", refId);
        }
        else
        {
            w.WriteNull("refid");
        }

        w.WriteNumber("userref", order.UserRef ?? 0);
        if (order.ClOrdId is { } clOrdId)
        {
            w.WriteString("cl_ord_id", clOrdId);
        }

        w.WriteString("status", StatusText(order.Status));
        var closed = !order.IsOpen;
        if (closed)
        {
            if (order.Reason is { } reason)
            {
                w.WriteString("reason", reason);
            }
            else
            {
                w.WriteNull("reason");
            }
        }

        w.WriteUnixTime("opentm", order.OpenedNs);
        if (closed)
        {
            w.WriteUnixTime("closetm", order.ClosedNs);
        }

        w.WriteNumber("starttm", order.StartTime);
        w.WriteNumber("expiretm", order.ExpireTime);

        w.WriteStartObject("descr");
        w.WriteString("pair", pair.Altname);
        w.WriteString("type", order.Side == OrderSide.Buy ? "buy" : "sell");
        w.WriteString("ordertype", order.OrderType);
        w.WriteString("price", OrderDescriptions.DescrPrice(order));
        w.WriteString("price2", OrderDescriptions.DescrPrice2(order));
        w.WriteString("leverage", order.Request.Leverage is { } leverage ? $"{leverage}:1" : "none");
        w.WriteString("order", OrderDescriptions.Order(order));
        w.WriteString("close", OrderDescriptions.Close(order.Request.Close, pair));
        w.WriteEndObject();

        w.WriteFixedString("vol", order.Volume, pair.LotDecimals);
        w.WriteFixedString("vol_exec", order.VolumeExecuted, pair.LotDecimals);
        w.WriteString("cost", OrderAmount(order.Cost, pair.PairDecimals));
        w.WriteString("fee", OrderAmount(order.Fee, pair.PairDecimals));
        w.WriteString("price", OrderAmount(order.VolumeExecuted == 0m ? 0m : order.Cost / order.VolumeExecuted, pair.PairDecimals));
        w.WriteString("stopprice", OrderAmount(order.Triggered ? order.StopPrice : 0m, pair.PairDecimals));
        w.WriteString("limitprice", OrderAmount(order.Triggered ? order.LimitPrice : 0m, pair.PairDecimals));
        w.WriteString("misc", string.Join(',', order.Misc));
        w.WriteString("oflags", Flags(order));
        if (OrderTypes.IsTriggered(order.OrderType))
        {
            w.WriteString("trigger", order.Request.Trigger);
        }

        if (withTrades && order.TradeIds.Count > 0)
        {
            w.WriteStartArray("trades");
            foreach (var id in order.TradeIds)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>One trade as a property named by its id (TradesHistory, QueryTrades).</summary>
    public static void WriteTrade(Utf8JsonWriter w, PaperTrade trade, bool withLedgers)
    {
        var pair = trade.Pair;
        w.WriteStartObject(trade.Id);
        w.WriteString("ordertxid", trade.OrderTxid);
        w.WriteString("postxid", trade.PositionTxid);
        w.WriteString("pair", pair.Key);
        w.WriteUnixTime("time", trade.TimeNs);
        w.WriteString("type", trade.Side == OrderSide.Buy ? "buy" : "sell");
        w.WriteString("ordertype", trade.OrderType);
        w.WriteFixedString("price", trade.Price, pair.PriceDecimals);
        w.WriteFixedString("cost", trade.Cost, pair.CostDecimals);
        w.WriteFixedString("fee", trade.Fee, pair.CostDecimals);
        w.WriteFixedString("vol", trade.Volume, pair.LotDecimals);
        w.WriteFixedString("margin", 0m, pair.CostDecimals);
        w.WriteString("misc", string.Empty);
        if (withLedgers)
        {
            w.WriteStartArray("ledgers");
            foreach (var id in trade.LedgerIds)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
        }

        w.WriteNumber("trade_id", trade.TradeId);
        w.WriteBoolean("maker", trade.Maker);
        w.WriteEndObject();
    }

    /// <summary>One ledger entry as a property named by its id (Ledgers, QueryLedgers).</summary>
    public static void WriteLedger(Utf8JsonWriter w, LedgerEntry entry)
    {
        var decimals = entry.Asset.Decimals;
        w.WriteStartObject(entry.Id);
        w.WriteString("refid", entry.RefId);
        w.WriteUnixTime("time", entry.TimeNs);
        w.WriteString("type", entry.Type);
        w.WriteString("subtype", entry.Subtype);
        w.WriteString("aclass", entry.Asset.Aclass);
        w.WriteString("asset", entry.Asset.Key);
        w.WriteFixedString("amount", entry.Amount, decimals);
        w.WriteFixedString("fee", entry.Fee, decimals);
        w.WriteFixedString("balance", entry.Balance, decimals);
        w.WriteEndObject();
    }

    /// <summary>One OrderAmends entry: the optional fields only where they apply (iceberg, trigger types, post-only).</summary>
    public static void WriteAmend(Utf8JsonWriter w, PaperOrder order, OrderAmend amend)
    {
        var pair = order.Pair;
        w.WriteStartObject();
        w.WriteString("amend_id", amend.AmendId);
        w.WriteString("amend_type", amend.AmendType);
        w.WriteFixedString("order_qty", amend.OrderQty, pair.LotDecimals);
        if (amend.DisplayQty is { } display)
        {
            w.WriteFixedString("display_qty", display, pair.LotDecimals);
        }

        w.WriteFixedString("remaining_qty", amend.RemainingQty, pair.LotDecimals);
        if (amend.LimitPrice is { } limit)
        {
            w.WriteFixedString("limit_price", limit, pair.PairDecimals);
        }

        if (amend.TriggerPrice is { } trigger)
        {
            w.WriteFixedString("trigger_price", trigger, pair.PairDecimals);
        }

        if (amend.Reason is { } reason)
        {
            w.WriteString("reason", reason);
        }

        if (amend.PostOnly)
        {
            w.WriteBoolean("post_only", true);
        }

        w.WriteNumber("timestamp", amend.TimestampNs);
        w.WriteEndObject();
    }

    public static string StatusText(OrderStatus status) => status switch
    {
        OrderStatus.Pending => "pending",
        OrderStatus.Open => "open",
        OrderStatus.Closed => "closed",
        OrderStatus.Canceled => "canceled",
        _ => "expired",
    };

    /// <summary>Kraken's oflags text: the flags given, then the fee currency that applies ("post,fciq", "fcib").</summary>
    public static string Flags(PaperOrder order)
    {
        var request = order.Request;
        var flags = new List<string>(4);
        if (order.PostOnly)
        {
            flags.Add("post");
        }

        if (request.Viqc)
        {
            flags.Add("viqc");
        }

        if (request.NoMpp)
        {
            flags.Add("nompp");
        }

        flags.Add(request.FeeInBase ? "fcib" : "fciq");
        return string.Join(',', flags);
    }

    private static string OrderAmount(decimal value, int decimals) => value == 0m ? ZeroAmount : KrakenNumber.Fixed(value, decimals);
}
