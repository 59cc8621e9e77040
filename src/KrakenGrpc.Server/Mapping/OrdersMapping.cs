using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Server.Validation;
using static KrakenGrpc.Server.Mapping.KrakenJson;

namespace KrakenGrpc.Server.Mapping;

/// <summary>
/// OrdersService requests to Kraken parameters (validated first: nothing invalid goes upstream) and Kraken results to
/// response messages. Every field the caller set goes to Kraken under Kraken's own name; nothing the caller left unset
/// is sent. Decimal text is copied, never parsed; see <see cref="KrakenJson"/>. The order shape shared by the order
/// queries is in <see cref="OrderMapping"/>.
/// </summary>
internal static class OrdersMapping
{
    /// <summary>QueryOrders takes at most this many txids.</summary>
    public const int MaxQueriedTxids = 50;

    /// <summary>AddOrderBatch takes 2 to 15 orders.</summary>
    public const int MinBatchOrders = 2;
    public const int MaxBatchOrders = 15;

    /// <summary>CancelOrderBatch takes at most this many ids, txids/userrefs and cl_ord_ids together.</summary>
    public const int MaxCancelledIds = 50;

    /// <summary>CancelAllOrdersAfter's timeout must stay below this many seconds (24 h).</summary>
    public const int DeadMansSwitchLimitSeconds = 86_400;

    // Kraken's `deadline` must lie between now+2 s and now+60 s (protocol.md §8.4).
    private static readonly TimeSpan DeadlineEarliest = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DeadlineLatest = TimeSpan.FromSeconds(60);

    // Kraken's relative `expiretm` must be at least +5 seconds.
    private const int MinRelativeExpirySeconds = 5;

    private static readonly JsonElement EmptyObject = ParseEmptyObject();

    private static readonly Vocabulary<ClosedOrdersCloseTime> CloseTime = new(
        (ClosedOrdersCloseTime.Open, "open"), (ClosedOrdersCloseTime.Close, "close"), (ClosedOrdersCloseTime.Both, "both"));

    private static readonly Vocabulary<OrderAmendType> AmendType = new(
        (OrderAmendType.Original, "original"), (OrderAmendType.User, "user"), (OrderAmendType.Restated, "restated"));

    // The example answers "ok", the schema says "Ok" | "Err": vocabularies match without regard to case.
    private static readonly Vocabulary<EditOrderStatus> EditStatus = new((EditOrderStatus.Ok, "ok"), (EditOrderStatus.Err, "err"));

    // ---- Requests: queries ----------------------------------------------------------------------------------

