using System.Collections.Concurrent;

namespace KrakenGrpc.Emulator;

/// <summary>
/// What the emulator refused, per API key, for tests to read: invalid nonces and signatures, and refusals by the
/// REST call counter, the trading counter and the open-order cap. Thread-safe; counts run from start or the last
/// <see cref="Reset"/>.
/// </summary>
public sealed class EmulatorStatistics
{
    private readonly ConcurrentDictionary<string, Counters> _byKey = new(StringComparer.Ordinal);
    private long _invalidKeys;

    /// <summary>Private calls whose API-Key header named no account (EAPI:Invalid key).</summary>
    public long InvalidKeys => Interlocked.Read(ref _invalidKeys);

    /// <summary>The counts of one key; all zero for a key that never called.</summary>
    public KeyStatistics For(string apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        return _byKey.TryGetValue(apiKey, out var counters) ? counters.Snapshot() : new KeyStatistics(0, 0, 0, 0, 0, 0);
    }

    /// <summary>Sets every count back to zero.</summary>
    public void Reset()
    {
        _byKey.Clear();
        Interlocked.Exchange(ref _invalidKeys, 0);
    }

    internal void InvalidKey() => Interlocked.Increment(ref _invalidKeys);

    internal void Authenticated(string apiKey) => Interlocked.Increment(ref Of(apiKey).Calls);

    internal void InvalidNonce(string apiKey) => Interlocked.Increment(ref Of(apiKey).InvalidNonces);

    internal void InvalidSignature(string apiKey) => Interlocked.Increment(ref Of(apiKey).InvalidSignatures);

    internal void RestRateLimited(string apiKey) => Interlocked.Increment(ref Of(apiKey).RestRateLimited);

    internal void TradingRateLimited(string apiKey) => Interlocked.Increment(ref Of(apiKey).TradingRateLimited);

    internal void OrdersLimitExceeded(string apiKey) => Interlocked.Increment(ref Of(apiKey).OrdersLimitExceeded);

    private Counters Of(string apiKey) => _byKey.GetOrAdd(apiKey, _ => new Counters());

    private sealed class Counters
    {
#pragma warning disable CA1051 // Plain fields so Interlocked can update them in place.
        public long Calls;
        public long InvalidNonces;
        public long InvalidSignatures;
        public long RestRateLimited;
        public long TradingRateLimited;
        public long OrdersLimitExceeded;
#pragma warning restore CA1051

        public KeyStatistics Snapshot() => new(
            Interlocked.Read(ref Calls),
            Interlocked.Read(ref InvalidNonces),
            Interlocked.Read(ref InvalidSignatures),
            Interlocked.Read(ref RestRateLimited),
            Interlocked.Read(ref TradingRateLimited),
            Interlocked.Read(ref OrdersLimitExceeded));
    }
}

/// <summary>The counts of one API key.</summary>
/// <param name="AuthenticatedCalls">Private calls that passed key, signature and nonce checks.</param>
/// <param name="InvalidNonces">Calls answered EAPI:Invalid nonce.</param>
/// <param name="InvalidSignatures">Calls answered EAPI:Invalid signature.</param>
/// <param name="RestRateLimitRefusals">Calls answered EAPI:Rate limit exceeded (REST call counter).</param>
/// <param name="TradingRateLimitRefusals">Order calls answered EOrder:Rate limit exceeded (per-pair trading counter).</param>
/// <param name="OrdersLimitRefusals">Orders answered EOrder:Orders limit exceeded (open orders per pair).</param>
public sealed record KeyStatistics(
    long AuthenticatedCalls,
    long InvalidNonces,
    long InvalidSignatures,
    long RestRateLimitRefusals,
    long TradingRateLimitRefusals,
    long OrdersLimitRefusals);
