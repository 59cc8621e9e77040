using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Coordination;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Requests;

namespace KrakenGrpc.Kraken.Lanes;

/// <summary>
/// Everything one API key shares across all callers of the gateway (and, with Redis, across replicas): its nonces,
/// its rate counters, Kraken's pauses, and the order in which its signed requests leave. Kraken rejects a nonce lower
/// than one it has already seen, so requests are signed and sent one at a time (or
/// <see cref="KrakenAccount.MaxInFlight"/> for keys with a nonce window), in arrival order. Where that state lives is
/// the <see cref="ILaneState"/>'s business.
/// </summary>
public sealed class AccountLane : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ILaneState _state;

    public AccountLane(KrakenAccount account, ILaneState state, TimeProvider time)
    {
        _time = time;
        _state = state;
        Account = account;
        Limits = KrakenTierLimits.For(account.Tier);
        RestCounter = state.Counter("rest", Limits.RestCounterMax, Limits.RestCounterDecayPerSecond);
        Trading = new TradingBudget(Limits, pair => state.Counter("trade:" + pair, Limits.TradingCounterMax, Limits.TradingCounterDecayPerSecond), state.Orders, time);
    }

    public KrakenAccount Account { get; }

    public KrakenTierLimits Limits { get; }

    /// <summary>The model of Kraken's REST call counter for this key.</summary>
    public IRateCounter RestCounter { get; }

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
        var charge = endpoint.Limiter == KrakenLimiter.TradingEngine ? await Trading.ChargeForAsync(endpoint, parameters).ConfigureAwait(false) : null;
        var (counter, points, what) = endpoint.Limiter switch
        {
            KrakenLimiter.RestCounter when endpoint.CounterCost > 0 =>
                (RestCounter, (double)endpoint.CounterCost, $"the REST call counter ({Limits.RestCounterMax} at -{Limits.RestCounterDecayPerSecond}/s)"),
            KrakenLimiter.TradingEngine when charge is { } trade =>
                (Trading.CounterFor(trade.Pair), trade.Points, $"the trading counter of {trade.Pair} ({Limits.TradingCounterMax} at -{Limits.TradingCounterDecayPerSecond}/s)"),
            _ => (null, 0, string.Empty),
        };
        if (counter is null)
        {
            return;
        }

        var patience = deadline is { } end ? end - _time.GetUtcNow() : TimeSpan.MaxValue;
        var (booked, wait) = await counter.ReserveAsync(points, patience, cancellationToken).ConfigureAwait(false);
        if (!booked)
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
    public ValueTask PauseUntilAsync(DateTimeOffset until, LanePauseKind kind) => _state.PauseAsync(new LanePause(until, kind));

    private async ValueTask WaitOutPauseAsync(KrakenEndpoint endpoint, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        if (await _state.CurrentPauseAsync(cancellationToken).ConfigureAwait(false) is not { } pause)
        {
            return;
        }
        var now = _time.GetUtcNow();
        var remaining = pause.Until - now;
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }
        if (pause.Kind == LanePauseKind.Lockout)
        {
            throw new KrakenException(KrakenErrorTable.TemporaryLockout with { RetryAfter = remaining }, endpoint.Name,
                $"Kraken has locked out the API key of account '{Account.Name}' (EGeneral:Temporary lockout); the gateway sends nothing for it until {pause.Until:HH:mm:ss} UTC. {endpoint.Name} was not sent.");
        }
        if (deadline is { } end && now + remaining > end)
        {
            throw new KrakenException(KrakenErrorTable.Throttled with { RetryAfter = remaining }, endpoint.Name,
                $"Kraken throttles the API key of account '{Account.Name}' until {pause.Until:HH:mm:ss} UTC, after the call's deadline; {endpoint.Name} was not sent. Retry in {remaining.TotalSeconds:0.0} s.");
        }
        // Timers may fire a hair early and Kraken's clock is not ours: the same margin as the counters' waits keeps
        // the next request from landing just before the second Kraken named.
        await Task.Delay(remaining + DecayingCounter.Margin, _time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for this key's turn to sign and send; dispose the result once the answer has arrived.</summary>
    public ValueTask<ILaneTurn> EnterAsync(CancellationToken cancellationToken) => _state.EnterAsync(cancellationToken);

    public void Dispose() => _state.Dispose();
}
