using System.Text.Json;
using KrakenGrpc.Contracts.Spot.V1;
using static KrakenGrpc.Server.Mapping.KrakenJson;

namespace KrakenGrpc.Server.Mapping;

/// <summary>
/// The trade and ledger-entry shapes Kraken shares between endpoints (TradesHistory and QueryTrades; Ledgers and
/// QueryLedgers), mapped in one place. Decimal text is copied, never parsed; see <see cref="KrakenJson"/>.
/// </summary>
internal static class TradeMapping
{
    /// <summary>One trade, as TradesHistory and QueryTrades report it (the txid is the key of the map holding it).</summary>
    public static TradeInfo ToTradeInfo(JsonElement trade)
    {
        var mapped = new TradeInfo
        {
            OrderTxid = Text(trade, "ordertxid"),
            PositionTxid = Text(trade, "postxid"),
            Pair = Text(trade, "pair"),
            Time = UnixSeconds(trade, "time"),
            Side = KrakenVocabulary.Side.FromKraken(Text(trade, "type")),
            OrderType = KrakenVocabulary.OrderType.FromKraken(Text(trade, "ordertype")),
            Price = Text(trade, "price"),
            Cost = Text(trade, "cost"),
            Fee = Text(trade, "fee"),
            Volume = Text(trade, "vol"),
            InitialMargin = Text(trade, "margin"),
            Leverage = Text(trade, "leverage"),
            TradeId = Long(trade, "trade_id"),
            Maker = Flag(trade, "maker"),
            PositionStatus = KrakenVocabulary.PositionStatus.FromKraken(Text(trade, "posstatus")),
            // The schema types the closed-position fields as numbers, the examples as strings: Text keeps either verbatim.
            ClosedAveragePrice = Text(trade, "cprice"),
            ClosedCost = Text(trade, "ccost"),
            ClosedFee = Text(trade, "cfee"),
            ClosedVolume = Text(trade, "cvol"),
            ClosedMargin = Text(trade, "cmargin"),
            ClosedNetProfitLoss = Text(trade, "net"),
            AssetClass = Text(trade, "aclass"),
            TradeOrderType = KrakenVocabulary.OrderType.FromKraken(Text(trade, "tradeordertype")),
        };
        mapped.MiscInfo.AddRange(Words(trade, "misc"));
        mapped.LedgerIds.AddRange(Words(trade, "ledgers"));
        mapped.ClosingTradeIds.AddRange(Words(trade, "trades"));
        return mapped;
    }

    /// <summary>One ledger entry, as Ledgers and QueryLedgers report it (the ledger id is the key of the map holding it).</summary>
    public static LedgerEntry ToLedgerEntry(JsonElement entry) => new()
    {
        ReferenceId = Text(entry, "refid"),
        Time = UnixSeconds(entry, "time"),
        Type = Text(entry, "type"),
        Subtype = Text(entry, "subtype"),
        AssetClass = Text(entry, "aclass"),
        Asset = Text(entry, "asset"),
        Amount = Text(entry, "amount"),
        Fee = Text(entry, "fee"),
        Balance = Text(entry, "balance"),
    };
}
