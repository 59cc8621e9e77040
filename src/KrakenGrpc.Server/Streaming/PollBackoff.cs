namespace KrakenGrpc.Server.Streaming;

/// <summary>How long a poller waits after consecutive failed polls before it asks Kraken again.</summary>
internal static class PollBackoff
{
    /// <summary>
    /// The longest wait (unless the poll interval itself is longer): a stream whose upstream is down notices within
    /// half a minute that it is back, and a waiting poller costs nothing meanwhile.
    /// </summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Doubles from twice the poll interval with each consecutive failure up to the ceiling, and picks a random point
    /// in the upper half ("equal jitter") so that the pollers hit by one outage do not all come back in step. Never
    /// shorter than the poll interval (a failure must not make polls more frequent), and Kraken's own advice (the
    /// error's <c>RetryInfo</c>) is respected up to the ceiling.
    /// </summary>
    /// <param name="failures">Consecutive failed polls, 1 for the first.</param>
    public static TimeSpan Delay(int failures, TimeSpan interval, TimeSpan? advised, Random random)
    {
        var ceiling = Max(interval, Ceiling);

        // 2^10 intervals of at least 100 ms already exceed the ceiling; a larger exponent could only overflow.
        var exponential = interval * Math.Pow(2, Math.Clamp(failures, 1, 10));
        var range = exponential < ceiling ? exponential : ceiling;
        var jittered = (range / 2) + (range / 2 * random.NextDouble());
        var delay = Max(Max(jittered, interval), advised ?? TimeSpan.Zero);
        return delay < ceiling ? delay : ceiling;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
