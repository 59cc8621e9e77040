using System.Collections.Concurrent;
using KrakenGrpc.Kraken.Accounts;

namespace KrakenGrpc.Kraken.Lanes;

/// <summary>
/// One <see cref="AccountLane"/> per API key, shared by every caller of the gateway: Kraken keeps one nonce and one
/// set of counters per key, so two account names configured with the same key share one lane.
/// </summary>
public sealed class AccountLanes(TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<string, AccountLane> _lanes = new(StringComparer.Ordinal);

    public AccountLane For(KrakenAccount account) => _lanes.GetOrAdd(account.ApiKey, static (_, state) => new AccountLane(state.account, state.time), (account, time));

    public void Dispose()
    {
        foreach (var lane in _lanes.Values)
        {
            lane.Dispose();
        }
    }
}
