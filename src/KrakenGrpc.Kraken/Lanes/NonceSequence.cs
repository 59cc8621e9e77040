namespace KrakenGrpc.Kraken.Lanes;

/// <summary>
/// Nonces for one API key: unix time in nanoseconds (the resolution Kraken recommends for bursts), never equal to or
/// below the previous one. Because they come from the wall clock, a restarted gateway continues above the nonces
/// it used before, as long as the clock has not been set back.
/// </summary>
public sealed class NonceSequence(TimeProvider time)
{
    private const long NanosecondsPerTick = 100;
    private long _last;

    /// <summary>The last nonce handed out (0 before the first).</summary>
    public long Last => Volatile.Read(ref _last);

    public long Next()
    {
        var now = (time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) * NanosecondsPerTick;
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
