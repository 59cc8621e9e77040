using KrakenGrpc.Emulator.Json;
using KrakenGrpc.Emulator.Market;

namespace KrakenGrpc.Emulator.Trading;

/// <summary>
/// Kraken's human-readable order descriptions ("buy 1.25000000 XBTUSD @ limit 30010.0 with 5:1 leverage",
/// "close position @ stop loss 22000.0 -> limit 21000.0") and the descr price texts, as the documented examples
/// write them: volumes with lot decimals, prices with pair_decimals, "0" for an absent price.
/// </summary>
internal static class OrderDescriptions
{
    /// <summary>descr.order of an order.</summary>
    public static string Order(PaperOrder order) =>
        Describe(order.Side, order.Volume, order.Pair, order.OrderType, DescrPrice(order), DescrPrice2(order), order.Request.Leverage);

    /// <summary>descr.order of an order not placed (validate=true), from its request and resolved prices.</summary>
    public static string Order(OrderRequest request, decimal? price, decimal? price2) =>
        Describe(
            request.Side,
            request.Volume,
            request.Pair,
            request.OrderType,
            OrderTypes.IsTrailing(request.OrderType) ? SpecText(request.Price, request.Pair) : Price(request.Pair, price),
            request.OrderType == OrderTypes.TrailingStopLimit ? SpecText(request.Price2, request.Pair) : Price(request.Pair, price2),
            request.Leverage);

    /// <summary>descr.close: the conditional close, or "" when there is none.</summary>
    public static string Close(CloseSpec? close, PairDefinition pair) =>
        close is null ? string.Empty : "close position @ " + Terms(close.OrderType, SpecText(close.Price, pair), SpecText(close.Price2, pair));

    /// <summary>descr.price: limit or trigger price; a trailing order shows its offset ("+50.0").</summary>
    public static string DescrPrice(PaperOrder order) =>
        OrderTypes.IsTrailing(order.OrderType) ? SpecText(order.Request.Price, order.Pair) : Price(order.Pair, order.Price);

    /// <summary>descr.price2: the limit of a *-limit type, "0" otherwise.</summary>
    public static string DescrPrice2(PaperOrder order) =>
        order.OrderType == OrderTypes.TrailingStopLimit ? SpecText(order.Request.Price2, order.Pair) : Price(order.Pair, order.Price2);

    /// <summary>A price as the descr block writes it: pair_decimals, or "0" when absent.</summary>
    public static string Price(PairDefinition pair, decimal? price) => price is { } p ? KrakenNumber.Fixed(p, pair.PairDecimals) : "0";

    private static string Describe(OrderSide side, decimal volume, PairDefinition pair, string orderType, string price, string price2, int? leverage)
    {
        var text = $"{(side == OrderSide.Buy ? "buy" : "sell")} {KrakenNumber.Fixed(volume, pair.LotDecimals)} {pair.Altname} @ {Terms(orderType, price, price2)}";
        return leverage is { } level ? $"{text} with {level}:1 leverage" : text;
    }

    private static string Terms(string orderType, string price, string price2) => orderType switch
    {
        OrderTypes.Market => "market",
        OrderTypes.Limit or OrderTypes.Iceberg => "limit " + price,
        OrderTypes.StopLoss => "stop loss " + price,
        OrderTypes.TakeProfit => "take profit " + price,
        OrderTypes.StopLossLimit => $"stop loss {price} -> limit {price2}",
        OrderTypes.TakeProfitLimit => $"take profit {price} -> limit {price2}",
        OrderTypes.TrailingStop => "trailing stop " + price,
        OrderTypes.TrailingStopLimit => $"trailing stop {price} -> limit {price2}",
        _ => orderType,
    };

    /// <summary>A price parameter as given: absolute with pair_decimals, relative with its sign ("+50.0", "-1.5%").</summary>
    private static string SpecText(PriceSpec? spec, PairDefinition pair)
    {
        if (spec is not { } s)
        {
            return "0";
        }

        if (!s.IsRelative)
        {
            return KrakenNumber.Fixed(s.Value, pair.PairDecimals);
        }

        return s.Percent
            ? s.Prefix + s.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) + "%"
            : s.Prefix + KrakenNumber.Fixed(s.Value, pair.PairDecimals);
    }
}
