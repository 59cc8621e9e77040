using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Lanes;

namespace KrakenGrpc.Kraken.Coordination;

/// <summary>
/// The lanes' state in this process: right for one replica, and for several replicas that do not share API keys.
/// Turns come from a FIFO <see cref="ConcurrencyLimiter"/>, nonces from the wall clock (<see cref="NonceSequence"/>).
/// </summary>
public sealed class InProcessLaneCoordination(TimeProvider time) : ILaneCoordination
{
    public ILaneState Open(KrakenAccount account) => new State(account, time);

    private sealed class State(KrakenAccount account, TimeProvider time) : ILaneState
    {
        private readonly NonceSequence _nonces = new(time);
        private readonly ConcurrentDictionary<string, DecayingCounter> _counters = new(StringComparer.Ordinal);
        private readonly ConcurrencyLimiter _sendSlots = new(new ConcurrencyLimiterOptions
        {
            PermitLimit = account.MaxInFlight,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        private LanePause? _pause;

        public async ValueTask<ILaneTurn> EnterAsync(CancellationToken cancellationToken)
        {
            var lease = await _sendSlots.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            return lease.IsAcquired ? new Turn(lease, _nonces) : throw new InvalidOperationException("The send queue of an account lane refused a caller.");
        }

        public IOrderLedger Orders { get; } = new InProcessOrderLedger();

        public IRateCounter Counter(string name, double maximum, double decayPerSecond) =>
            _counters.GetOrAdd(name, static (_, state) => new DecayingCounter(state.maximum, state.decayPerSecond, state.time), (maximum, decayPerSecond, time));

        public ValueTask PauseAsync(LanePause pause)
        {
            LanePause.KeepLater(ref _pause, pause);
            return ValueTask.CompletedTask;
        }

        public ValueTask<LanePause?> CurrentPauseAsync(CancellationToken cancellationToken) => new(Volatile.Read(ref _pause));

        public void Dispose() => _sendSlots.Dispose();
    }

    private sealed class Turn(RateLimitLease lease, NonceSequence nonces) : ILaneTurn
    {
        public ValueTask<long> NextNonceAsync(CancellationToken cancellationToken) => new(nonces.Next());

        public ValueTask DisposeAsync()
        {
            lease.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
