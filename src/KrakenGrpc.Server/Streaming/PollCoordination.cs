using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using KrakenGrpc.Kraken.Coordination;
using StackExchange.Redis;

namespace KrakenGrpc.Server.Streaming;

/// <summary>What a poller does this round, as the replicas sharing its stream key decided.</summary>
internal enum PollRole
{
    /// <summary>Ask Kraken, and share the answer with the other replicas.</summary>
    Poll,

    /// <summary>Another replica asks Kraken for this key; take its answers instead.</summary>
    Follow,

    /// <summary>The replicas cannot agree (Redis is unreachable): ask Kraken for this replica alone.</summary>
    PollAlone,
}

/// <summary>
/// How the pollers of several replicas share a stream key so that it costs one upstream request per interval, however
/// many replicas have subscribers: one replica polls and publishes each answer, the others follow. Without
/// <c>Coordination:Redis</c> every poller polls.
/// </summary>
internal interface IPollCoordination
{
    IPollShare Join(StreamKey key, TimeSpan interval);
}

/// <summary>One poller's part in the sharing of its stream key; disposed when the poller stops.</summary>
internal interface IPollShare : IDisposable
{
    ValueTask<PollRole> RoleAsync(CancellationToken cancellationToken);

    /// <summary>Hands a polled <c>result</c> to the followers, exactly as Kraken wrote it.</summary>
    ValueTask ShareAsync(JsonElement result);

    /// <summary>The next <c>result</c> the polling replica shared, or null after <paramref name="patience"/> without one.</summary>
    ValueTask<JsonDocument?> FollowAsync(TimeSpan patience, CancellationToken cancellationToken);
}

/// <summary>One replica: every poller polls.</summary>
internal sealed class PollAlone : IPollCoordination, IPollShare
{
    public IPollShare Join(StreamKey key, TimeSpan interval) => this;

    public ValueTask<PollRole> RoleAsync(CancellationToken cancellationToken) => new(PollRole.Poll);

    public ValueTask ShareAsync(JsonElement result) => ValueTask.CompletedTask;

    public ValueTask<JsonDocument?> FollowAsync(TimeSpan patience, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A replica polling alone never follows.");

    public void Dispose()
    {
    }
}

/// <summary>
/// Pollers shared through Redis. Per stream key (hashed: a private stream's key names an account): <c>poller</c>, the
/// lease of the replica that polls, which it renews every round and which lapses after 1.5 intervals without one; and
/// the channel <c>stream:…</c> on which it publishes each answer. A follower that hears nothing for half an interval
/// asks for the lease again, so a replica that dies is replaced within two intervals and the streams of the others go
/// on. Redis unreachable: every replica polls alone, logs it once, and counts such polls (metric
/// <c>kraken_stream_polls_alone_total</c>).
/// </summary>
internal sealed partial class RedisPollCoordination(RedisConnection redis, ILogger<RedisPollCoordination> logger) : IPollCoordination
{
    private readonly RedisConnection _redis = redis;
    private readonly ILogger _logger = logger;

    private const string TakeLease = """
        -- KEYS: lease. ARGV: replica, ttl ms. Returns 1 when the replica holds the lease (taken or renewed), else 0.
        local holder = redis.call('GET', KEYS[1])
        if holder and holder ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """;

    private const string ReleaseLease = """
        -- KEYS: lease. ARGV: replica.
        if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
        return 1
        """;

    public IPollShare Join(StreamKey key, TimeSpan interval) => new Share(this, key, interval);

    private sealed class Share : IPollShare
    {
        private readonly RedisPollCoordination _owner;
        private readonly StreamKey _key;
        private readonly RedisKey _lease;
        private readonly RedisChannel _channel;
        private readonly long _leaseMs;
        private ChannelMessageQueue? _updates;
        private bool _alone;
        private bool _leading;

        public Share(RedisPollCoordination owner, StreamKey key, TimeSpan interval)
        {
            _owner = owner;
            _key = key;
            var scope = "stream:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())).AsSpan(0, 12));
            _lease = owner._redis.Key(scope, "poller");
            _channel = owner._redis.Channel(scope);
            _leaseMs = (long)(interval.TotalMilliseconds * 1.5);
        }

        private string Replica => _owner._redis.ReplicaId;

        public async ValueTask<PollRole> RoleAsync(CancellationToken cancellationToken)
        {
            try
            {
                // Subscribed before asking for the lease: a follower must not miss the answer of the round it follows.
                _updates ??= await (await _owner._redis.SubscriberAsync().ConfigureAwait(false)).SubscribeAsync(_channel).ConfigureAwait(false);
                var held = await _owner._redis.RunAsync(db => db.ScriptEvaluateAsync(TakeLease, [_lease], [Replica, _leaseMs]), "share a stream's poller").ConfigureAwait(false);
                if (_alone)
                {
                    _alone = false;
                    LogSharedAgain(_owner._logger, _key);
                }
                _leading = (long)held == 1;
                if (_leading)
                {
                    // A poller hears its own answers too: drop them, or they pile up for as long as it leads.
                    while (_updates.TryRead(out _))
                    {
                    }
                }
                return _leading ? PollRole.Poll : PollRole.Follow;
            }
            catch (Exception e) when (e is LaneCoordinationException or RedisException or RedisTimeoutException)
            {
                _leading = false;
                if (!_alone)
                {
                    _alone = true;
                    LogPollingAlone(_owner._logger, _key, e.Message);
                }
                return PollRole.PollAlone;
            }
        }

        public async ValueTask ShareAsync(JsonElement result)
        {
            if (!_leading)
            {
                return;
            }
            try
            {
                // The sender's name first, so that a poller skips its own answers when it follows later.
                await (await _owner._redis.SubscriberAsync().ConfigureAwait(false)).PublishAsync(_channel, Replica + "\n" + result.GetRawText()).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or RedisTimeoutException)
            {
                // The followers hear nothing this round and take the lease if it goes on: nothing is lost for good.
                LogShareLost(_owner._logger, _key, e);
            }
        }

        public async ValueTask<JsonDocument?> FollowAsync(TimeSpan patience, CancellationToken cancellationToken)
        {
            if (_updates is not { } updates)
            {
                return null;
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(patience);
            try
            {
                while (true)
                {
                    var message = (string?)(await updates.ReadAsync(wait.Token).ConfigureAwait(false)).Message ?? string.Empty;
                    var split = message.IndexOf('\n', StringComparison.Ordinal);
                    if (split > 0 && message.AsSpan(0, split).SequenceEqual(Replica))
                    {
                        continue;
                    }
                    return JsonDocument.Parse(message.AsMemory(split + 1));
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (ChannelClosedException)
            {
                _updates = null;
                return null;
            }
        }

        public void Dispose()
        {
            // Both best effort: a lapsed lease and a dropped connection clean up after themselves.
            _updates?.UnsubscribeAsync().ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            if (_leading)
            {
                // Let a replica that still has subscribers take over now rather than when the lease lapses.
                _owner._redis.RunAsync(db => db.ScriptEvaluateAsync(ReleaseLease, [_lease], [Replica]), "give a stream's poller back")
                    .ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            }
        }
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Poller {Key} polls for this replica alone: Redis (Coordination:Redis) cannot be reached to share it ({Problem})")]
    private static partial void LogPollingAlone(ILogger logger, StreamKey key, string problem);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Poller {Key} is shared through Redis again")]
    private static partial void LogSharedAgain(ILogger logger, StreamKey key);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Debug, Message = "Poller {Key} could not share an answer; the followers take over if it goes on")]
    private static partial void LogShareLost(ILogger logger, StreamKey key, Exception error);
}
