using System.Globalization;
using StackExchange.Redis;

namespace KrakenGrpc.Kraken.Coordination;

/// <summary>
/// A key's orders in one Redis hash (<c>{key:…}:orders</c>), shared by the replicas: field txid → "pair|changed ms|client
/// order id", and field <c>cl:</c>client order id → txid. Forgotten a day after the last order was recorded, when no
/// age matters any more and Kraken's own list (OpenOrders) is the truth anyway.
/// </summary>
internal sealed class RedisOrderLedger(RedisConnection redis, RedisKey key) : IOrderLedger
{
    private const string ByClientId = "cl:";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    private const string Resolve = """
        -- KEYS: orders. ARGV: id (txid or client order id), '1' to remove. Returns {txid, entry} or nil.
        local txid = ARGV[1]
        local entry = redis.call('HGET', KEYS[1], txid)
        if not entry then
          txid = redis.call('HGET', KEYS[1], 'cl:' .. ARGV[1])
          if not txid then return false end
          entry = redis.call('HGET', KEYS[1], txid)
          if not entry then return false end
        end
        if ARGV[2] == '1' then
          redis.call('HDEL', KEYS[1], txid)
          local client = string.match(entry, '^[^|]*|[^|]*|(.*)$')
          if client and client ~= '' then redis.call('HDEL', KEYS[1], 'cl:' .. client) end
        end
        return {txid, entry}
        """;

    public ValueTask<TrackedOrder?> FindAsync(string id) => ResolveAsync(id, remove: false);

    public ValueTask<TrackedOrder?> ForgetAsync(string id) => ResolveAsync(id, remove: true);

    public async ValueTask TrackAsync(TrackedOrder order)
    {
        HashEntry[] fields = string.IsNullOrEmpty(order.ClientOrderId)
            ? [new(order.Txid, Entry(order))]
            : [new(order.Txid, Entry(order)), new(ByClientId + order.ClientOrderId, order.Txid)];
        await redis.RunAsync(async db =>
        {
            await db.HashSetAsync(key, fields).ConfigureAwait(false);
            return await db.KeyExpireAsync(key, Lifetime).ConfigureAwait(false);
        }, "record an order of the API key").ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<TrackedOrder>> AllAsync()
    {
        var entries = await redis.RunAsync(db => db.HashGetAllAsync(key), "read the API key's orders").ConfigureAwait(false);
        return [.. entries.Where(e => !e.Name.StartsWith(ByClientId)).Select(e => Parse(e.Name.ToString(), e.Value.ToString()))];
    }

    public async ValueTask ReplaceAsync(IReadOnlyList<TrackedOrder> orders)
    {
        await redis.RunAsync(async db =>
        {
            var replace = db.CreateTransaction();
            _ = replace.KeyDeleteAsync(key);
            foreach (var order in orders)
            {
                _ = replace.HashSetAsync(key, order.Txid, Entry(order));
                if (!string.IsNullOrEmpty(order.ClientOrderId))
                {
                    _ = replace.HashSetAsync(key, ByClientId + order.ClientOrderId, order.Txid);
                }
            }
            _ = replace.KeyExpireAsync(key, Lifetime);
            return await replace.ExecuteAsync().ConfigureAwait(false);
        }, "replace the API key's orders").ConfigureAwait(false);
    }

    private async ValueTask<TrackedOrder?> ResolveAsync(string id, bool remove)
    {
        var found = await redis.RunAsync(db => db.ScriptEvaluateAsync(Resolve, [key], [id, remove ? "1" : "0"]),
            remove ? "forget an order of the API key" : "look up an order of the API key").ConfigureAwait(false);
        return found.IsNull ? null : Parse(found[0].ToString(), found[1].ToString());
    }

    private static string Entry(TrackedOrder order) =>
        string.Create(CultureInfo.InvariantCulture, $"{order.Pair}|{order.ChangedAt.ToUnixTimeMilliseconds()}|{order.ClientOrderId}");

    private static TrackedOrder Parse(string txid, string entry)
    {
        var parts = entry.Split('|', 3);
        return new TrackedOrder(txid, parts[2].Length == 0 ? null : parts[2], parts[0],
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture)));
    }
}
