using System.Collections.Concurrent;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Coordination;

namespace KrakenGrpc.Kraken.Lanes;

/// <summary>
/// One <see cref="AccountLane"/> per API key, shared by every caller of the gateway: Kraken keeps one nonce and one
/// set of counters per key, so two account names configured with the same key share one lane.
/// </summary>
public sealed class AccountLanes(ILaneCoordination coordination, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<AccountLane>> _lanes = new(StringComparer.Ordinal);

    // Lazy: GetOrAdd may run its factory twice under a race, and a lane's state (a Redis subscription, a limiter)
    // must be opened once.
    public AccountLane For(KrakenAccount account) =>
        _lanes.GetOrAdd(account.ApiKey, static (_, state) => new Lazy<AccountLane>(() => new AccountLane(state.account, state.coordination.Open(state.account), state.time)),
            (account, coordination, time)).Value;

    public void Dispose()
    {
        foreach (var lane in _lanes.Values.Where(lane => lane.IsValueCreated))
        {
            lane.Value.Dispose();
        }
    }
}
