using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.Json;
using KrakenGrpc.Emulator.Market;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>
/// Kraken's trading endpoints (api-reference.md "Trading"): orders go through the per-pair trading counter
/// (protocol.md §8.2: fixed costs on receipt, age-based penalties for amend, edit and cancel), then the market's
/// rules and the account's checks, then the <see cref="MatchingEngine"/>. None of them costs anything on the REST
/// call counter except CancelAll and CancelAllOrdersAfter.
/// </summary>
internal sealed partial class TradingEndpoints(PrivateEndpoints gate, EmulatorStatistics statistics)
{
    private const int MinBatchOrders = 2;
    private const int MaxBatchOrders = 15;
    private const int MaxBatchCancels = 50;

    /// <summary>Kraken's documented bounds for deadline: it may lie at most 60 s ahead.</summary>
    private static readonly TimeSpan MaxDeadlineAhead = TimeSpan.FromSeconds(60);

    private MatchingEngine Engine => gate.Engine;

    private MarketCatalogue Catalogue => gate.Catalogue;

    public void Register(EndpointTable table)
    {
        gate.Map(table, "AddOrder", 0, AddOrder);
        gate.Map(table, "AddOrderBatch", 0, AddOrderBatch);
        gate.Map(table, "AmendOrder", 0, AmendOrder);
        gate.Map(table, "EditOrder", 0, EditOrder);
        gate.Map(table, "CancelOrder", 0, CancelOrder);
        gate.Map(table, "CancelAll", 1, CancelAll);
        gate.Map(table, "CancelAllOrdersAfter", 1, CancelAllOrdersAfter);
        gate.Map(table, "CancelOrderBatch", 0, CancelOrderBatch);
    }

    // ------------------------------------------------------------------ AddOrder, AddOrderBatch

