using KrakenGrpc.Contracts.Spot.V1;

namespace KrakenGrpc.Server.Mapping;

/// <summary>
/// One closed Kraken vocabulary and its contract enum, both ways. A word Kraken sends that the table does not know
/// reads as the enum's zero value (<c>_UNSPECIFIED</c>), so a new Kraken value never fails a whole answer.
/// </summary>
internal sealed class Vocabulary<TEnum>(params (TEnum Value, string Word)[] words)
    where TEnum : struct, Enum
{
    private readonly Dictionary<TEnum, string> _toKraken = words.ToDictionary(w => w.Value, w => w.Word);
    private readonly Dictionary<string, TEnum> _fromKraken = words.ToDictionary(w => w.Word, w => w.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>Kraken's word for a value; null for the zero value (not sent) and for numbers outside the enum.</summary>
    public string? ToKraken(TEnum value) => _toKraken.GetValueOrDefault(value);

    /// <summary>The value for Kraken's word; the zero value for a word we do not know.</summary>
    public TEnum FromKraken(string word) => _fromKraken.GetValueOrDefault(word);

    /// <summary>True for the zero value and every value of the table; false for a number outside the contract.</summary>
    public bool IsDefined(TEnum value) => EqualityComparer<TEnum>.Default.Equals(value, default) || _toKraken.ContainsKey(value);
}

/// <summary>Kraken's closed vocabularies shared by orders, trades and positions.</summary>
internal static class KrakenVocabulary
{
    public static readonly Vocabulary<OrderSide> Side = new((OrderSide.Buy, "buy"), (OrderSide.Sell, "sell"));

    public static readonly Vocabulary<OrderType> OrderType = new(
        (Contracts.Spot.V1.OrderType.Market, "market"),
        (Contracts.Spot.V1.OrderType.Limit, "limit"),
        (Contracts.Spot.V1.OrderType.Iceberg, "iceberg"),
        (Contracts.Spot.V1.OrderType.StopLoss, "stop-loss"),
        (Contracts.Spot.V1.OrderType.TakeProfit, "take-profit"),
        (Contracts.Spot.V1.OrderType.StopLossLimit, "stop-loss-limit"),
        (Contracts.Spot.V1.OrderType.TakeProfitLimit, "take-profit-limit"),
        (Contracts.Spot.V1.OrderType.TrailingStop, "trailing-stop"),
        (Contracts.Spot.V1.OrderType.TrailingStopLimit, "trailing-stop-limit"),
        (Contracts.Spot.V1.OrderType.SettlePosition, "settle-position"));

    public static readonly Vocabulary<TimeInForce> TimeInForce = new(
        (Contracts.Spot.V1.TimeInForce.Gtc, "GTC"),
        (Contracts.Spot.V1.TimeInForce.Ioc, "IOC"),
        (Contracts.Spot.V1.TimeInForce.Gtd, "GTD"),
        (Contracts.Spot.V1.TimeInForce.Fok, "FOK"));

    public static readonly Vocabulary<OrderStatus> OrderStatus = new(
        (Contracts.Spot.V1.OrderStatus.Pending, "pending"),
        (Contracts.Spot.V1.OrderStatus.Open, "open"),
        (Contracts.Spot.V1.OrderStatus.Closed, "closed"),
        (Contracts.Spot.V1.OrderStatus.Canceled, "canceled"),
        (Contracts.Spot.V1.OrderStatus.Expired, "expired"));

    public static readonly Vocabulary<TriggerType> Trigger = new((TriggerType.Last, "last"), (TriggerType.Index, "index"));

    public static readonly Vocabulary<SelfTradePrevention> SelfTradePrevention = new(
        (Contracts.Spot.V1.SelfTradePrevention.CancelNewest, "cancel-newest"),
        (Contracts.Spot.V1.SelfTradePrevention.CancelOldest, "cancel-oldest"),
        (Contracts.Spot.V1.SelfTradePrevention.CancelBoth, "cancel-both"));

    public static readonly Vocabulary<OrderFlag> OrderFlag = new(
        (Contracts.Spot.V1.OrderFlag.Post, "post"),
        (Contracts.Spot.V1.OrderFlag.Fcib, "fcib"),
        (Contracts.Spot.V1.OrderFlag.Fciq, "fciq"),
        (Contracts.Spot.V1.OrderFlag.Nompp, "nompp"),
        (Contracts.Spot.V1.OrderFlag.Viqc, "viqc"));

    public static readonly Vocabulary<PositionStatus> PositionStatus = new(
        (Contracts.Spot.V1.PositionStatus.Open, "open"),
        (Contracts.Spot.V1.PositionStatus.Closed, "closed"));

    public static readonly Vocabulary<RebaseMultiplier> RebaseMultiplier = new(
        (Contracts.Spot.V1.RebaseMultiplier.Rebased, "rebased"),
        (Contracts.Spot.V1.RebaseMultiplier.Base, "base"));
}
