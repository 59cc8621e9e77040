using System.Globalization;
using KrakenGrpc.Emulator.Endpoints;
using KrakenGrpc.Emulator.Market;

namespace KrakenGrpc.Emulator.Trading;

internal enum OrderSide
{
    Buy,
    Sell,
}

/// <summary>Kraken's order types (api-reference.md appendix A) and what each needs.</summary>
internal static class OrderTypes
{
    public const string Market = "market";
    public const string Limit = "limit";
    public const string Iceberg = "iceberg";
    public const string StopLoss = "stop-loss";
    public const string TakeProfit = "take-profit";
    public const string StopLossLimit = "stop-loss-limit";
    public const string TakeProfitLimit = "take-profit-limit";
    public const string TrailingStop = "trailing-stop";
    public const string TrailingStopLimit = "trailing-stop-limit";
    public const string SettlePosition = "settle-position";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        Market, Limit, Iceberg, StopLoss, TakeProfit, StopLossLimit, TakeProfitLimit, TrailingStop, TrailingStopLimit, SettlePosition,
    };

    /// <summary>Types a conditional close may have (AddOrder close[ordertype]).</summary>
    private static readonly HashSet<string> CloseTypes = new(StringComparer.Ordinal)
    {
        Limit, Iceberg, StopLoss, TakeProfit, StopLossLimit, TakeProfitLimit, TrailingStop, TrailingStopLimit,
    };

    public static bool IsKnown(string type) => Known.Contains(type);

    public static bool IsCloseType(string type) => CloseTypes.Contains(type);

    /// <summary>Stop-loss, take-profit and trailing types: they wait for the last price to reach a trigger.</summary>
    public static bool IsTriggered(string type) => type is StopLoss or TakeProfit or StopLossLimit or TakeProfitLimit or TrailingStop or TrailingStopLimit;

    /// <summary>Triggered types that become a limit order (at price2) rather than a market order.</summary>
    public static bool BecomesLimit(string type) => type is StopLossLimit or TakeProfitLimit or TrailingStopLimit;

    public static bool IsTrailing(string type) => type is TrailingStop or TrailingStopLimit;

    public static bool IsTakeProfit(string type) => type is TakeProfit or TakeProfitLimit;

    public static bool NeedsPrice(string type) => type is not (Market or SettlePosition);

    public static bool NeedsPrice2(string type) => BecomesLimit(type);
}

