using System.Threading.RateLimiting;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Requests;

namespace KrakenGrpc.Kraken.Lanes;

/// <summary>
/// Everything one API key shares across all callers of the gateway: its nonce sequence, its REST call counter, and
/// the order in which its signed requests leave. Kraken rejects a nonce lower than one it has already seen, so
/// requests are signed and sent one at a time (or <see cref="KrakenAccount.MaxInFlight"/> for keys with a nonce
/// window), in arrival order.
/// </summary>
public sealed class AccountLane : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ConcurrencyLimiter _sendSlots;
    private volatile LanePause? _pause;

    public AccountLane(KrakenAccount account, TimeProvider time)
    {
        _time = time;
        Account = account;
        Limits = KrakenTierLimits.For(account.Tier);
        Nonces = new NonceSequence(time);
        RestCounter = new DecayingCounter(Limits.RestCounterMax, Limits.RestCounterDecayPerSecond, time);
        Trading = new TradingBudget(Limits, time);
        _sendSlots = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = account.MaxInFlight,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public KrakenAccount Account { get; }

    public KrakenTierLimits Limits { get; }

    public NonceSequence Nonces { get; }

    /// <summary>The model of Kraken's REST call counter for this key.</summary>
    public DecayingCounter RestCounter { get; }

    /// <summary>The model of Kraken's per-pair trading counters for this key.</summary>
    public TradingBudget Trading { get; }

    /// <summary>
    /// Waits until the counter the call is charged to (the REST call counter, or the pair's trading counter) can take
    /// it, if that wait ends before <paramref name="deadline"/>; otherwise refuses the call with RESOURCE_EXHAUSTED
    /// and the wait in RetryInfo. Nothing is sent in that case, so Kraken never sees a call it would refuse for rate.
    /// </summary>
    public async ValueTask WaitForBudgetAsync(KrakenEndpoint endpoint, KrakenParameters parameters, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        await WaitOutPauseAsync(endpoint, deadline, cancellationToken).ConfigureAwait(false);
        var (counter, points, what) = endpoint.Limiter switch
        {
            KrakenLimiter.RestCounter when endpoint.CounterCost > 0 =>
                (RestCounter, (double)endpoint.CounterCost, $"the REST call counter ({Limits.RestCounterMax} at -{Limits.RestCounterDecayPerSecond}/s)"),
            KrakenLimiter.TradingEngine when Trading.ChargeFor(endpoint, parameters) is { } charge =>
                (Trading.CounterFor(charge.Pair), charge.Points, $"the trading counter of {charge.Pair} ({Limits.TradingCounterMax} at -{Limits.TradingCounterDecayPerSecond}/s)"),
            _ => (null, 0, string.Empty),
        };
        if (counter is null)
        {
            return;
        }

        var patience = deadline is { } end ? end - _time.GetUtcNow() : TimeSpan.MaxValue;
        if (!counter.TryReserve(points, patience, out var wait))
        {
            throw new KrakenException(
                KrakenErrorTable.RateBudgetExhausted with { RetryAfter = wait },
                endpoint.Name,
                $"{endpoint.Name} would exceed {what} of account '{Account.Name}' before the call's deadline; it was not sent. Retry in {wait.TotalSeconds:0.0} s.");
        }
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Kraken told this key to stop until <paramref name="until"/>: a temporary lockout (every call is refused until
    /// then, as sending more would only prolong it) or a concurrency throttle (calls wait for it when their deadline
    /// allows). The later of two pauses wins.
    /// </summary>
    public void PauseUntil(DateTimeOffset until, KrakenErrorClass reason)
    {
        var pause = new LanePause(until, reason);
        LanePause? current;
        do
        {
            current = _pause;
            if (current is not null && current.Until >= until)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _pause, pause, current) != current);
    }

    private async ValueTask WaitOutPauseAsync(KrakenEndpoint endpoint, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        if (_pause is not { } pause)
        {
            return;
        }
        var now = _time.GetUtcNow();
        var remaining = pause.Until - now;
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }
        if (pause.Reason == KrakenErrorTable.TemporaryLockout)
        {
            throw new KrakenException(KrakenErrorTable.TemporaryLockout with { RetryAfter = remaining }, endpoint.Name,
                $"Kraken has locked out the API key of account '{Account.Name}' (EGeneral:Temporary lockout); the gateway sends nothing for it until {pause.Until:HH:mm:ss} UTC. {endpoint.Name} was not sent.");
        }
        if (deadline is { } end && now + remaining > end)
        {
            throw new KrakenException(pause.Reason with { RetryAfter = remaining }, endpoint.Name,
                $"Kraken throttles the API key of account '{Account.Name}' until {pause.Until:HH:mm:ss} UTC, after the call's deadline; {endpoint.Name} was not sent. Retry in {remaining.TotalSeconds:0.0} s.");
        }
        // Timers may fire a hair early and Kraken's clock is not ours: the same margin as the counters' waits keeps
        // the next request from landing just before the second Kraken named.
        await Task.Delay(remaining + DecayingCounter.Margin, _time, cancellationToken).ConfigureAwait(false);
    }

    private sealed record LanePause(DateTimeOffset Until, KrakenErrorClass Reason);

    /// <summary>Waits for this key's turn to sign and send; dispose the result once the answer has arrived.</summary>
    public async ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken)
    {
        var lease = await _sendSlots.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        return lease.IsAcquired ? lease : throw new InvalidOperationException("The send queue of an account lane refused a caller.");
    }

    public void Dispose() => _sendSlots.Dispose();
}
