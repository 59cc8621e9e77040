using System.Collections.Concurrent;
using System.Text.Json;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Coordination;
using KrakenGrpc.Kraken.Requests;

namespace KrakenGrpc.Kraken.Lanes;

/// <summary>
/// A model of Kraken's per-pair matching-engine counter for one API key (protocol.md §8.2): adding an order costs 1
/// (a batch n/2), and amending, editing or cancelling costs more the younger the order is. To price an amend or a
/// cancel the budget remembers when each order placed through the gateway was created or last changed. Orders the
/// gateway has never seen (placed elsewhere) cannot be priced in advance; Kraken's own refusal then still maps to
/// RESOURCE_EXHAUSTED. The counters live wherever the lane's state does (<paramref name="counterOf"/>); the orders'
/// ages are this process's own knowledge.
/// </summary>
public sealed class TradingBudget(KrakenTierLimits limits, Func<string, IRateCounter> counterOf, TimeProvider time)
{
    // Age-based penalties by endpoint: (younger than seconds, points).
    private static readonly (double Seconds, double Points)[] AmendPenalty = [(5, 3), (10, 2), (15, 1)];
    private static readonly (double Seconds, double Points)[] EditPenalty = [(5, 6), (10, 5), (15, 4), (45, 2), (90, 1)];
    private static readonly (double Seconds, double Points)[] CancelPenalty = [(5, 8), (10, 6), (15, 5), (45, 4), (90, 2), (300, 1)];

    private readonly ConcurrentDictionary<string, IRateCounter> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TrackedOrder> _orders = new(StringComparer.Ordinal);

    /// <summary>The counter of one pair (as the caller spelled it, upper case, without '/').</summary>
    public IRateCounter CounterFor(string pair) => _counters.GetOrAdd(NormalisePair(pair), counterOf);

    /// <summary>
    /// What a call will add to which pair's counter, when that can be known before sending; null when the call is
    /// not charged to this counter or concerns an order the gateway has not seen.
    /// </summary>
    public (string Pair, double Points)? ChargeFor(KrakenEndpoint endpoint, KrakenParameters parameters)
    {
        if (parameters.Text("validate") == "true")
        {
            return null; // validate-only never reaches the matching engine
        }

        switch (endpoint.Name)
        {
            case "AddOrder" when parameters.Text("pair") is { } pair:
                return (pair, 1);
            case "AddOrderBatch" when parameters.Text("pair") is { } pair:
                return (pair, parameters.CountOf("orders") / 2.0);
            case "AmendOrder" when Find(parameters.Text("txid") ?? parameters.Text("cl_ord_id")) is { } order:
                return (order.Pair, 1 + Penalty(AmendPenalty, order));
            case "EditOrder" when parameters.Text("pair") is { } pair:
                // An order we have not seen is priced as if it were brand new: waiting too long beats being refused.
                var edited = Find(parameters.Text("txid"));
                return (edited?.Pair ?? pair, 1 + (edited is null ? EditPenalty[0].Points : Penalty(EditPenalty, edited)));
            case "CancelOrder" when Find(parameters.Text("txid") ?? parameters.Text("cl_ord_id")) is { } order:
                return (order.Pair, Penalty(CancelPenalty, order));
            default:
                return null;
        }
    }

    /// <summary>Learns from a successful answer which orders exist, changed or went away, and charges batch cancels.</summary>
    public async ValueTask RecordAsync(KrakenEndpoint endpoint, KrakenParameters parameters, JsonElement result)
    {
        var now = time.GetUtcNow();
        switch (endpoint.Name)
        {
            case "AddOrder" when parameters.Text("pair") is { } pair && result.ValueKind == JsonValueKind.Object && result.TryGetProperty("txid", out var txids):
                foreach (var txid in txids.EnumerateArray())
                {
                    Track(txid.GetString(), parameters.Text("cl_ord_id"), pair, now);
                }
                break;
            case "AddOrderBatch" when parameters.Text("pair") is { } pair && result.ValueKind == JsonValueKind.Object && result.TryGetProperty("orders", out var orders):
                // Kraken answers in the order the batch was sent; the client ids are in what was sent.
                var sent = parameters.Objects("orders");
                var index = 0;
                foreach (var order in orders.EnumerateArray())
                {
                    if (order.TryGetProperty("txid", out var txid))
                    {
                        Track(txid.GetString(), index < sent.Count ? sent[index].Text("cl_ord_id") : null, pair, now);
                    }
                    index++;
                }
                break;
            case "AmendOrder" when Find(parameters.Text("txid") ?? parameters.Text("cl_ord_id")) is { } amended:
                amended.ChangedAt = now;
                break;
            case "EditOrder" when result.ValueKind == JsonValueKind.Object && result.TryGetProperty("txid", out var newTxid):
                var original = Forget(parameters.Text("txid"));
                Track(newTxid.GetString(), null, original?.Pair ?? parameters.Text("pair") ?? string.Empty, now);
                break;
            case "CancelOrder":
                Forget(parameters.Text("txid") ?? parameters.Text("cl_ord_id"));
                break;
            case "CancelOrderBatch":
                // Kraken accepts a batch cancel beyond the threshold, then charges it: charge after the fact.
                foreach (var id in (parameters.Text("orders") ?? string.Empty).Split(',').Concat((parameters.Text("cl_ord_ids") ?? string.Empty).Split(',')))
                {
                    if (Forget(id) is { } cancelled)
                    {
                        await CounterFor(cancelled.Pair).AddAsync(Penalty(CancelPenalty, cancelled)).ConfigureAwait(false);
                    }
                }
                break;
            case "CancelAll":
                foreach (var cancelled in _orders.Values.Distinct().ToList())
                {
                    await CounterFor(cancelled.Pair).AddAsync(Penalty(CancelPenalty, cancelled)).ConfigureAwait(false);
                }
                _orders.Clear();
                break;
        }
    }