/// <summary>
/// A price parameter: absolute ("30010.5") or relative to the last traded price ("+50", "-1.5%", "#10"), as
/// AddOrder documents. <see cref="Prefix"/> is '\0' for an absolute price.
/// </summary>
internal readonly record struct PriceSpec(decimal Value, char Prefix, bool Percent, string Text)
{
    public bool IsRelative => Prefix != '\0';

    public static bool TryParse(string? text, out PriceSpec spec)
    {
        spec = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var prefix = text[0] is '+' or '-' or '#' ? text[0] : '\0';
        var body = prefix == '\0' ? text : text[1..];
        var percent = body.EndsWith('%');
        if (percent)
        {
            body = body[..^1];
        }

        if (!decimal.TryParse(body, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || (prefix == '\0' && (percent || value <= 0m)))
        {
            return false;
        }

        spec = new PriceSpec(value, prefix, percent, text);
        return true;
    }
}

/// <summary>A conditional close: an opposite order placed when the primary order executes.</summary>
internal sealed record CloseSpec(string OrderType, PriceSpec? Price, PriceSpec? Price2);

/// <summary>
/// One order as AddOrder (or one entry of AddOrderBatch) describes it, checked for form but not yet against the
/// market or the account. <see cref="Parameters"/> keeps the text it came from, so EditOrder can build the
/// replacement from the original with some values changed.
/// </summary>
internal sealed record OrderRequest
{
    public required PairDefinition Pair { get; init; }

    public required OrderSide Side { get; init; }

    public required string OrderType { get; init; }

    /// <summary>Base volume; with <see cref="Viqc"/> the amount of quote currency to spend.</summary>
    public required decimal Volume { get; init; }

    public PriceSpec? Price { get; init; }

    public PriceSpec? Price2 { get; init; }

    public int? UserRef { get; init; }

    public string? ClOrdId { get; init; }

    public decimal? DisplayVolume { get; init; }

    public string Trigger { get; init; } = "last";

    /// <summary>The leverage asked for ("5" for 5:1); null for none. Shown, not modelled: funds are checked as spot.</summary>
    public int? Leverage { get; init; }

    public bool ReduceOnly { get; init; }

    public string StpType { get; init; } = "cancel-newest";

    public bool PostOnly { get; init; }

    /// <summary>Fee in the base asset (fcib); Kraken's default when selling, fciq (quote) when buying.</summary>
    public bool FeeInBase { get; init; }

    public bool Viqc { get; init; }

    public bool NoMpp { get; init; }

    public string TimeInForce { get; init; } = "GTC";

    /// <summary>Scheduled start, unix seconds; 0 for now.</summary>
    public long StartTime { get; init; }

    /// <summary>Expiry, unix seconds; 0 for none.</summary>
    public long ExpireTime { get; init; }

    public CloseSpec? Close { get; init; }

    public required IReadOnlyDictionary<string, string> Parameters { get; init; }
}

/// <summary>
/// Reads an order's parameters the way AddOrder documents them, answering Kraken's
/// <c>EGeneral:Invalid arguments:&lt;param&gt;</c> for the first one that is missing or malformed.
/// </summary>
internal static class OrderRequestParser
{
    private static readonly string[] KnownFlags = ["post", "fcib", "fciq", "nompp", "viqc"];

    /// <param name="values">The order's parameters by Kraken name (close[ordertype] etc. as literal keys).</param>
    /// <param name="pair">The pair, already resolved (it decides decimals and leverage).</param>
    /// <param name="nowSeconds">Market time, for relative and absolute starttm/expiretm.</param>
    /// <param name="request">The order, when the parameters are valid.</param>
    /// <param name="error">The Kraken error string otherwise.</param>
    public static bool TryParse(IReadOnlyDictionary<string, string> values, PairDefinition pair, long nowSeconds, out OrderRequest request, out string error)
    {
        request = null!;
        string? Get(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

        var side = Get("type") switch
        {
            "buy" => (OrderSide?)OrderSide.Buy,
            "sell" => OrderSide.Sell,
            _ => null,
        };
        if (side is null)
        {
            return Fail("type", out error);
        }

        var orderType = Get("ordertype");
        if (orderType is null || !OrderTypes.IsKnown(orderType) || orderType == OrderTypes.SettlePosition)
        {
            // settle-position settles a margin position; the emulator models none.
            return Fail("ordertype", out error);
        }

        // oflags first: viqc changes what "volume" means.
        var flags = Get("oflags") is { } flagText ? flagText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
        if (flags.Any(f => !KnownFlags.Contains(f)) || (flags.Contains("fcib") && flags.Contains("fciq")))
        {
            return Fail("oflags", out error);
        }

        var viqc = flags.Contains("viqc");
        if (viqc && (side != OrderSide.Buy || orderType != OrderTypes.Market || Get("leverage") is not null))
        {
            return Fail("viqc", out error);
        }

        var postOnly = flags.Contains("post");
        if (postOnly && orderType is not (OrderTypes.Limit or OrderTypes.Iceberg))
        {
            return Fail("oflags", out error);
        }

        if (!TryDecimal(Get("volume"), viqc ? pair.CostDecimals : pair.LotDecimals, out var volume) || volume <= 0m)
        {
            return Fail("volume", out error);
        }

        PriceSpec? price = null;
        if (OrderTypes.NeedsPrice(orderType))
        {
            if (!PriceSpec.TryParse(Get("price"), out var p)
                || (OrderTypes.IsTrailing(orderType) && p.Prefix != '+')
                || (!OrderTypes.IsTrailing(orderType) && p.IsRelative && p.Value == 0m))
            {
                return Fail("price", out error);
            }

            price = p;
        }

        PriceSpec? price2 = null;
        if (OrderTypes.NeedsPrice2(orderType))
        {
            if (!PriceSpec.TryParse(Get("price2"), out var p2)
                || (orderType == OrderTypes.TrailingStopLimit && p2.Prefix is not ('+' or '-')))
            {
                return Fail("price2", out error);
            }

            price2 = p2;
        }

        int? userRef = null;
        if (Get("userref") is { } userRefText)
        {
            if (!int.TryParse(userRefText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                return Fail("userref", out error);
            }

            userRef = parsed;
        }

        var clOrdId = Get("cl_ord_id");
        if (clOrdId is not null && (!IsValidClientOrderId(clOrdId) || userRef is not null))
        {
            // Kraken documents userref and cl_ord_id as mutually exclusive.
            return Fail("cl_ord_id", out error);
        }

        decimal? displayVolume = null;
        if (Get("displayvol") is { } displayText)
        {
            if (orderType != OrderTypes.Iceberg
                || !TryDecimal(displayText, pair.LotDecimals, out var display)
                || display <= 0m || display > volume || display * 15m < volume)
            {
                return Fail("displayvol", out error);
            }

            displayVolume = display;
        }
        else if (orderType == OrderTypes.Iceberg)
        {
            return Fail("displayvol", out error);
        }

        var trigger = Get("trigger") ?? "last";
        if (trigger is not ("last" or "index"))
        {
            return Fail("trigger", out error);
        }

        int? leverage = null;
        if (Get("leverage") is { } leverageText && leverageText != "none")
        {
            var number = leverageText.EndsWith(":1", StringComparison.Ordinal) ? leverageText[..^2] : leverageText;
            var allowed = side == OrderSide.Buy ? pair.LeverageBuy : pair.LeverageSell;
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || !allowed.Contains(level))
            {
                return Fail("leverage", out error);
            }

            leverage = level;
        }

        if (!TryBool(Get("reduce_only"), false, out var reduceOnly))
        {
            return Fail("reduce_only", out error);
        }

        var stpType = Get("stptype") ?? "cancel-newest";
        if (stpType is not ("cancel-newest" or "cancel-oldest" or "cancel-both"))
        {
            return Fail("stptype", out error);
        }

        var timeInForce = Get("timeinforce") ?? "GTC";
        if (timeInForce is not ("GTC" or "IOC" or "GTD" or "FOK") || (postOnly && timeInForce is "IOC" or "FOK"))
        {
            return Fail("timeinforce", out error);
        }

        if (!TryTime(Get("starttm"), nowSeconds, minimumRelative: 0, out var start))
        {
            return Fail("starttm", out error);
        }

        if (!TryTime(Get("expiretm"), nowSeconds, minimumRelative: 5, out var expire)
            || (expire != 0 && expire <= Math.Max(nowSeconds, start))
            || (timeInForce == "GTD" && expire == 0))
        {
            return Fail("expiretm", out error);
        }

        CloseSpec? close = null;
        if (Get("close[ordertype]") is { } closeType)
        {
            if (!OrderTypes.IsCloseType(closeType))
            {
                return Fail("close[ordertype]", out error);
            }

            PriceSpec? closePrice = null;
            if (!PriceSpec.TryParse(Get("close[price]"), out var cp) || (OrderTypes.IsTrailing(closeType) && cp.Prefix != '+'))
            {
                return Fail("close[price]", out error);
            }

            closePrice = cp;
            PriceSpec? closePrice2 = null;
            if (OrderTypes.NeedsPrice2(closeType))
            {
                if (!PriceSpec.TryParse(Get("close[price2]"), out var cp2))
                {
                    return Fail("close[price2]", out error);
                }

                closePrice2 = cp2;
            }

            close = new CloseSpec(closeType, closePrice, closePrice2);
        }
        else if (Get("close[price]") is not null || Get("close[price2]") is not null)
        {
            return Fail("close[ordertype]", out error);
        }

        request = new OrderRequest
        {
            Pair = pair,
            Side = side.Value,
            OrderType = orderType,
            Volume = volume,
            Price = price,
            Price2 = price2,
            UserRef = userRef,
            ClOrdId = clOrdId,
            DisplayVolume = displayVolume,
            Trigger = trigger,
            Leverage = leverage,
            ReduceOnly = reduceOnly,
            StpType = stpType,
            PostOnly = postOnly,

            // Kraken's defaults: fee in quote when buying, in base when selling (AddOrder oflags).
            FeeInBase = flags.Contains("fcib") || (side == OrderSide.Sell && !flags.Contains("fciq")),
            Viqc = viqc,
            NoMpp = flags.Contains("nompp"),
            TimeInForce = timeInForce,
            StartTime = start,
            ExpireTime = expire,
            Close = close,
            Parameters = values,
        };
        error = string.Empty;
        return true;
    }

    /// <summary>A decimal with at most <paramref name="maxDecimals"/> significant decimals, no sign, no exponent.</summary>
    public static bool TryDecimal(string? text, int maxDecimals, out decimal value)
    {
        value = 0m;
        return text is not null
            && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
            && decimal.Round(value, maxDecimals) == value;
    }

    /// <summary>Kraken's booleans: true/false (any case, as clients differ), 1/0; absent gives the fallback.</summary>
    public static bool TryBool(string? text, bool fallback, out bool value)
    {
        value = fallback;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1")
        {
            value = true;
            return true;
        }

        if (text.Equals("false", StringComparison.OrdinalIgnoreCase) || text == "0")
        {
            value = false;
            return true;
        }

        return false;
    }

    /// <summary>
    /// cl_ord_id formats (AddOrder): a long UUID (with dashes), a short UUID (32 hex digits), or free printable
    /// ASCII text of up to 18 characters.
    /// </summary>
    public static bool IsValidClientOrderId(string text) =>
        (text.Length == 36 && Guid.TryParseExact(text, "D", out _))
        || (text.Length == 32 && Guid.TryParseExact(text, "N", out _))
        || (text.Length <= 18 && text.All(c => c is >= ' ' and <= '~'));

    /// <summary>starttm/expiretm: "0" (none), "+N" (N seconds from now) or an absolute unix time.</summary>
    private static bool TryTime(string? text, long nowSeconds, long minimumRelative, out long unixSeconds)
    {
        unixSeconds = 0;
        if (text is null || text == "0")
        {
            return true;
        }

        var relative = text[0] == '+';
        if (!long.TryParse(relative ? text[1..] : text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        if (relative)
        {
            if (seconds < minimumRelative)
            {
                return false;
            }

            unixSeconds = nowSeconds + seconds;
            return true;
        }

        unixSeconds = seconds;
        return true;
    }

    private static bool Fail(string parameter, out string error)
    {
        error = KrakenErrors.InvalidArgument(parameter);
        return false;
    }
}
