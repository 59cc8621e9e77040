using System.Collections.Concurrent;
using KrakenGrpc.Kraken.Errors;

namespace KrakenGrpc.Server.Services;

/// <summary>
/// Identical public market-data calls (same endpoint, same encoded parameters) that arrive while one is in flight
/// share its upstream request and its mapped answer: 64 callers asking for the XBTUSD ticker at once cost Kraken one
/// request, and the gateway one parse and one mapping. The shared request runs on its own, bounded by the transport's
/// timeout, so one caller giving up does not fail the others; each caller waits with its own cancellation.
/// </summary>
internal sealed class PublicReadCoalescing
{
    private readonly ConcurrentDictionary<string, Task<object>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>The answer of the call in flight under <paramref name="key"/>, or of a new one started by <paramref name="send"/>.</summary>
    public async Task<T> ShareAsync<T>(string key, Func<Task<T>> send, CancellationToken cancellationToken)
        where T : class
    {
        Task<object>? started = null;
        var shared = _inFlight.GetOrAdd(key, _ => started = StartAsync(send));
        if (started is not null && started == shared)
        {
            // Later callers start a new request: an answer is shared only while it is being fetched, never cached.
            _ = started.ContinueWith(done => _inFlight.TryRemove(new KeyValuePair<string, Task<object>>(key, done)),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        try
        {
            return (T)await shared.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KrakenException failure)
        {
            throw failure.ForAnotherCaller();
        }
    }

    private static async Task<object> StartAsync<T>(Func<Task<T>> send)
        where T : class
    {
        // Leave the caller's synchronous context at once: the request belongs to every caller that joins it.
        await Task.Yield();
        return await send().ConfigureAwait(false);
    }
}
