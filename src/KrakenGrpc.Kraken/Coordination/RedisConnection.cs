using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KrakenGrpc.Kraken.Coordination;

/// <summary>
/// The one connection to Redis (<c>Coordination:Redis</c>) that every replica-shared piece uses: the lanes here, the
/// stream pollers in the server. It never waits for Redis: the gateway starts while Redis is down, and a command
/// issued while it is unreachable fails at once instead of queueing, so a private call fails closed immediately.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private readonly Task<ConnectionMultiplexer> _multiplexer;
    private readonly string _prefix;

    public RedisConnection(IOptions<CoordinationOptions> options)
    {
        var configuration = ConfigurationOptions.Parse(options.Value.Redis ?? throw new InvalidOperationException("Coordination:Redis is not set."));
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "krakengrpc";
        // Connecting starts now and is awaited by the first use: a synchronous connect on first use would block a
        // thread per waiting caller, and a burst of callers starves the thread pool the connection needs.
        _multiplexer = ConnectionMultiplexer.ConnectAsync(configuration);
        _prefix = options.Value.KeyPrefix;
    }

    /// <summary>Whether StackExchange.Redis can read <paramref name="connectionString"/>.</summary>
    public static bool IsValidConnectionString(string connectionString)
    {
        try
        {
            return ConfigurationOptions.Parse(connectionString).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A name unique to this process, for what it holds in Redis (turns, queue places, poller leases).</summary>
    public string ReplicaId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public async Task<ISubscriber> SubscriberAsync() => (await _multiplexer.ConfigureAwait(false)).GetSubscriber();

    /// <summary>
    /// A key of the gateway's: the prefix, a scope in braces (Redis Cluster keeps one scope's keys on one node, so a
    /// script may use them together) and a name.
    /// </summary>
    public RedisKey Key(string scope, string name) => $"{_prefix}:{{{scope}}}:{name}";

    /// <summary>A channel of the gateway's, under the same prefix.</summary>
    public RedisChannel Channel(string name) => RedisChannel.Literal($"{_prefix}:{name}");

    /// <summary>
    /// The scope of an API key's state: a hash of the key, never the key itself (Redis, its logs and its monitoring are
    /// not the place for credentials).
    /// </summary>
    public static string ScopeOf(string apiKey) =>
        "key:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)).AsSpan(0, 12));

    /// <summary>Runs a Redis operation; any failure to complete it becomes a <see cref="LaneCoordinationException"/>.</summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation, string purpose)
    {
        try
        {
            return await operation((await _multiplexer.ConfigureAwait(false)).GetDatabase()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            throw new LaneCoordinationException($"The gateway could not reach Redis (Coordination:Redis) to {purpose}: {e.GetType().Name}.", e);
        }
    }

    public void Dispose()
    {
        if (_multiplexer.IsCompletedSuccessfully)
        {
            _multiplexer.Result.Dispose();
        }
    }
}