    /// <summary>
    /// True when an order call would take the pair past Kraken's open-orders cap by the gateway's own count. That
    /// count only grows by what the gateway placed and cannot see fills, so it errs high: the caller should check it
    /// against Kraken's OpenOrders (<see cref="ReplaceOpenOrders"/>) before refusing.
    /// </summary>
    public bool MayExceedOpenOrders(KrakenEndpoint endpoint, KrakenParameters parameters)
    {
        if (parameters.Text("validate") == "true" || parameters.Text("pair") is not { } pair)
        {
            return false;
        }
        var adding = endpoint.Name switch { "AddOrder" => 1, "AddOrderBatch" => parameters.CountOf("orders"), _ => 0 };
        return adding > 0 && OpenOrdersOn(pair) + adding > limits.MaxOpenOrdersPerPair;
    }

    /// <summary>Open orders the gateway knows of on a pair.</summary>
    public int OpenOrdersOn(string pair)
    {
        var key = NormalisePair(pair);
        return _orders.Values.Distinct().Count(o => o.Pair == key);
    }

    /// <summary>Replaces what the gateway knows with Kraken's OpenOrders answer (<c>{"open": {txid: order}}</c>).</summary>
    public void ReplaceOpenOrders(JsonElement openOrdersResult)
    {
        if (!openOrdersResult.TryGetProperty("open", out var open) || open.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var known = _orders.Values.Distinct().ToDictionary(o => o.Txid);
        _orders.Clear();
        foreach (var order in open.EnumerateObject())
        {
            var description = order.Value.TryGetProperty("descr", out var d) ? d : default;
            var pair = description.ValueKind == JsonValueKind.Object && description.TryGetProperty("pair", out var p) ? p.GetString() : null;
            var clientOrderId = order.Value.TryGetProperty("cl_ord_id", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var changedAt = known.TryGetValue(order.Name, out var tracked) ? tracked.ChangedAt : time.GetUtcNow();
            Track(order.Name, clientOrderId, known.GetValueOrDefault(order.Name)?.Pair ?? pair ?? string.Empty, changedAt);
        }
    }

    private double Penalty((double Seconds, double Points)[] table, TrackedOrder order)
    {
        var age = (time.GetUtcNow() - order.ChangedAt).TotalSeconds;
        foreach (var (seconds, points) in table)
        {
            if (age < seconds)
            {
                return points;
            }
        }
        return 0;
    }

    private void Track(string? txid, string? clientOrderId, string pair, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(txid))
        {
            return;
        }
        var order = new TrackedOrder(txid, clientOrderId, NormalisePair(pair)) { ChangedAt = now };
        _orders[txid] = order;
        if (!string.IsNullOrEmpty(clientOrderId))
        {
            _orders[clientOrderId] = order;
        }
    }

    private TrackedOrder? Find(string? id) => id is not null && _orders.TryGetValue(id, out var order) ? order : null;

    private TrackedOrder? Forget(string? id)
    {
        if (id is null || !_orders.TryRemove(id, out var order))
        {
            return null;
        }
        _orders.TryRemove(order.Txid, out _);
        if (order.ClientOrderId is { } clientOrderId)
        {
            _orders.TryRemove(clientOrderId, out _);
        }
        return order;
    }

    private static string NormalisePair(string pair) => pair.Replace("/", string.Empty, StringComparison.Ordinal).ToUpperInvariant();

    private sealed record TrackedOrder(string Txid, string? ClientOrderId, string Pair)
    {
        public DateTimeOffset ChangedAt { get; set; }
    }
}
