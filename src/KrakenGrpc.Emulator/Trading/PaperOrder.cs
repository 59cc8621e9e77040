using KrakenGrpc.Emulator.Market;

namespace KrakenGrpc.Emulator.Trading;

internal enum OrderStatus
{
    Pending,
    Open,
    Closed,
    Canceled,
    Expired,
}

/// <summary>
/// One order of a paper account, from submission to its final state. Prices here are absolute: relative prices
/// are resolved against the last trade when the order is placed (trailing offsets stay offsets). Mutable, and only
/// touched under the emulator's gate.
/// </summary>
internal sealed class PaperOrder
{
    public required string Txid { get; init; }

    public required OrderRequest Request { get; init; }

    public PairDefinition Pair => Request.Pair;

    public OrderSide Side => Request.Side;

    public string OrderType => Request.OrderType;

    /// <summary>Ordered volume (base). AmendOrder may change it.</summary>
    public required decimal Volume { get; set; }

    public decimal VolumeExecuted { get; set; }

    /// <summary>Sum of the fills' costs (quote).</summary>
    public decimal Cost { get; set; }

    /// <summary>Sum of the fills' fees, in quote terms as Kraken reports an order's fee.</summary>
    public decimal Fee { get; set; }

    public decimal Remaining => Volume - VolumeExecuted;

    /// <summary>Limit price (limit, iceberg) or trigger price (stop, take-profit); for trailing types the trigger now.</summary>
    public decimal? Price { get; set; }

    /// <summary>The limit of a *-limit type once resolved (absolute), or null.</summary>
    public decimal? Price2 { get; set; }

    /// <summary>Trailing offset, in quote units or percent of the reference price.</summary>
    public decimal TrailOffset { get; init; }

    public bool TrailPercent { get; init; }

    /// <summary>Best price seen since placement (highest for a sell trailing stop, lowest for a buy).</summary>
    public decimal TrailExtreme { get; set; }

    public decimal? DisplayVolume { get; set; }

    public bool PostOnly { get; set; }

    public int? UserRef { get; init; }

    public string? ClOrdId { get; init; }

    /// <summary>The order whose execution placed this conditional close, or null.</summary>
    public string? RefId { get; init; }

    public OrderStatus Status { get; set; }

    public string? Reason { get; set; }

    /// <summary>Market time of submission, unix nanoseconds.</summary>
    public required long OpenedNs { get; init; }

    public long ClosedNs { get; set; }

    /// <summary>Scheduled start and expiry, unix seconds (0 = none).</summary>
    public long StartTime { get; init; }

    public long ExpireTime { get; init; }

    /// <summary>Whether a stop, take-profit or trailing order has fired.</summary>
    public bool Triggered { get; set; }

    /// <summary>The trigger price at which it fired, and the limit it then rests at (Kraken's stopprice/limitprice).</summary>
    public decimal StopPrice { get; set; }

    public decimal LimitPrice { get; set; }

    /// <summary>Kraken's misc words: stopped, touched, amended...</summary>
    public List<string> Misc { get; } = [];

    public List<string> TradeIds { get; } = [];

    public List<OrderAmend> Amends { get; } = [];

    /// <summary>
    /// When the order was created or last amended, on the emulator's clock: the trading counter's penalties
    /// depend on this age (protocol.md §8.2).
    /// </summary>
    public DateTimeOffset RestingSince { get; set; }

    /// <summary>The asset an open order holds, and how much per unit of remaining volume (price and fee included).</summary>
    public required string HoldAsset { get; init; }

    public decimal HoldPerUnit { get; set; }

    public bool IsOpen => Status is OrderStatus.Open or OrderStatus.Pending;

    public decimal Hold => IsOpen ? Remaining * HoldPerUnit : 0m;

    /// <summary>Whether the order now behaves as a limit order: limit and iceberg, or a fired *-limit type.</summary>
    public bool IsLimitLike => OrderType is OrderTypes.Limit or OrderTypes.Iceberg || (Triggered && OrderTypes.BecomesLimit(OrderType));

    /// <summary>The price a limit-like order rests at; null for market-like orders.</summary>
    public decimal? EffectiveLimit => OrderType is OrderTypes.Limit or OrderTypes.Iceberg ? Price : (Triggered && OrderTypes.BecomesLimit(OrderType) ? LimitPrice : null);

    /// <summary>Whether the order is still waiting for its trigger.</summary>
    public bool AwaitingTrigger => OrderTypes.IsTriggered(OrderType) && !Triggered;
}

/// <summary>One entry of OrderAmends: the original terms, then each AmendOrder.</summary>
internal sealed record OrderAmend(
    string AmendId,
    string AmendType,
    decimal OrderQty,
    decimal? DisplayQty,
    decimal RemainingQty,
    decimal? LimitPrice,
    decimal? TriggerPrice,
    string? Reason,
    bool PostOnly,
    long TimestampNs);
