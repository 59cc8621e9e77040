using System.Collections.Concurrent;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Transport;
using Microsoft.Extensions.Options;

namespace KrakenGrpc.Kraken.Lanes;

/// <summary>
/// A request budget per public endpoint, shared by every caller of the gateway: Kraken throttles public calls per
/// address (<c>EGeneral:Too many requests</c>), so many callers of one gateway must not add up to more than one client
/// would send. A call that would exceed it waits inside its deadline, or is refused with RESOURCE_EXHAUSTED and the
/// wait in RetryInfo, unsent. Identical calls in flight together are shared upstream and charged once.
/// </summary>
public sealed class PublicBudget(IOptions<KrakenOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DecayingCounter> _counters = new(StringComparer.Ordinal);
    private readonly KrakenPublicBudgetOptions _limits = options.Value.PublicBudget;

    public async ValueTask WaitAsync(KrakenEndpoint endpoint, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        if (!_limits.Enabled)
        {
            return;
        }
        var counter = _counters.GetOrAdd(endpoint.Name, static (_, state) => new DecayingCounter(state.Burst, state.PerSecond, state.time), (_limits.Burst, _limits.PerSecond, time));
        var patience = deadline is { } end ? end - time.GetUtcNow() : TimeSpan.MaxValue;
        if (!counter.TryReserve(1, patience, out var wait))
        {
            throw new KrakenException(KrakenErrorTable.PublicBudgetExhausted with { RetryAfter = wait }, endpoint.Name,
                $"{endpoint.Name} would exceed the gateway's public request budget ({_limits.Burst} at {_limits.PerSecond}/s, Kraken:PublicBudget) before the call's deadline; it was not sent. Retry in {wait.TotalSeconds:0.0} s.");
        }
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
