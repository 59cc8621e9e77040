using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Errors;

namespace KrakenGrpc.Kraken.Coordination;

/// <summary>
/// Where the state an API key shares across every caller lives: in this process (one replica, the default), or in
/// Redis when several replicas sign for the same keys (<c>Coordination:Redis</c>). Kraken sees one key whichever
/// replica signs, so its turn to send, its nonces, its rate counters and its pauses must be one, too. Nothing above
/// <see cref="Lanes.AccountLane"/> knows which implementation is in use.
/// </summary>
public interface ILaneCoordination
{
    /// <summary>The shared state of <paramref name="account"/>'s API key.</summary>
    ILaneState Open(KrakenAccount account);
}

/// <summary>The state one API key shares. Failures to reach the shared store throw <see cref="LaneCoordinationException"/>.</summary>
public interface ILaneState : IDisposable
{
    /// <summary>
    /// Waits for the key's turn to sign and send: one request at a time across all replicas, in arrival order, or
    /// <see cref="KrakenAccount.MaxInFlight"/> for keys with a nonce window. Dispose the turn once the answer arrived.
    /// </summary>
    ValueTask<ILaneTurn> EnterAsync(CancellationToken cancellationToken);

    /// <summary>One of the key's rate counters by name (<c>rest</c>, <c>trade:XBTUSD</c>), created on first use.</summary>
    IRateCounter Counter(string name, double maximum, double decayPerSecond);

    /// <summary>The orders placed through the gateway for the key, by any replica.</summary>
    IOrderLedger Orders { get; }

    /// <summary>Holds every call of the key until <paramref name="pause"/>'s time; the later of two pauses wins.</summary>
    ValueTask PauseAsync(LanePause pause);

    /// <summary>The pause in force, if any (it may already have ended).</summary>
    ValueTask<LanePause?> CurrentPauseAsync(CancellationToken cancellationToken);
}

/// <summary>A key's turn to send, held from signing until the answer has arrived.</summary>
public interface ILaneTurn : IAsyncDisposable
{
    /// <summary>A nonce above every nonce used for the key so far, by any replica; taken inside the turn.</summary>
    ValueTask<long> NextNonceAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A model of one of Kraken's decaying rate counters (see <see cref="Lanes.DecayingCounter"/>), shared by whoever
/// spends from it.
/// </summary>
public interface IRateCounter
{
    double Maximum { get; }

    /// <summary>The counter's value when last seen (reservations included), for metrics.</summary>
    double Value { get; }

    /// <summary>
    /// Books <paramref name="cost"/> if the wait it needs is at most <paramref name="patience"/>; the wait is returned
    /// either way (zero when it fits now), so a refused caller can be told when to come back.
    /// </summary>
    ValueTask<CounterReservation> ReserveAsync(double cost, TimeSpan patience, CancellationToken cancellationToken);

    /// <summary>Adds a cost Kraken charged whether or not it fitted (a batch cancel is charged after the fact).</summary>
    ValueTask AddAsync(double cost);
}

/// <summary>
/// The orders the gateway placed for a key and when each was created or last changed: Kraken charges an amend or a
/// cancel more the younger the order, and caps open orders per pair. Found by txid or by client order id.
/// </summary>
public interface IOrderLedger
{
    ValueTask<TrackedOrder?> FindAsync(string id);

    /// <summary>Records an order (again, after a change), under its txid and its client order id.</summary>
    ValueTask TrackAsync(TrackedOrder order);

    /// <summary>Removes an order, found by either id, and returns it.</summary>
    ValueTask<TrackedOrder?> ForgetAsync(string id);

    ValueTask<IReadOnlyList<TrackedOrder>> AllAsync();

    /// <summary>Replaces every order known with <paramref name="orders"/> (Kraken's own list).</summary>
    ValueTask ReplaceAsync(IReadOnlyList<TrackedOrder> orders);
}

/// <summary>An order the gateway placed: its ids, its pair (upper case, no '/') and when it last changed.</summary>
public sealed record TrackedOrder(string Txid, string? ClientOrderId, string Pair, DateTimeOffset ChangedAt);

/// <summary>The outcome of <see cref="IRateCounter.ReserveAsync"/>: booked or not, and the wait it needs.</summary>
public readonly record struct CounterReservation(bool Booked, TimeSpan Wait);

/// <summary>Why Kraken told a key to stop.</summary>
public enum LanePauseKind
{
    /// <summary><c>EGeneral:Temporary lockout</c>: every call is refused until then, as sending more prolongs it.</summary>
    Lockout,

    /// <summary><c>EService:Throttled</c>: calls wait until then when their deadline allows.</summary>
    Throttle,
}

/// <summary>Kraken told a key to stop until <paramref name="Until"/>.</summary>
public sealed record LanePause(DateTimeOffset Until, LanePauseKind Kind)
{
    /// <summary>Stores <paramref name="pause"/> in <paramref name="slot"/> unless the pause already there lasts longer.</summary>
    internal static void KeepLater(ref LanePause? slot, LanePause pause)
    {
        LanePause? current;
        do
        {
            current = Volatile.Read(ref slot);
            if (current is not null && current.Until >= pause.Until)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref slot, pause, current) != current);
    }
}

/// <summary>The shared store of the lanes (Redis) could not be reached or refused an operation; nothing was sent.</summary>
public sealed class LaneCoordinationException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>
    /// The caller's failure: without the shared store the gateway cannot know the key's turn, its last nonce or its
    /// budget, so it fails closed rather than risk a nonce Kraken refuses or a budget it exceeds.
    /// </summary>
    public KrakenException Unsent(KrakenEndpoint endpoint) =>
        new(KrakenErrorTable.CoordinationUnavailable, endpoint.Name, $"{Message} {endpoint.Name} was not sent.", innerException: this);
}
