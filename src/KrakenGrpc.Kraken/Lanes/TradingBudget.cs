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
/// RESOURCE_EXHAUSTED. The counters and the orders live wherever the lane's state does (<paramref name="counterOf"/>,
/// <paramref name="orders"/>): with Redis, an order placed through one replica is priced when another cancels it.
/// </summary>
public sealed class TradingBudget(KrakenTierLimits limits, Func<string, IRateCounter> counterOf, IOrderLedger orders, TimeProvider time)
{
    // Age-based penalties by endpoint: (younger than seconds, points).
    private static readonly (double Seconds, double Points)[] AmendPenalty = [(5, 3), (10, 2), (15, 1)];
    private static readonly (double Seconds, double Points)[] EditPenalty = [(5, 6), (10, 5), (15, 4), (45, 2), (90, 1)];
    private static readonly (double Seconds, double Points)[] CancelPenalty = [(5, 8), (10, 6), (15, 5), (45, 4), (90, 2), (300, 1)];

    private readonly ConcurrentDictionary<string, IRateCounter> _counters = new(StringComparer.Ordinal);

    /// <summary>The counter of one pair (as the caller spelled it, upper case, without '/').</summary>
    public IRateCounter CounterFor(string pair) => _counters.GetOrAdd(NormalisePair(pair), counterOf);