    public static KrakenParameters Parameters(GetOpenOrdersRequest request)
    {
        new RequestValidation()
            .Defined("rebase_multiplier", request.RebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("trades", request.HasTrades ? request.Trades : null)
            .Add("userref", request.HasUserref ? request.Userref : null)
            .Add("cl_ord_id", request.ClOrdId)
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(request.RebaseMultiplier))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetClosedOrdersRequest request)
    {
        new RequestValidation()
            .Check(IsTimeOrTxid(request.Start), "start", "must be unix seconds (e.g. \"1688666559\") or an order txid")
            .Check(IsTimeOrTxid(request.End), "end", "must be unix seconds (e.g. \"1688666559\") or an order txid")
            .InRange("ofs", request.HasOfs ? request.Ofs : null, 0, int.MaxValue)
            .Defined("closetime", request.Closetime)
            .Defined("rebase_multiplier", request.RebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("trades", request.HasTrades ? request.Trades : null)
            .Add("userref", request.HasUserref ? request.Userref : null)
            .Add("cl_ord_id", request.ClOrdId)
            .Add("start", request.Start)
            .Add("end", request.End)
            .Add("ofs", request.HasOfs ? request.Ofs : null)
            .Add("closetime", CloseTime.ToKraken(request.Closetime))
            .Add("consolidate_taker", request.HasConsolidateTaker ? request.ConsolidateTaker : null)
            .Add("without_count", request.HasWithoutCount ? request.WithoutCount : null)
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(request.RebaseMultiplier))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetOrdersRequest request)
    {
        var validation = new RequestValidation()
            .Check(request.Txid.Count > 0, "txid", $"is required: 1 to {MaxQueriedTxids} order txids")
            .MaxCount("txid", request.Txid, MaxQueriedTxids)
            .Defined("rebase_multiplier", request.RebaseMultiplier);
        for (var i = 0; i < request.Txid.Count; i++)
        {
            // Kraken takes the txids as one comma list: an entry holding a comma would silently become two.
            validation
                .Required($"txid[{i}]", request.Txid[i])
                .Check(!request.Txid[i].Contains(',', StringComparison.Ordinal), $"txid[{i}]", "must be a single txid (no commas)");
        }
        validation.ThrowIfInvalid();
        return new KrakenParameters()
            .Add("txid", request.Txid)
            .Add("trades", request.HasTrades ? request.Trades : null)
            .Add("userref", request.HasUserref ? request.Userref : null)
            .Add("consolidate_taker", request.HasConsolidateTaker ? request.ConsolidateTaker : null)
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(request.RebaseMultiplier))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetOrderAmendsRequest request)
    {
        new RequestValidation()
            .Required("order_id", request.OrderId)
            .Defined("rebase_multiplier", request.RebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("order_id", request.OrderId)
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(request.RebaseMultiplier))
            .Add("otp", request.Otp);
    }

    // ---- Requests: placing and changing orders ------------------------------------------------------------

    /// <summary>
    /// AddOrder's parameters. Send the request <see cref="ClientOrderIds.Assign(SubmitOrderRequest)"/> returned, so
    /// the order carries a client order id. <paramref name="clock"/> (the server's) judges <c>deadline</c>.
    /// </summary>
    public static KrakenParameters Parameters(SubmitOrderRequest request, TimeProvider? clock = null)
    {
        var order = OrderFields.Of(request);
        var validation = new RequestValidation().Required("pair", request.Pair);
        ValidateOrder(validation, string.Empty, order);
        ValidateDeadline(validation, request.Deadline, clock);
        validation.ThrowIfInvalid();

        return AddOrderFields(new KrakenParameters().Add("pair", request.Pair), order)
            .Add("deadline", Rfc3339(request.Deadline))
            .Add("validate", request.HasValidate ? request.Validate : null)
            .Add("asset_class", request.AssetClass)
            .Add("broker", request.Broker)
            .Add("otp", request.Otp);
    }

    /// <summary>
    /// AddOrderBatch's parameters (a JSON body: <c>orders</c> is an array of objects, each <c>close</c> a nested
    /// object). Send the request <see cref="ClientOrderIds.Assign(SubmitBatchOrdersRequest)"/> returned.
    /// </summary>
    public static KrakenParameters Parameters(SubmitBatchOrdersRequest request, TimeProvider? clock = null)
    {
        var orders = request.Orders.Select(OrderFields.Of).ToList();
        var validation = new RequestValidation()
            .Required("pair", request.Pair)
            .Check(orders.Count is >= MinBatchOrders and <= MaxBatchOrders, "orders",
                $"must hold {MinBatchOrders} to {MaxBatchOrders} orders, held {orders.Count}");
        for (var i = 0; i < orders.Count; i++)
        {
            ValidateOrder(validation, $"orders[{i}].", orders[i]);
        }
        foreach (var repeated in orders.Where(o => o.ClOrdId.Length > 0).GroupBy(o => o.ClOrdId, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            validation.Check(false, "orders", $"use cl_ord_id \"{repeated.Key}\" more than once; Kraken keeps it unique among open orders");
        }
        ValidateDeadline(validation, request.Deadline, clock);
        validation.ThrowIfInvalid();

        return new KrakenParameters()
            .Add("pair", request.Pair)
            .Add("orders", orders.Select(order => AddOrderFields(new KrakenParameters(), order)).ToList())
            .Add("deadline", Rfc3339(request.Deadline))
            .Add("validate", request.HasValidate ? request.Validate : null)
            .Add("asset_class", request.AssetClass)
            .Add("broker", request.Broker)
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(AmendOrderRequest request, TimeProvider? clock = null)
    {
        var validation = new RequestValidation()
            .Check(request.Txid.Length > 0 || request.ClOrdId.Length > 0, "txid", "or cl_ord_id is required: which order to amend")
            .NotBoth("txid", request.Txid.Length > 0, "cl_ord_id", request.ClOrdId.Length > 0)
            .Check(new[] { request.OrderQty, request.DisplayQty, request.LimitPrice, request.TriggerPrice }.Any(v => v.Length > 0),
                "order_qty", "or display_qty, limit_price or trigger_price is required: nothing to change")
            .Decimal("order_qty", request.OrderQty)
            .Decimal("display_qty", request.DisplayQty)
            .Check(request.LimitPrice.Length == 0 || IsPrice(request.LimitPrice, PriceForm.AbsoluteOrPlusMinus), "limit_price", PriceForm.AbsoluteOrPlusMinus.Expected)
            .Check(request.TriggerPrice.Length == 0 || IsPrice(request.TriggerPrice, PriceForm.AbsoluteOrPlusMinus), "trigger_price", PriceForm.AbsoluteOrPlusMinus.Expected);
        ValidateDeadline(validation, request.Deadline, clock);
        validation.ThrowIfInvalid();

        return new KrakenParameters()
            .Add("txid", request.Txid)
            .Add("cl_ord_id", request.ClOrdId)
            .Add("order_qty", request.OrderQty)
            .Add("display_qty", request.DisplayQty)
            .Add("limit_price", request.LimitPrice)
            .Add("trigger_price", request.TriggerPrice)
            .Add("pair", request.Pair)
            .Add("post_only", request.HasPostOnly ? request.PostOnly : null)
            .Add("deadline", Rfc3339(request.Deadline))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(EditOrderRequest request, TimeProvider? clock = null)
    {
        var validation = new RequestValidation()
            .Required("txid", request.Txid)
            .Required("pair", request.Pair)
            .Decimal("volume", request.Volume)
            .Decimal("displayvol", request.Displayvol)
            .Check(request.Price.Length == 0 || IsPrice(request.Price, PriceForm.AbsoluteOrRelative), "price", PriceForm.AbsoluteOrRelative.Expected)
            .Check(request.Price2.Length == 0 || IsPrice(request.Price2, PriceForm.AbsoluteOrRelative), "price2", PriceForm.AbsoluteOrRelative.Expected);
        for (var i = 0; i < request.Oflags.Count; i++)
        {
            // Kraken: "only these flags can be changed: post"; the old order's other flags are kept whatever is sent.
            validation.Check(request.Oflags[i] == OrderFlag.Post, $"oflags[{i}]",
                "may only be post on EditOrder (the replaced order's other flags are kept)");
        }
        ValidateDeadline(validation, request.Deadline, clock);
        validation.ThrowIfInvalid();

        return new KrakenParameters()
            .Add("txid", request.Txid)
            .Add("pair", request.Pair)
            .Add("userref", request.HasUserref ? request.Userref : null)
            .Add("volume", request.Volume)
            .Add("displayvol", request.Displayvol)
            .Add("asset_class", request.AssetClass)
            .Add("price", request.Price)
            .Add("price2", request.Price2)
            .Add("oflags", FlagList(request.Oflags))
            .Add("deadline", Rfc3339(request.Deadline))
            .Add("cancel_response", request.HasCancelResponse ? request.CancelResponse : null)
            .Add("validate", request.HasValidate ? request.Validate : null)
            .Add("otp", request.Otp);
    }

    // ---- Requests: cancelling ------------------------------------------------------------------------------

    public static KrakenParameters Parameters(CancelOrderRequest request)
    {
        new RequestValidation()
            .Check(request.Txid.Length > 0 || request.ClOrdId.Length > 0, "txid", "or cl_ord_id is required: which order to cancel")
            .NotBoth("txid", request.Txid.Length > 0, "cl_ord_id", request.ClOrdId.Length > 0)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("txid", request.Txid)
            .Add("cl_ord_id", request.ClOrdId)
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(CancelAllOrdersRequest request) => new KrakenParameters().Add("otp", request.Otp);

    public static KrakenParameters Parameters(CancelAllOrdersAfterRequest request)
    {
        var timeout = request.Timeout;
        new RequestValidation()
            .Check(timeout is not null, "timeout", $"is required: whole seconds below {DeadMansSwitchLimitSeconds}, or 0 to switch the timer off")
            .Check(timeout is null || timeout.Nanos == 0, "timeout", "must be whole seconds")
            .Check(timeout is null || timeout.Seconds is >= 0 and < DeadMansSwitchLimitSeconds, "timeout",
                $"must be 0 to {DeadMansSwitchLimitSeconds - 1} seconds, was {timeout?.Seconds}")
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("timeout", timeout!.Seconds)
            .Add("otp", request.Otp);
    }

    /// <summary>CancelOrderBatch's parameters (a JSON body: <c>orders</c> and <c>cl_ord_ids</c> are plain string arrays).</summary>
    public static KrakenParameters Parameters(CancelBatchOrdersRequest request)
    {
        var total = request.Orders.Count + request.ClOrdIds.Count;
        var validation = new RequestValidation()
            .Check(total > 0, "orders", "or cl_ord_ids is required: at least one order to cancel")
            .Check(total <= MaxCancelledIds, "orders", $"and cl_ord_ids may hold at most {MaxCancelledIds} ids in total, held {total}");
        for (var i = 0; i < request.Orders.Count; i++)
        {
            validation.Required($"orders[{i}]", request.Orders[i]);
        }
        for (var i = 0; i < request.ClOrdIds.Count; i++)
        {
            validation.Required($"cl_ord_ids[{i}]", request.ClOrdIds[i]);
        }
        validation.ThrowIfInvalid();
        return new KrakenParameters()
            .Add("orders", request.Orders)
            .Add("cl_ord_ids", request.ClOrdIds)
            .Add("otp", request.Otp);
    }

    // ---- One order's fields, shared by SubmitOrder and each order of SubmitBatchOrders ----------------------

    /// <summary>The fields SubmitOrderRequest and BatchOrder share, so both are validated and sent by the same code.</summary>
    private sealed record OrderFields(
        OrderSide Side, OrderType OrderType, string Volume, string Displayvol, string Price, string Price2, TriggerType Trigger,
        string Leverage, bool? ReduceOnly, SelfTradePrevention Stptype, IReadOnlyList<OrderFlag> Oflags, TimeInForce Timeinforce,
        string Starttm, string Expiretm, ConditionalClose? Close, int? Userref, string ClOrdId)
    {
        public static OrderFields Of(SubmitOrderRequest r) => new(
            r.Type, r.Ordertype, r.Volume, r.Displayvol, r.Price, r.Price2, r.Trigger, r.Leverage, r.HasReduceOnly ? r.ReduceOnly : null,
            r.Stptype, r.Oflags, r.Timeinforce, r.Starttm, r.Expiretm, r.Close, r.HasUserref ? r.Userref : null, r.ClOrdId);

        public static OrderFields Of(BatchOrder o) => new(
            o.Type, o.Ordertype, o.Volume, o.Displayvol, o.Price, o.Price2, o.Trigger, o.Leverage, o.HasReduceOnly ? o.ReduceOnly : null,
            o.Stptype, o.Oflags, o.Timeinforce, o.Starttm, o.Expiretm, o.Close, o.HasUserref ? o.Userref : null, o.ClOrdId);
    }

    private static KrakenParameters AddOrderFields(KrakenParameters parameters, OrderFields order) => parameters
        .Add("type", KrakenVocabulary.Side.ToKraken(order.Side))
        .Add("ordertype", KrakenVocabulary.OrderType.ToKraken(order.OrderType))
        .Add("volume", order.Volume)
        .Add("displayvol", order.Displayvol)
        .Add("price", order.Price)
        .Add("price2", order.Price2)
        .Add("trigger", KrakenVocabulary.Trigger.ToKraken(order.Trigger))
        .Add("leverage", order.Leverage)
        .Add("reduce_only", order.ReduceOnly)
        .Add("stptype", KrakenVocabulary.SelfTradePrevention.ToKraken(order.Stptype))
        .Add("oflags", FlagList(order.Oflags))
        .Add("timeinforce", KrakenVocabulary.TimeInForce.ToKraken(order.Timeinforce))
        .Add("starttm", order.Starttm)
        .Add("expiretm", order.Expiretm)
        .Add("close", order.Close is { } close
            ? new KrakenParameters()
                .Add("ordertype", KrakenVocabulary.OrderType.ToKraken(close.Ordertype))
                .Add("price", close.Price)
                .Add("price2", close.Price2)
            : null)
        .Add("userref", order.Userref)
        .Add("cl_ord_id", order.ClOrdId);

    /// <summary>Every check of one order; <paramref name="prefix"/> names it in a batch (<c>orders[3].</c>).</summary>
    private static void ValidateOrder(RequestValidation validation, string prefix, OrderFields order)
    {
        validation
            .Defined(prefix + "type", order.Side, required: true)
            .Defined(prefix + "ordertype", order.OrderType, required: true)
            // "0" is Kraken's way to close a whole margin position: only with leverage or settle-position.
            .Decimal(prefix + "volume", order.Volume, required: true,
                positive: order.OrderType != OrderType.SettlePosition && order.Leverage.Length == 0)
            .Decimal(prefix + "displayvol", order.Displayvol)
            .Check(order.Displayvol.Length == 0 || order.OrderType == OrderType.Iceberg, prefix + "displayvol", "is only taken by iceberg orders")
            .Defined(prefix + "trigger", order.Trigger)
            .Defined(prefix + "stptype", order.Stptype)
            .Defined(prefix + "timeinforce", order.Timeinforce)
            .Check(IsScheduleTime(order.Starttm, minimumRelative: 0), prefix + "starttm",
                "must be \"0\" (now), unix seconds, or \"+n\" seconds from now")
            .Check(IsScheduleTime(order.Expiretm, MinRelativeExpirySeconds), prefix + "expiretm",
                $"must be \"0\" (no expiry), unix seconds, or \"+n\" seconds from now with n at least {MinRelativeExpirySeconds}")
            .Check(order.Timeinforce != TimeInForce.Gtd || order.Expiretm.Length > 0, prefix + "expiretm", "is required with timeinforce GTD")
            .NotBoth(prefix + "userref", order.Userref is not null, prefix + "cl_ord_id", order.ClOrdId.Length > 0)
            .Check(IsClientOrderId(order.ClOrdId), prefix + "cl_ord_id",
                "must be a UUID (\"6d1b345e-2821-40e2-ad83-4ecb18a06876\"), 32 hex characters, or up to 18 printable ASCII characters");

        for (var i = 0; i < order.Oflags.Count; i++)
        {
            validation.Check(order.Oflags[i] != OrderFlag.Unspecified && System.Enum.IsDefined(order.Oflags[i]), $"{prefix}oflags[{i}]",
                $"has an unknown value {(int)order.Oflags[i]}");
        }
        validation.Check(!(order.Oflags.Contains(OrderFlag.Fcib) && order.Oflags.Contains(OrderFlag.Fciq)), prefix + "oflags",
            "cannot hold both fcib and fciq: the fee is taken in the base or in the quote currency");

        ValidatePrices(validation, prefix, order.OrderType, order.Price, order.Price2);

        if (order.Close is { } close && (close.Ordertype != OrderType.Unspecified || close.Price.Length > 0 || close.Price2.Length > 0))
        {
            validation
                .Defined(prefix + "close.ordertype", close.Ordertype, required: true)
                .Check(close.Ordertype is not (OrderType.Market or OrderType.SettlePosition), prefix + "close.ordertype",
                    "must be a limit, iceberg or triggered type: Kraken places no market or settle-position close order");
            ValidatePrices(validation, prefix + "close.", close.Ordertype, close.Price, close.Price2);
        }
    }

    /// <summary>
    /// The prices an order type needs present, in the forms Kraken documents for it, and the prices it cannot take
    /// absent (api-reference appendix A). An unset or unknown order type is reported on its own field, not here.
    /// </summary>
    private static void ValidatePrices(RequestValidation validation, string prefix, OrderType type, string price, string price2)
    {
        if (PriceForms(type) is not { } forms)
        {
            return;
        }
        var word = KrakenVocabulary.OrderType.ToKraken(type)!;
        ValidatePrice(validation, prefix + "price", price, forms.Price, word);
        ValidatePrice(validation, prefix + "price2", price2, forms.Price2, word);
    }

    private static void ValidatePrice(RequestValidation validation, string field, string value, PriceForm? form, string orderType)
    {
        if (form is null)
        {
            validation.Check(value.Length == 0, field, $"is not taken by {orderType} orders");
        }
        else if (value.Length == 0)
        {
            validation.Required(field, value);
        }
        else
        {
            validation.Check(IsPrice(value, form), field, $"{form.Expected} for {orderType} orders");
        }
    }

    // Which form each of `price` and `price2` takes per order type; null = the type takes no such price.
    private static (PriceForm? Price, PriceForm? Price2)? PriceForms(OrderType type) => type switch
    {
        OrderType.Market or OrderType.SettlePosition => (null, null),
        OrderType.Limit or OrderType.Iceberg or OrderType.StopLoss or OrderType.TakeProfit => (PriceForm.AbsoluteOrRelative, null),
        OrderType.StopLossLimit or OrderType.TakeProfitLimit => (PriceForm.AbsoluteOrRelative, PriceForm.AbsoluteOrRelative),
        OrderType.TrailingStop => (PriceForm.TrailingOffset, null),
        OrderType.TrailingStopLimit => (PriceForm.TrailingOffset, PriceForm.TrailingLimitOffset),
        _ => null,
    };

    /// <summary>
    /// A form of price text Kraken documents: an absolute decimal, or an offset from the last traded price with a
    /// prefix (<c>+</c> add, <c>-</c> subtract, <c>#</c> either, by side and type) and an optional <c>%</c> suffix.
    /// </summary>
    private sealed record PriceForm(bool Absolute, string Prefixes, string Expected)
    {
        public static readonly PriceForm AbsoluteOrRelative = new(true, "+-#",
            "must be a decimal price such as \"30010.5\", or relative to the last price: \"+n\", \"-n\" or \"#n\", optionally with a \"%\" suffix");

        // AmendOrder documents only "+" and "-" for its relative prices.
        public static readonly PriceForm AbsoluteOrPlusMinus = new(true, "+-",
            "must be a decimal price such as \"30010.5\", or relative to the last price: \"+n\" or \"-n\", optionally with a \"%\" suffix");

        public static readonly PriceForm TrailingOffset = new(false, "+",
            "must be an offset with a \"+\" prefix, optionally with a \"%\" suffix (e.g. \"+50\" or \"+1.5%\")");

        public static readonly PriceForm TrailingLimitOffset = new(false, "+-",
            "must be an offset from the trigger price with a \"+\" or \"-\" prefix, optionally with a \"%\" suffix (e.g. \"+0\" or \"-0.5%\")");
    }

    private static bool IsPrice(string value, PriceForm form)
    {
        if (value.Length > 1 && form.Prefixes.Contains(value[0], StringComparison.Ordinal))
        {
            var offset = value.EndsWith('%') ? value[1..^1] : value[1..];
            return RequestValidation.IsDecimalText(offset);
        }
        return form.Absolute && RequestValidation.IsDecimalText(value) && !value.All(c => c is '0' or '.');
    }

    // starttm / expiretm: "0", unix seconds, or "+n" seconds from now (at least the given minimum).
    private static bool IsScheduleTime(string value, int minimumRelative)
    {
        if (value.Length == 0)
        {
            return true;
        }
        var relative = value[0] == '+';
        var digits = relative ? value[1..] : value;
        return digits.Length is > 0 and <= 12
            && digits.All(char.IsAsciiDigit)
            && (!relative || long.Parse(digits, CultureInfo.InvariantCulture) >= minimumRelative);
    }

    // Kraken's three cl_ord_id formats: a UUID with dashes, 32 hex characters, or up to 18 ASCII characters.
    private static bool IsClientOrderId(string id) =>
        id.Length == 0
        || (id.Length == 36 && Guid.TryParseExact(id, "D", out _))
        || (id.Length == 32 && id.All(char.IsAsciiHexDigit))
        || (id.Length <= 18 && id.All(c => c is >= ' ' and <= '~'));

    // ClosedOrders `start` / `end`: unix seconds, or an order txid (letters, digits and dashes).
    private static bool IsTimeOrTxid(string value) =>
        value.Length == 0
        || RequestValidation.IsDecimalText(value)
        || (value.Length <= 64 && char.IsAsciiLetterOrDigit(value[0]) && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));

    /// <summary>Kraken takes order flags as one comma list, in form and JSON bodies alike.</summary>
    private static string? FlagList(IEnumerable<OrderFlag> flags)
    {
        var words = flags.Select(KrakenVocabulary.OrderFlag.ToKraken).OfType<string>().ToList();
        return words.Count == 0 ? null : string.Join(',', words);
    }

    /// <summary>
    /// Refuses a <c>deadline</c> outside now+2 s .. now+60 s by the server's clock. Kraken is sent whole seconds,
    /// truncated (never later than the caller asked), so it is that value which must be at least now+2 s.
    /// </summary>
    private static void ValidateDeadline(RequestValidation validation, Timestamp? deadline, TimeProvider? clock)
    {
        if (deadline is null)
        {
            return;
        }
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var latest = now + DeadlineLatest;
        var valid = deadline.Nanos is >= 0 and < 1_000_000_000
            && deadline.Seconds >= CeilingSeconds(now + DeadlineEarliest)
            && deadline.Seconds <= latest.ToUnixTimeSeconds()
            && DateTimeOffset.FromUnixTimeSeconds(deadline.Seconds).AddTicks(deadline.Nanos / 100) <= latest;
        validation.Check(valid, "deadline",
            $"must lie between now+{DeadlineEarliest.TotalSeconds:0} s and now+{DeadlineLatest.TotalSeconds:0} s by the gateway's clock (whole seconds are sent)");
    }

    private static long CeilingSeconds(DateTimeOffset time)
    {
        var milliseconds = time.ToUnixTimeMilliseconds();
        return (milliseconds / 1000) + (milliseconds % 1000 > 0 ? 1 : 0);
    }

    /// <summary>Kraken's <c>deadline</c> text: RFC 3339 in UTC, whole seconds (<c>2021-04-01T00:18:45Z</c>).</summary>
    private static string? Rfc3339(Timestamp? time) =>
        time is null
            ? null
            : DateTimeOffset.FromUnixTimeSeconds(time.Seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // ---- Results --------------------------------------------------------------------------------------------

    public static GetOpenOrdersResponse ToOpenOrders(JsonElement result)
    {
        var response = new GetOpenOrdersResponse();
        OrderMapping.AddOrders(response.OpenOrders, Member(result, "open"));
        return response;
    }

    public static GetClosedOrdersResponse ToClosedOrders(JsonElement result)
    {
        var response = new GetClosedOrdersResponse();
        OrderMapping.AddOrders(response.ClosedOrders, Member(result, "closed"));
        if (Text(result, "count").Length > 0)
        {
            response.TotalCount = Long(result, "count");
        }
        return response;
    }

    public static GetOrdersResponse ToOrders(JsonElement result)
    {
        var response = new GetOrdersResponse();
        OrderMapping.AddOrders(response.Orders, result);
        return response;
    }

    public static GetOrderAmendsResponse ToOrderAmends(JsonElement result)
    {
        var response = new GetOrderAmendsResponse { Count = Int(result, "count") };
        Fill(response.Amends, Property(result, "amends"), amend => new OrderAmend
        {
            AmendId = Text(amend, "amend_id"),
            AmendType = AmendType.FromKraken(Text(amend, "amend_type")),
            OrderQuantity = Text(amend, "order_qty"),
            DisplayQuantity = Text(amend, "display_qty"),
            RemainingQuantity = Text(amend, "remaining_qty"),
            LimitPrice = Text(amend, "limit_price"),
            TriggerPrice = Text(amend, "trigger_price"),
            Reason = Text(amend, "reason"),
            PostOnly = Flag(amend, "post_only"),
            Time = Text(amend, "timestamp").Length > 0 ? UnixNanoseconds(Long(amend, "timestamp")) : null,
        });
        return response;
    }

    /// <summary>AddOrder's answer, with the client order id the order was sent with (empty when it carried a userref).</summary>
    public static SubmitOrderResponse ToSubmitOrder(JsonElement result, string clOrdId)
    {
        var description = Member(result, "descr");
        var response = new SubmitOrderResponse
        {
            OrderSummary = Text(description, "order"),
            CloseSummary = Text(description, "close"),
            ClOrdId = clOrdId,
        };
        response.Txids.AddRange(Words(result, "txid"));
        return response;
    }

    /// <summary>AddOrderBatch's answer, each result beside the client order id its order was sent with.</summary>
    public static SubmitBatchOrdersResponse ToSubmitBatchOrders(JsonElement result, SubmitBatchOrdersRequest sent)
    {
        var response = new SubmitBatchOrdersResponse();
        var index = 0;
        foreach (var order in Elements(result, "orders"))
        {
            var description = Member(order, "descr");
            var close = Text(order, "close");
            response.Orders.Add(new BatchOrderResult
            {
                Txid = Words(order, "txid").FirstOrDefault() ?? string.Empty,
                OrderSummary = Text(description, "order"),
                // Kraken's example puts "close" beside "descr"; AddOrder puts it inside. Read both.
                CloseSummary = close.Length > 0 ? close : Text(description, "close"),
                Error = Text(order, "error"),
                ClOrdId = index < sent.Orders.Count ? sent.Orders[index].ClOrdId : string.Empty,
            });
            index++;
        }
        return response;
    }

    public static AmendOrderResponse ToAmendOrder(JsonElement result) => new() { AmendId = Text(result, "amend_id") };

    public static EditOrderResponse ToEditOrder(JsonElement result)
    {
        var response = new EditOrderResponse
        {
            OrderSummary = Text(Member(result, "descr"), "order"),
            NewTxid = Text(result, "txid"),
            OriginalTxid = Text(result, "originaltxid"),
            Status = EditStatus.FromKraken(Text(result, "status")),
            Volume = Text(result, "volume"),
            Price = Text(result, "price"),
            SecondaryPrice = Text(result, "price2"),
            OrdersCancelled = Int(result, "orders_cancelled"),
            ErrorMessage = Text(result, "error_message"),
        };
        // Kraken sends the userrefs as text, and only when there are any.
        if (Text(result, "newuserref").Length > 0)
        {
            response.NewUserref = Int(result, "newuserref");
        }
        if (Text(result, "olduserref").Length > 0)
        {
            response.OldUserref = Int(result, "olduserref");
        }
        return response;
    }

    public static CancelOrderResponse ToCancelOrder(JsonElement result) => new()
    {
        Count = Int(result, "count"),
        Pending = Flag(result, "pending"),
    };

    public static CancelAllOrdersResponse ToCancelAllOrders(JsonElement result) => new()
    {
        Count = Int(result, "count"),
        Pending = Flag(result, "pending"),
    };

    public static CancelAllOrdersAfterResponse ToCancelAllOrdersAfter(JsonElement result) => new()
    {
        CurrentTime = IsoTime(result, "currentTime"),
        // "0" when the timer is off.
        TriggerTime = Text(result, "triggerTime") is "" or "0" ? null : IsoTime(result, "triggerTime"),
    };

    public static CancelBatchOrdersResponse ToCancelBatchOrders(JsonElement result) => new() { Count = Int(result, "count") };

    // A member of an object, or an empty object when it is absent (so Text reads it as empty, never throws).
    private static JsonElement Member(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : EmptyObject;

    private static JsonElement ParseEmptyObject()
    {
        using var document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }
}
