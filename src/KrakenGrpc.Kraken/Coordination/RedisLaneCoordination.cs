using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Lanes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KrakenGrpc.Kraken.Coordination;

/// <summary>
/// The lanes' state in Redis, shared by every replica that signs for the same API keys. Per key (scope
/// <see cref="RedisConnection.ScopeOf"/>):
/// <list type="bullet">
/// <item><c>turns</c>: who may send now, a sorted set of fencing tokens scored by their expiry (one member, or
/// <see cref="KrakenAccount.MaxInFlight"/> for a key with a nonce window); <c>fence</c> numbers the turns.</item>
/// <item><c>queue</c> / <c>seen</c>: replicas waiting for a turn, served in the order they started waiting, so a busy
/// replica cannot starve the others; a replica that stops asking for half a second loses its place.</item>
/// <item><c>nonce</c>: the highest nonce any replica has used for the key; a nonce is issued only to a live turn.</item>
/// <item><c>counter:rest</c>, <c>counter:trade:PAIR</c>: Kraken's decaying counters (value and time), updated by Lua
/// scripts on Redis's clock, so N replicas together book against one counter.</item>
/// <item><c>pause</c>: Kraken's lockout or throttle of the key and until when.</item>
/// <item><c>orders</c>: the orders placed through any replica and their ages (<see cref="RedisOrderLedger"/>).</item>
/// </list>
/// Every step is one atomic script. Within a replica, callers queue in arrival order before they ask Redis.
/// </summary>
public sealed partial class RedisLaneCoordination(RedisConnection redis, IOptions<CoordinationOptions> options, TimeProvider time, ILogger<RedisLaneCoordination> logger)
    : ILaneCoordination
{
    private readonly RedisConnection _redis = redis;
    private readonly IOptions<CoordinationOptions> _options = options;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;

    // How often a replica waiting for a key's turn asks again. Kraken answers in tens of milliseconds at best, so a
    // turn is rarely free sooner; asking is one small script.
    private static readonly TimeSpan AskAgain = TimeSpan.FromMilliseconds(2);

    public ILaneState Open(KrakenAccount account) => new State(this, account, RedisConnection.ScopeOf(account.ApiKey));

    private const string TakeTurn = """
        -- KEYS: turns, queue, seen, fence. ARGV: replica, slots, ttl ms. Returns a fencing token, or nil to wait.
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        for _, replica in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
          if tonumber(redis.call('HGET', KEYS[3], replica) or '0') < now - 500 then
            redis.call('ZREM', KEYS[2], replica)
            redis.call('HDEL', KEYS[3], replica)
          end
        end
        if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
          local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
          if head == nil or head == ARGV[1] then
            redis.call('ZREM', KEYS[2], ARGV[1])
            redis.call('HDEL', KEYS[3], ARGV[1])
            local token = redis.call('INCR', KEYS[4])
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), token)
            return token
          end
        end
        redis.call('ZADD', KEYS[2], 'NX', now, ARGV[1])
        redis.call('HSET', KEYS[3], ARGV[1], now)
        return false
        """;

    private const string LeaveQueue = """
        -- KEYS: queue, seen. ARGV: replica.
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        return 1
        """;

    private const string RenewTurn = """
        -- KEYS: turns. ARGV: token, ttl ms. Returns 1 while the turn is still held, 0 once it was lost.
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not expiry or tonumber(expiry) <= now then return 0 end
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
        return 1
        """;

    // Nonces are unix nanoseconds (~1.8e18), beyond the integers a Lua number (a double) holds exactly: they are
    // compared as decimal text (longer is larger), and raised with INCR, which Redis does on 64-bit integers.
    private const string IssueNonce = """
        -- KEYS: turns, nonce. ARGV: token, candidate (unix ns, decimal). Returns the nonce, or nil if the turn was lost.
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not expiry or tonumber(expiry) <= now then return false end
        local last = redis.call('GET', KEYS[2]) or '0'
        local candidate = ARGV[2]
        if #candidate > #last or (#candidate == #last and candidate > last) then
          redis.call('SET', KEYS[2], candidate)
          return candidate
        end
        redis.call('INCR', KEYS[2])
        return redis.call('GET', KEYS[2])
        """;

    private const string ChargeCounter = """
        -- KEYS: counter (hash: v = value, t = when, ms). ARGV: maximum, decay per second, cost, patience ms (-1: any),
        -- margin ms, '1' to book only within the patience or '0' to add regardless. Returns {booked, wait ms, value}.
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
        local decay = tonumber(ARGV[2])
        local value = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
        local since = tonumber(redis.call('HGET', KEYS[1], 't') or now)
        value = math.max(0, value - math.max(0, now - since) / 1000 * decay)
        local cost = tonumber(ARGV[3])
        local excess = value + cost - tonumber(ARGV[1])
        local wait = 0
        if excess > 0 then wait = excess / decay * 1000 + tonumber(ARGV[5]) end
        local patience = tonumber(ARGV[4])
        if ARGV[6] == '1' and patience >= 0 and wait > patience then
          return {0, tostring(wait), tostring(value)}
        end
        value = value + cost
        redis.call('HSET', KEYS[1], 'v', tostring(value), 't', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(value / decay * 1000) + 60000)
        return {1, tostring(wait), tostring(value)}
        """;

    private const string ExtendPause = """
        -- KEYS: pause. ARGV: kind, until (unix ms), ttl ms. The later pause wins.
        local current = redis.call('GET', KEYS[1])
        if current and tonumber(string.match(current, '|(%d+)$')) >= tonumber(ARGV[2]) then return 0 end
        redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
        return 1
        """;

    private sealed class State : ILaneState
    {
        private readonly RedisLaneCoordination _owner;
        private readonly KrakenAccount _account;
        private readonly RedisKey _turns, _queue, _seen, _fence, _nonce, _pause;
        private readonly string _scope;
        private readonly ConcurrentDictionary<string, SharedCounter> _counters = new(StringComparer.Ordinal);
        private readonly NonceSequence _clock;

        // This replica's callers take their places in arrival order before asking Redis.
        private readonly ConcurrencyLimiter _localSlots;

        // Kept here too: a pause learnt while Redis is unreachable still holds this replica's calls.
        private LanePause? _localPause;

        public State(RedisLaneCoordination owner, KrakenAccount account, string scope)
        {
            _owner = owner;
            _account = account;
            _scope = scope;
            var redis = owner._redis;
            (_turns, _queue, _seen, _fence, _nonce, _pause) =
                (redis.Key(scope, "turns"), redis.Key(scope, "queue"), redis.Key(scope, "seen"), redis.Key(scope, "fence"), redis.Key(scope, "nonce"), redis.Key(scope, "pause"));
            _clock = new NonceSequence(owner._time);
            Orders = new RedisOrderLedger(redis, redis.Key(scope, "orders"));
            _localSlots = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = account.MaxInFlight,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }

        private RedisConnection Redis => _owner._redis;

        public IOrderLedger Orders { get; }

        private TimeSpan LeaseTtl => _owner._options.Value.LeaseTtl;

        public async ValueTask<ILaneTurn> EnterAsync(CancellationToken cancellationToken)
        {
            var local = await _localSlots.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            try
            {
                while (true)
                {
                    var token = await Redis.RunAsync(db => db.ScriptEvaluateAsync(TakeTurn, [_turns, _queue, _seen, _fence],
                        [Redis.ReplicaId, _account.MaxInFlight, (long)LeaseTtl.TotalMilliseconds]), "take the API key's turn").ConfigureAwait(false);
                    if (!token.IsNull)
                    {
                        return new Turn(this, local, (long)token);
                    }
                    await Task.Delay(AskAgain, _owner._time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                local.Dispose();
                if (e is OperationCanceledException)
                {
                    // Give up the place in the queue now rather than hold the other replicas up for half a second.
                    await ForgetAsync(db => db.ScriptEvaluateAsync(LeaveQueue, [_queue, _seen], [Redis.ReplicaId]), "leave the key's queue").ConfigureAwait(false);
                }
                throw;
            }
        }

        public IRateCounter Counter(string name, double maximum, double decayPerSecond) =>
            _counters.GetOrAdd(name, static (name, state) => new SharedCounter(state.self, state.self.Redis.Key(state.self._scope, "counter:" + name), state.maximum, state.decayPerSecond),
                (self: this, maximum, decayPerSecond));

        public async ValueTask PauseAsync(LanePause pause)
        {
            LanePause.KeepLater(ref _localPause, pause);

            var until = pause.Until.ToUnixTimeMilliseconds();
            var ttl = Math.Max(1, until - _owner._time.GetUtcNow().ToUnixTimeMilliseconds());
            await ForgetAsync(db => db.ScriptEvaluateAsync(ExtendPause, [_pause], [pause.Kind.ToString(), until, ttl]), "share the key's pause").ConfigureAwait(false);
        }

        public async ValueTask<LanePause?> CurrentPauseAsync(CancellationToken cancellationToken)
        {
            var shared = await Redis.RunAsync(db => db.StringGetAsync(_pause), "read the API key's pause").ConfigureAwait(false);
            var local = Volatile.Read(ref _localPause);
            if (shared.IsNullOrEmpty || shared.ToString().Split('|') is not [var kind, var until]
                || !Enum.TryParse<LanePauseKind>(kind, out var parsedKind)
                || !long.TryParse(until, NumberStyles.None, CultureInfo.InvariantCulture, out var untilMs))
            {
                return local;
            }
            var pause = new LanePause(DateTimeOffset.FromUnixTimeMilliseconds(untilMs), parsedKind);
            return local is not null && local.Until >= pause.Until ? local : pause;
        }

        // For what may fail without harm: the state it would have written expires by itself or is kept here as well.
        private async Task ForgetAsync<T>(Func<IDatabase, Task<T>> operation, string purpose)
        {
            try
            {
                await Redis.RunAsync(operation, purpose).ConfigureAwait(false);
            }
            catch (LaneCoordinationException e)
            {
                LogRedisWriteLost(_owner._logger, e.Message);
            }
        }

        public void Dispose() => _localSlots.Dispose();

        private sealed class Turn : ILaneTurn
        {
            private readonly State _lane;
            private readonly RateLimitLease _local;
            private readonly long _token;
            private readonly CancellationTokenSource _held = new();
            private readonly Task _renewal;

            public Turn(State lane, RateLimitLease local, long token)
            {
                _lane = lane;
                _local = local;
                _token = token;
                _renewal = RenewWhileHeldAsync();
            }

            public async ValueTask<long> NextNonceAsync(CancellationToken cancellationToken)
            {
                var candidate = _lane._clock.Next();
                var nonce = await _lane.Redis.RunAsync(db => db.ScriptEvaluateAsync(IssueNonce, [_lane._turns, _lane._nonce], [_token, candidate]),
                    "take the API key's next nonce").ConfigureAwait(false);
                return nonce.IsNull
                    ? throw new LaneCoordinationException("This replica's turn for the API key expired in Redis before it could sign (Coordination:LeaseTtl); another replica may be sending.")
                    : long.Parse(nonce.ToString(), NumberStyles.None, CultureInfo.InvariantCulture);
            }

            // A request may take longer than the lease (a slow answer, a long timeout): the turn is renewed until
            // the answer arrives, so no other replica sends a higher nonce that could overtake this one.
            private async Task RenewWhileHeldAsync()
            {
                var ttl = _lane.LeaseTtl;
                try
                {
                    while (true)
                    {
                        await Task.Delay(ttl / 3, _lane._owner._time, _held.Token).ConfigureAwait(false);
                        var held = await _lane.Redis.RunAsync(db => db.ScriptEvaluateAsync(RenewTurn, [_lane._turns], [_token, (long)ttl.TotalMilliseconds]), "renew the key's turn").ConfigureAwait(false);
                        if ((long)held == 0)
                        {
                            LogTurnLost(_lane._owner._logger, _lane._account.Name);
                            return;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
                catch (LaneCoordinationException e)
                {
                    LogRedisWriteLost(_lane._owner._logger, e.Message);
                }
            }

            public async ValueTask DisposeAsync()
            {
                await _held.CancelAsync().ConfigureAwait(false);
                await _renewal.ConfigureAwait(false);
                _held.Dispose();
                // If Redis cannot hear it, the turn expires by itself (Coordination:LeaseTtl).
                await _lane.ForgetAsync(db => db.SortedSetRemoveAsync(_lane._turns, _token), "give the key's turn back").ConfigureAwait(false);
                _local.Dispose();
            }
        }

        private sealed class SharedCounter(State lane, RedisKey key, double maximum, double decayPerSecond) : IRateCounter
        {
            private double _value;

            public double Maximum => maximum;

            public double Value => Volatile.Read(ref _value);

            public async ValueTask<CounterReservation> ReserveAsync(double cost, TimeSpan patience, CancellationToken cancellationToken)
            {
                var patienceMs = patience == TimeSpan.MaxValue ? -1 : Math.Max(0, patience.TotalMilliseconds);
                var (booked, wait) = await ChargeAsync(cost, patienceMs, bookOnlyWithinPatience: true).ConfigureAwait(false);
                return new CounterReservation(booked, wait);
            }

            public async ValueTask AddAsync(double cost)
            {
                try
                {
                    await ChargeAsync(cost, -1, bookOnlyWithinPatience: false).ConfigureAwait(false);
                }
                catch (LaneCoordinationException e)
                {
                    // Kraken charged it already; missing it here only makes the shared model a little optimistic.
                    LogRedisWriteLost(lane._owner._logger, e.Message);
                }
            }

            private async Task<(bool Booked, TimeSpan Wait)> ChargeAsync(double cost, double patienceMs, bool bookOnlyWithinPatience)
            {
                var result = (RedisResult[])(await lane.Redis.RunAsync(db => db.ScriptEvaluateAsync(ChargeCounter, [key],
                [
                    maximum, decayPerSecond, cost, patienceMs, DecayingCounter.Margin.TotalMilliseconds, bookOnlyWithinPatience ? "1" : "0",
                ]), "book against the API key's rate counter").ConfigureAwait(false))!;
                Volatile.Write(ref _value, double.Parse(result[2].ToString(), CultureInfo.InvariantCulture));
                return ((long)result[0] == 1, TimeSpan.FromMilliseconds(double.Parse(result[1].ToString(), CultureInfo.InvariantCulture)));
            }
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "A write to Redis was lost, harmlessly (it expires by itself or is also kept locally): {Problem}")]
    private static partial void LogRedisWriteLost(ILogger logger, string problem);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "The turn of account {Account} expired in Redis while its request was in flight (Coordination:LeaseTtl too short, or Redis lost it)")]
    private static partial void LogTurnLost(ILogger logger, string account);
}
