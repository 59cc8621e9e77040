using System.Collections.Concurrent;

namespace KrakenGrpc.Kraken.Coordination;

/// <summary>The orders of a key in this process, indexed by txid and by client order id.</summary>
public sealed class InProcessOrderLedger : IOrderLedger
{
    private readonly ConcurrentDictionary<string, TrackedOrder> _byId = new(StringComparer.Ordinal);

    public ValueTask<TrackedOrder?> FindAsync(string id) => new(_byId.GetValueOrDefault(id));

    public ValueTask TrackAsync(TrackedOrder order)
    {
        _byId[order.Txid] = order;
        if (!string.IsNullOrEmpty(order.ClientOrderId))
        {
            _byId[order.ClientOrderId] = order;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<TrackedOrder?> ForgetAsync(string id)
    {
        if (!_byId.TryRemove(id, out var order))
        {
            return new((TrackedOrder?)null);
        }
        _byId.TryRemove(order.Txid, out _);
        if (order.ClientOrderId is { } clientOrderId)
        {
            _byId.TryRemove(clientOrderId, out _);
        }
        return new(order);
    }

    public ValueTask<IReadOnlyList<TrackedOrder>> AllAsync() =>
        new(_byId.Where(entry => entry.Key == entry.Value.Txid).Select(entry => entry.Value).ToList());

    public async ValueTask ReplaceAsync(IReadOnlyList<TrackedOrder> orders)
    {
        _byId.Clear();
        foreach (var order in orders)
        {
            await TrackAsync(order).ConfigureAwait(false);
        }
    }
}