    private EndpointResponse AddOrder(PrivateCall call)
    {
        var account = call.Account;
        var parameters = call.Parameters;
        if (!TryPair(parameters, out var pair, out var failure))
        {
            return failure;
        }

        if (!PrivateEndpoints.TryBool(parameters, "validate", false, out var validate))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("validate"));
        }

        // The fixed count applies on receipt, even if the order then fails validation; validate=true never
        // reaches the engine, so it costs nothing.
        if (!validate && !ChargeTrading(account, pair, 1m))
        {
            return PrivateEndpoints.Error(KrakenErrors.TradingRateLimitExceeded);
        }

        if (CheckDeadline(parameters) is { } deadlineError)
        {
            return PrivateEndpoints.Error(deadlineError);
        }

        if (!OrderRequestParser.TryParse(OrderValues(parameters.Values), pair, Engine.NowSeconds, out var request, out var error))
        {
            return PrivateEndpoints.Error(error);
        }

        if (Engine.CheckMarketRules(request, out var prices) is { } ruleError)
        {
            return PrivateEndpoints.Error(ruleError);
        }

        if (validate)
        {
            return PrivateEndpoints.Ok(w =>
            {
                w.WriteStartObject();
                WriteDescr(w, OrderDescriptions.Order(request, prices.Price, prices.Price2), request);
                w.WriteEndObject();
            });
        }

        if (Engine.CheckAccount(account, request, prices) is { } accountError)
        {
            return PrivateEndpoints.Error(accountError);
        }

        var order = Engine.Place(account, request, prices);
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            WriteDescr(w, OrderDescriptions.Order(order), request);
            w.WriteStartArray("txid");
            w.WriteStringValue(order.Txid);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// 2 to 15 orders on one pair. The whole batch is checked first (arguments, tick size, minimums): one bad order
    /// rejects the batch. Then each order meets the account's checks on its own; a refused one carries its
    /// <c>error</c> in its entry while the others are placed (api-reference AddOrderBatch).
    /// </summary>
    private EndpointResponse AddOrderBatch(PrivateCall call)
    {
        var account = call.Account;
        var parameters = call.Parameters;
        if (!TryPair(parameters, out var pair, out var failure))
        {
            return failure;
        }

        if (!PrivateEndpoints.TryBool(parameters, "validate", false, out var validate))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("validate"));
        }

        var entries = BatchOrders(parameters);
        if (entries is null || entries.Count < MinBatchOrders || entries.Count > MaxBatchOrders)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("orders"));
        }

        if (!validate && !ChargeTrading(account, pair, entries.Count / 2m))
        {
            return PrivateEndpoints.Error(KrakenErrors.TradingRateLimitExceeded);
        }

        if (CheckDeadline(parameters) is { } deadlineError)
        {
            return PrivateEndpoints.Error(deadlineError);
        }

        var requests = new List<(OrderRequest Request, ResolvedPrices Prices)>(entries.Count);
        foreach (var entry in entries)
        {
            if (entry.TryGetValue("pair", out var own) && own.Length > 0 && (!Catalogue.TryFindPair(own, out var ownPair) || ownPair != pair))
            {
                // One pair per batch.
                return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("pair"));
            }

            if (!OrderRequestParser.TryParse(entry, pair, Engine.NowSeconds, out var request, out var error))
            {
                return PrivateEndpoints.Error(error);
            }

            if (Engine.CheckMarketRules(request, out var prices) is { } ruleError)
            {
                return PrivateEndpoints.Error(ruleError);
            }

            requests.Add((request, prices));
        }

        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("orders");
            foreach (var (request, prices) in requests)
            {
                w.WriteStartObject();
                var error = validate ? null : Engine.CheckAccount(account, request, prices);
                if (validate || error is not null)
                {
                    w.WriteStartObject("descr");
                    w.WriteString("order", OrderDescriptions.Order(request, prices.Price, prices.Price2));
                    w.WriteEndObject();
                    if (error is not null)
                    {
                        w.WriteString("error", error);
                    }
                }
                else
                {
                    var order = Engine.Place(account, request, prices);
                    w.WriteString("txid", order.Txid);
                    w.WriteStartObject("descr");
                    w.WriteString("order", OrderDescriptions.Order(order));
                    w.WriteEndObject();
                    if (request.Close is { } close)
                    {
                        w.WriteString("close", OrderDescriptions.Close(close, pair));
                    }
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    // ------------------------------------------------------------------ AmendOrder, EditOrder

    private EndpointResponse AmendOrder(PrivateCall call)
    {
        var account = call.Account;
        var parameters = call.Parameters;
        var txid = parameters.NonEmpty("txid");
        var clOrdId = parameters.NonEmpty("cl_ord_id");
        if (txid is null && clOrdId is null)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("txid"));
        }

        var order = txid is not null ? account.FindOrder(txid) : account.OpenOrders.FirstOrDefault(o => o.ClOrdId == clOrdId);
        if (order is null || !order.IsOpen || (clOrdId is not null && order.ClOrdId != clOrdId))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidOrder);
        }

        decimal? quantity = null;
        if (parameters.NonEmpty("order_qty") is { } qtyText)
        {
            if (!OrderRequestParser.TryDecimal(qtyText, order.Pair.LotDecimals, out var qty) || qty <= 0m)
            {
                return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("order_qty"));
            }

            quantity = qty;
        }

        decimal? displayQuantity = null;
        if (parameters.NonEmpty("display_qty") is { } displayText)
        {
            if (!OrderRequestParser.TryDecimal(displayText, order.Pair.LotDecimals, out var display) || display <= 0m)
            {
                return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("display_qty"));
            }

            displayQuantity = display;
        }

        PriceSpec? limit = null;
        if (parameters.NonEmpty("limit_price") is { } limitText)
        {
            if (!PriceSpec.TryParse(limitText, out var spec) || spec.Prefix == '#')
            {
                return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("limit_price"));
            }

            limit = spec;
        }

        PriceSpec? trigger = null;
        if (parameters.NonEmpty("trigger_price") is { } triggerText)
        {
            if (!PriceSpec.TryParse(triggerText, out var spec) || spec.Prefix == '#')
            {
                return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("trigger_price"));
            }

            trigger = spec;
        }

        if (!PrivateEndpoints.TryBool(parameters, "post_only", false, out var postOnly))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("post_only"));
        }

        if (!ChargeAgeBased(account, order.Pair, Engine.AmendCost(order)))
        {
            return PrivateEndpoints.Error(KrakenErrors.TradingRateLimitExceeded);
        }

        if (CheckDeadline(parameters) is { } deadlineError)
        {
            return PrivateEndpoints.Error(deadlineError);
        }

        if (Engine.Amend(account, order, quantity, displayQuantity, limit, trigger, postOnly, out var amendId) is { } error)
        {
            return PrivateEndpoints.Error(error);
        }

        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("amend_id", amendId);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Cancel and replace: the original is cancelled ("Order replaced") and a new order with a new txid takes the
    /// changed terms. Like Kraken, it refuses triggered orders, orders with a conditional close and orders placed
    /// with a cl_ord_id (EOrder:Invalid order), and a volume below what has executed.
    /// </summary>
    private EndpointResponse EditOrder(PrivateCall call)
    {
        var account = call.Account;
        var parameters = call.Parameters;
        var reference = parameters.NonEmpty("txid");
        if (reference is null)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("txid"));
        }

        if (!TryPair(parameters, out var pair, out var failure))
        {
            return failure;
        }

        PaperOrder? original;
        if (int.TryParse(reference, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var byUserRef))
        {
            // A userref stands for the order only when it is unique among the open orders.
            var matches = account.OpenOrders.Where(o => o.UserRef == byUserRef).Take(2).ToArray();
            original = matches.Length == 1 ? matches[0] : null;
        }
        else
        {
            original = account.FindOrder(reference);
        }

        if (original is null || !original.IsOpen || original.Pair != pair || original.Triggered
            || original.Request.Close is not null || original.ClOrdId is not null)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidOrder);
        }

        if (!PrivateEndpoints.TryBool(parameters, "validate", false, out var validate)
            || !PrivateEndpoints.TryBool(parameters, "cancel_response", false, out _))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("validate"));
        }

        if (!PrivateEndpoints.TryInt32(parameters, "userref", out var newUserRef))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("userref"));
        }

        if (!validate && !ChargeAgeBased(account, pair, Engine.EditCost(original)))
        {
            return PrivateEndpoints.Error(KrakenErrors.TradingRateLimitExceeded);
        }

        if (CheckDeadline(parameters) is { } deadlineError)
        {
            return PrivateEndpoints.Error(deadlineError);
        }

        // The replacement: the original's parameters with the changed ones, for the volume not yet executed.
        var values = new Dictionary<string, string>(original.Request.Parameters, StringComparer.Ordinal);
        foreach (var dropped in new[] { "nonce", "cl_ord_id", "userref", "starttm", "validate", "deadline", "volume" })
        {
            values.Remove(dropped);
        }

        var volume = original.Volume;
        if (parameters.NonEmpty("volume") is { } volumeText
            && (!OrderRequestParser.TryDecimal(volumeText, pair.LotDecimals, out volume) || volume <= original.VolumeExecuted))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("volume"));
        }

        values["volume"] = KrakenNumber.Fixed(volume - original.VolumeExecuted, pair.LotDecimals);
        foreach (var name in new[] { "displayvol", "price", "price2" })
        {
            if (parameters.NonEmpty(name) is { } value)
            {
                values[name] = value;
            }
        }

        if (parameters["oflags"] is { } newFlags)
        {
            // Only post-only can change; the original's other flags stay.
            var kept = (values.GetValueOrDefault("oflags") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(f => f != "post");
            string[] post = newFlags.Split(',', StringSplitOptions.TrimEntries).Contains("post") ? ["post"] : [];
            values["oflags"] = string.Join(',', post.Concat(kept));
        }

        if (newUserRef is { } userRef)
        {
            values["userref"] = userRef.ToString(CultureInfo.InvariantCulture);
        }

        if (original.ExpireTime != 0)
        {
            values["expiretm"] = original.ExpireTime.ToString(CultureInfo.InvariantCulture);
        }

        if (!OrderRequestParser.TryParse(values, pair, Engine.NowSeconds, out var request, out var error))
        {
            return PrivateEndpoints.Error(error);
        }

        if (Engine.CheckMarketRules(request, out var prices) is { } ruleError)
        {
            return PrivateEndpoints.Error(ruleError);
        }

        if (!validate && Engine.CheckAccount(account, request, prices, replacing: original) is { } accountError)
        {
            return PrivateEndpoints.Error(accountError);
        }

        PaperOrder? replacement = null;
        if (!validate)
        {
            Engine.Cancel(account, original, "Order replaced");
            replacement = Engine.Place(account, request, prices);
        }

        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("status", "ok");
            if (replacement is not null)
            {
                w.WriteString("txid", replacement.Txid);
            }

            w.WriteString("originaltxid", original.Txid);
            w.WriteFixedString("volume", request.Volume, pair.LotDecimals);
            w.WriteString("price", OrderDescriptions.Price(pair, prices.Price));
            w.WriteString("price2", OrderDescriptions.Price(pair, prices.Price2));
            w.WriteNumber("orders_cancelled", replacement is null ? 0 : 1);
            if (newUserRef is { } newRef)
            {
                w.WriteString("newuserref", newRef.ToString(CultureInfo.InvariantCulture));
                w.WriteString("olduserref", (original.UserRef ?? 0).ToString(CultureInfo.InvariantCulture));
            }

            w.WriteStartObject("descr");
            w.WriteString("order", replacement is not null ? OrderDescriptions.Order(replacement) : OrderDescriptions.Order(request, prices.Price, prices.Price2));
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    // ------------------------------------------------------------------ cancels

    /// <summary>
    /// CancelOrder by txid (a comma list is accepted, as Kraken's CLI sends), by userref (every open order with it)
    /// or by cl_ord_id. An unknown or closed order answers EOrder:Invalid order. The age penalties must fit under
    /// the trading counter's threshold, else nothing is cancelled.
    /// </summary>
    private EndpointResponse CancelOrder(PrivateCall call)
    {
        var account = call.Account;
        var parameters = call.Parameters;
        var txid = parameters.NonEmpty("txid");
        var clOrdId = parameters.NonEmpty("cl_ord_id");
        List<PaperOrder> targets;
        if (clOrdId is not null)
        {
            targets = account.OpenOrders.Where(o => o.ClOrdId == clOrdId).ToList();
            if (targets.Count == 0)
            {
                return PrivateEndpoints.Error(KrakenErrors.InvalidOrder);
            }
        }
        else if (txid is null)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("txid"));
        }
        else if (int.TryParse(txid, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var userRef))
        {
            targets = account.OpenOrders.Where(o => o.UserRef == userRef).ToList();
        }
        else
        {
            targets = [];
            foreach (var id in RequestParameters.SplitList(txid))
            {
                if (account.FindOrder(id) is not { IsOpen: true } order)
                {
                    return PrivateEndpoints.Error(KrakenErrors.InvalidOrder);
                }

                if (!targets.Contains(order))
                {
                    targets.Add(order);
                }
            }
        }

        if (Engine.EnforceRateLimits)
        {
            foreach (var group in targets.GroupBy(o => o.Pair))
            {
                if (account.TradingCounter(group.Key).WouldExceed(group.Sum(Engine.CancelPenalty)))
                {
                    statistics.TradingRateLimited(account.ApiKey!);
                    return PrivateEndpoints.Error(KrakenErrors.TradingRateLimitExceeded);
                }
            }

            foreach (var order in targets)
            {
                account.TradingCounter(order.Pair).Charge(Engine.CancelPenalty(order));
            }
        }

        foreach (var order in targets)
        {
            Engine.Cancel(account, order);
        }

        return Count(targets.Count);
    }

    private EndpointResponse CancelAll(PrivateCall call) => Count(Engine.CancelAll(call.Account, "User requested"));

    /// <summary>The dead man's switch: after <c>timeout</c> seconds without a new call, every open order is cancelled; 0 disarms.</summary>
    private EndpointResponse CancelAllOrdersAfter(PrivateCall call)
    {
        if (!call.Parameters.TryGetInt("timeout", -1, 0, 86_399, out var timeout) || timeout < 0)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("timeout"));
        }

        var now = Engine.NowNs;
        var trigger = Engine.ArmDeadManSwitch(call.Account, timeout);
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("currentTime", KrakenNumber.Rfc3339Seconds(now));
            w.WriteString("triggerTime", trigger == 0 ? "0" : KrakenNumber.Rfc3339Seconds(trigger));
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Up to 50 references: <c>orders</c> (txids or userrefs; strings, numbers or {"txid":...} objects) and
    /// <c>cl_ord_ids</c>. References that match no open order are skipped. The penalties are charged but never
    /// refuse the batch (protocol.md §8.2).
    /// </summary>
    private EndpointResponse CancelOrderBatch(PrivateCall call)
    {
        var account = call.Account;
        var references = ReferenceList(call.Parameters["orders"], "txid");
        var clientIds = ReferenceList(call.Parameters["cl_ord_ids"], "cl_ord_id");
        if (references is null || clientIds is null)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("orders"));
        }

        var total = references.Concat(clientIds).Distinct(StringComparer.Ordinal).Count();
        if (total == 0 || total > MaxBatchCancels)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("orders"));
        }

        var targets = new List<PaperOrder>();
        foreach (var reference in references)
        {
            if (account.FindOrder(reference) is { IsOpen: true } order)
            {
                targets.Add(order);
            }
            else if (int.TryParse(reference, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var userRef))
            {
                targets.AddRange(account.OpenOrders.Where(o => o.UserRef == userRef));
            }
        }

        foreach (var clientId in clientIds)
        {
            targets.AddRange(account.OpenOrders.Where(o => o.ClOrdId == clientId));
        }

        var distinct = targets.Distinct().ToArray();
        foreach (var order in distinct)
        {
            if (Engine.EnforceRateLimits)
            {
                account.TradingCounter(order.Pair).Charge(Engine.CancelPenalty(order));
            }

            Engine.Cancel(account, order);
        }

        return Count(distinct.Length);
    }

    // ------------------------------------------------------------------ helpers

    private static EndpointResponse Count(int count) => PrivateEndpoints.Ok(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("count", count);
        w.WriteEndObject();
    });

    /// <summary>descr {order, close?}: close only when the order has a conditional close, as Kraken's example.</summary>
    private static void WriteDescr(Utf8JsonWriter w, string order, OrderRequest request)
    {
        w.WriteStartObject("descr");
        w.WriteString("order", order);
        if (request.Close is { } close)
        {
            w.WriteString("close", OrderDescriptions.Close(close, request.Pair));
        }

        w.WriteEndObject();
    }

    private bool TryPair(RequestParameters parameters, out PairDefinition pair, out EndpointResponse failure)
    {
        pair = null!;
        failure = default;
        if (parameters.NonEmpty("pair") is not { } name)
        {
            failure = PrivateEndpoints.Error(KrakenErrors.InvalidArgument("pair"));
            return false;
        }

        // xStocks (tokenized assets) are not listed by the emulator.
        if (parameters.NonEmpty("asset_class") == "tokenized_asset" || !Catalogue.TryFindPair(name, out var found))
        {
            failure = PrivateEndpoints.Error(KrakenErrors.UnknownAssetPair);
            return false;
        }

        pair = found;
        return true;
    }

    /// <summary>A fixed cost on the pair's trading counter, always applied; false (refuse) when it goes above the threshold.</summary>
    private bool ChargeTrading(PaperAccount account, PairDefinition pair, decimal cost)
    {
        if (!Engine.EnforceRateLimits || account.TradingCounter(pair).Charge(cost))
        {
            return true;
        }

        statistics.TradingRateLimited(account.ApiKey!);
        return false;
    }

    /// <summary>
    /// Amend and edit: fixed 1 plus the age penalty. Refused when the whole would exceed the threshold; the fixed
    /// count is charged even then.
    /// </summary>
    private bool ChargeAgeBased(PaperAccount account, PairDefinition pair, int cost)
    {
        if (!Engine.EnforceRateLimits)
        {
            return true;
        }

        var counter = account.TradingCounter(pair);
        if (counter.WouldExceed(cost))
        {
            counter.Charge(1m);
            statistics.TradingRateLimited(account.ApiKey!);
            return false;
        }

        counter.Charge(cost);
        return true;
    }

    /// <summary>deadline: RFC 3339; past -> EService:Deadline elapsed; more than 60 s ahead -> invalid.</summary>
    private string? CheckDeadline(RequestParameters parameters)
    {
        if (parameters.NonEmpty("deadline") is not { } text)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var deadline))
        {
            return KrakenErrors.InvalidArgument("deadline");
        }

        var now = Engine.Clock.GetUtcNow();
        if (deadline <= now)
        {
            return KrakenErrors.DeadlineElapsed;
        }

        return deadline > now + MaxDeadlineAhead ? KrakenErrors.InvalidArgument("deadline") : null;
    }

    /// <summary>
    /// An order's parameters with a JSON <c>close</c> object flattened into Kraken's form names
    /// (<c>close[ordertype]</c>...), so form and JSON bodies read the same.
    /// </summary>
    private static Dictionary<string, string> OrderValues(IReadOnlyDictionary<string, string> source)
    {
        var values = new Dictionary<string, string>(source, StringComparer.Ordinal);
        if (values.TryGetValue("close", out var close) && close.StartsWith('{'))
        {
            values.Remove("close");
            try
            {
                using var document = JsonDocument.Parse(close);
                Flatten(document.RootElement, "close", values);
            }
            catch (JsonException)
            {
                values["close[ordertype]"] = close;
            }
        }

        return values;
    }

    /// <summary>AddOrderBatch's orders: a JSON array of objects, or ccxt's nested form (orders[0][ordertype]=...).</summary>
    private static List<Dictionary<string, string>>? BatchOrders(RequestParameters parameters)
    {
        if (parameters["orders"] is { } json)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                if (document.RootElement.ValueKind != JsonValueKind.Array)
                {
                    return null;
                }

                var orders = new List<Dictionary<string, string>>();
                foreach (var element in document.RootElement.EnumerateArray())
                {
                    if (element.ValueKind != JsonValueKind.Object)
                    {
                        return null;
                    }

                    var values = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var property in element.EnumerateObject())
                    {
                        if (property.Value.ValueKind == JsonValueKind.Object)
                        {
                            Flatten(property.Value, property.Name, values);
                        }
                        else
                        {
                            values[property.Name] = Text(property.Value);
                        }
                    }

                    orders.Add(values);
                }

                return orders;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        var byIndex = new SortedDictionary<int, Dictionary<string, string>>();
        foreach (var (name, value) in parameters.Values)
        {
            var match = NestedOrderKey().Match(name);
            if (!match.Success)
            {
                continue;
            }

            var index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            if (!byIndex.TryGetValue(index, out var values))
            {
                values = new Dictionary<string, string>(StringComparer.Ordinal);
                byIndex[index] = values;
            }

            var key = match.Groups[3].Success ? $"{match.Groups[2].Value}[{match.Groups[3].Value}]" : match.Groups[2].Value;
            values[key] = value;
        }

        return byIndex.Count == 0 ? null : byIndex.Values.ToList();
    }

    /// <summary>A CancelOrderBatch list: absent gives empty; a JSON array of strings, numbers or objects with <paramref name="objectKey"/>; or a comma list.</summary>
    private static List<string>? ReferenceList(string? text, string objectKey)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        if (!text.StartsWith('['))
        {
            return RequestParameters.SplitList(text).ToList();
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var list = new List<string>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var value = element.ValueKind == JsonValueKind.Object
                    ? element.TryGetProperty(objectKey, out var inner) ? Text(inner) : null
                    : Text(element);
                if (string.IsNullOrWhiteSpace(value))
                {
                    return null;
                }

                list.Add(value.Trim());
            }

            return list;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Flatten(JsonElement element, string prefix, Dictionary<string, string> values)
    {
        foreach (var property in element.EnumerateObject())
        {
            values[$"{prefix}[{property.Name}]"] = Text(property.Value);
        }
    }

    private static string Text(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString() ?? string.Empty : element.GetRawText();

    [GeneratedRegex(@"^orders\[(\d{1,3})\]\[([^\]]+)\](?:\[([^\]]+)\])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NestedOrderKey();
}