    /// <summary>
    /// What a call will add to which pair's counter, when that can be known before sending; null when the call is
    /// not charged to this counter or concerns an order the gateway has not seen.
    /// </summary>
    public async ValueTask<(string Pair, double Points)?> ChargeForAsync(KrakenEndpoint endpoint, KrakenParameters parameters)
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
            case "AmendOrder" when await FindAsync(parameters.Text("txid") ?? parameters.Text("cl_ord_id")).ConfigureAwait(false) is { } order:
                return (order.Pair, 1 + Penalty(AmendPenalty, order));
            case "EditOrder" when parameters.Text("pair") is { } pair:
                // An order we have not seen is priced as if it were brand new: waiting too long beats being refused.
                var edited = await FindAsync(parameters.Text("txid")).ConfigureAwait(false);
                return (edited?.Pair ?? pair, 1 + (edited is null ? EditPenalty[0].Points : Penalty(EditPenalty, edited)));
            case "CancelOrder" when await FindAsync(parameters.Text("txid") ?? parameters.Text("cl_ord_id")).ConfigureAwait(false) is { } order:
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
                    await TrackAsync(txid.GetString(), parameters.Text("cl_ord_id"), pair, now).ConfigureAwait(false);
                }
                break;
            case "AddOrderBatch" when parameters.Text("pair") is { } pair && result.ValueKind == JsonValueKind.Object && result.TryGetProperty("orders", out var placed):
                // Kraken answers in the order the batch was sent; the client ids are in what was sent.
                var sent = parameters.Objects("orders");
                var index = 0;
                foreach (var order in placed.EnumerateArray())
                {
                    if (order.TryGetProperty("txid", out var txid))
                    {
                        await TrackAsync(txid.GetString(), index < sent.Count ? sent[index].Text("cl_ord_id") : null, pair, now).ConfigureAwait(false);
                    }
                    index++;
                }
                break;
            case "AmendOrder" when await FindAsync(parameters.Text("txid") ?? parameters.Text("cl_ord_id")).ConfigureAwait(false) is { } amended:
                await orders.TrackAsync(amended with { ChangedAt = now }).ConfigureAwait(false);
                break;
            case "EditOrder" when result.ValueKind == JsonValueKind.Object && result.TryGetProperty("txid", out var newTxid):
                var original = await ForgetAsync(parameters.Text("txid")).ConfigureAwait(false);
                await TrackAsync(newTxid.GetString(), null, original?.Pair ?? parameters.Text("pair") ?? string.Empty, now).ConfigureAwait(false);
                break;
            case "CancelOrder":
                await ForgetAsync(parameters.Text("txid") ?? parameters.Text("cl_ord_id")).ConfigureAwait(false);
                break;
            case "CancelOrderBatch":
                // Kraken accepts a batch cancel beyond the threshold, then charges it: charge after the fact.
                foreach (var id in (parameters.Text("orders") ?? string.Empty).Split(',').Concat((parameters.Text("cl_ord_ids") ?? string.Empty).Split(',')))
                {
                    if (await ForgetAsync(id).ConfigureAwait(false) is { } cancelled)
                    {
                        await CounterFor(cancelled.Pair).AddAsync(Penalty(CancelPenalty, cancelled)).ConfigureAwait(false);
                    }
                }
                break;
            case "CancelAll":
                foreach (var cancelled in await orders.AllAsync().ConfigureAwait(false))
                {
                    await CounterFor(cancelled.Pair).AddAsync(Penalty(CancelPenalty, cancelled)).ConfigureAwait(false);
                }
                await orders.ReplaceAsync([]).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// True when an order call would take the pair past Kraken's open-orders cap by the gateway's own count. That
    /// count only grows by what the gateway placed and cannot see fills, so it errs high: the caller should check it
    /// against Kraken's OpenOrders (<see cref="ReplaceOpenOrdersAsync"/>) before refusing.
    /// </summary>
    public async ValueTask<bool> MayExceedOpenOrdersAsync(KrakenEndpoint endpoint, KrakenParameters parameters)
    {
        if (parameters.Text("validate") == "true" || parameters.Text("pair") is not { } pair)
        {
            return false;
        }
        var adding = endpoint.Name switch { "AddOrder" => 1, "AddOrderBatch" => parameters.CountOf("orders"), _ => 0 };
        return adding > 0 && await OpenOrdersOnAsync(pair).ConfigureAwait(false) + adding > limits.MaxOpenOrdersPerPair;
    }

    /// <summary>Open orders the gateway knows of on a pair.</summary>
    public async ValueTask<int> OpenOrdersOnAsync(string pair)
    {
        var key = NormalisePair(pair);
        return (await orders.AllAsync().ConfigureAwait(false)).Count(o => o.Pair == key);
    }

    /// <summary>Replaces what the gateway knows with Kraken's OpenOrders answer (<c>{"open": {txid: order}}</c>).</summary>
    public async ValueTask ReplaceOpenOrdersAsync(JsonElement openOrdersResult)
    {
        if (!openOrdersResult.TryGetProperty("open", out var open) || open.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var known = (await orders.AllAsync().ConfigureAwait(false)).ToDictionary(o => o.Txid);
        List<TrackedOrder> current = [];
        foreach (var order in open.EnumerateObject())
        {
            var description = order.Value.TryGetProperty("descr", out var d) ? d : default;
            var pair = description.ValueKind == JsonValueKind.Object && description.TryGetProperty("pair", out var p) ? p.GetString() : null;
            var clientOrderId = order.Value.TryGetProperty("cl_ord_id", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            known.TryGetValue(order.Name, out var tracked);
            current.Add(new TrackedOrder(order.Name, clientOrderId, NormalisePair(tracked?.Pair ?? pair ?? string.Empty), tracked?.ChangedAt ?? time.GetUtcNow()));
        }
        await orders.ReplaceAsync(current).ConfigureAwait(false);
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

    private ValueTask TrackAsync(string? txid, string? clientOrderId, string pair, DateTimeOffset now) =>
        string.IsNullOrEmpty(txid) ? ValueTask.CompletedTask : orders.TrackAsync(new TrackedOrder(txid, clientOrderId, NormalisePair(pair), now));

    private ValueTask<TrackedOrder?> FindAsync(string? id) => string.IsNullOrEmpty(id) ? new((TrackedOrder?)null) : orders.FindAsync(id);

    private ValueTask<TrackedOrder?> ForgetAsync(string? id) => string.IsNullOrEmpty(id) ? new((TrackedOrder?)null) : orders.ForgetAsync(id);

    private static string NormalisePair(string pair) => pair.Replace("/", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
}
