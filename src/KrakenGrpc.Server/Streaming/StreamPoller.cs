using Grpc.Core;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Transport;
using KrakenGrpc.Server.Services;

namespace KrakenGrpc.Server.Streaming;

/// <summary>The hub's view of a poller, whatever its entries.</summary>
internal interface IStreamPoller
{
    StreamKey Key { get; }

    /// <summary>Ends every subscription (normally when <paramref name="failure"/> is null) and stops polling.</summary>
    void Close(Exception? failure);
}

/// <summary>
/// Asks Kraken for one stream key every interval and hands what changed to each subscriber's mailbox. It keeps the
/// newest entries (its window) so that a subscriber who joins later gets a snapshot at once, and Kraken's cursor so
/// that each poll of a cursor endpoint asks only for what is new. Transient failures pause it with a growing delay;
/// a permanent one retires it, ending every subscription with that failure.
/// </summary>
internal sealed partial class StreamPoller<TEntry, TResponse> : IStreamPoller, IDisposable
{
    private readonly StreamDefinition<TEntry, TResponse> _definition;
    private readonly MarketDataHub _hub;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();

    // Guarded by _gate: the subscribers, and what a new subscriber's snapshot is made of.
    private readonly List<Mailbox<TEntry>> _subscribers = [];
    private readonly OrderedDictionary<object, TEntry> _window = [];
    private StreamUpdate<TEntry>? _snapshot;
    private string _pair = string.Empty;
    private string _cursor = string.Empty;
    private bool _answered;
    private bool _closed;

    private Task _loop = Task.CompletedTask;
    private int _stopping;

    // The response of the update most recently turned into one. Every subscriber of a poll takes the same update, so
    // the message is built once instead of once per subscriber (10 000 dictionaries or copied trade lists per poll);
    // responses are only ever serialized, never changed, so writers may share one. Read and replaced without the lock:
    // at worst two subscribers build the same response.
    private SharedResponse? _shared;

    public StreamPoller(StreamDefinition<TEntry, TResponse> definition, MarketDataHub hub, TimeSpan interval)
    {
        _definition = definition;
        _hub = hub;
        _interval = interval;
    }

    public StreamKey Key => _definition.Key;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Adds a subscriber; it gets the current snapshot at once when the poller has had an answer.</summary>
    public Mailbox<TEntry> Join()
    {
        var mailbox = new Mailbox<TEntry>(_definition.Identity, _definition.BacklogLimit);
        lock (_gate)
        {
            if (_closed)
            {
                // Only a hub that is shutting down hands out a closed poller: the stream ends at once.
                mailbox.Close();
                return mailbox;
            }

            if (_answered)
            {
                _snapshot ??= new StreamUpdate<TEntry>(_pair, [.. _window.Values], _cursor, IsSnapshot: true);
                mailbox.Post(_snapshot);
            }
            _subscribers.Add(mailbox);
        }
        return mailbox;
    }

    /// <summary>
    /// The message a subscriber sends for <paramref name="update"/>: the one already built when another subscriber took
    /// the same update (a poll's changes, a snapshot), else a new one (a slow subscriber's merged backlog is its own).
    /// </summary>
    public TResponse ResponseOf(StreamUpdate<TEntry> update)
    {
        if (Volatile.Read(ref _shared) is { } shared && ReferenceEquals(shared.Update, update))
        {
            return shared.Response;
        }
        var response = _definition.ToResponse(update);
        Volatile.Write(ref _shared, new SharedResponse(update, response));
        return response;
    }

    /// <summary>Removes a subscriber and returns how many remain.</summary>
    public int Leave(Mailbox<TEntry> mailbox)
    {
        lock (_gate)
        {
            _subscribers.Remove(mailbox);
            return _subscribers.Count;
        }
    }

    public void Close(Exception? failure)
    {
        lock (_gate)
        {
            _closed = true;
            foreach (var mailbox in _subscribers)
            {
                mailbox.Close(failure is null ? null : ForOneSubscriber(failure));
            }
            _subscribers.Clear();
        }
        Stop();
    }

    /// <summary>Stops polling (an answer in flight is abandoned) and disposes the poller once its loop has ended.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 0)
        {
            _stop.Cancel();
            _loop.ContinueWith(static (_, poller) => ((IDisposable)poller!).Dispose(), this, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    // Only Stop calls this, after the loop ended: the token is the loop's until then.
    void IDisposable.Dispose() => _stop.Dispose();

    private async Task RunAsync(CancellationToken stop)
    {
        using var share = _hub.Polling.Join(Key, _interval);
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var started = _hub.Time.GetTimestamp();
            TimeSpan pause;
            try
            {
                var role = await share.RoleAsync(stop).ConfigureAwait(false);
                if (role == PollRole.Follow)
                {
                    // Another replica polls; its answers arrive here. Half an interval of silence and this one asks
                    // for the lease again, so a replica that died is replaced within two intervals.
                    using var shared = await share.FollowAsync(_interval / 2, stop).ConfigureAwait(false);
                    if (shared is not null)
                    {
                        Publish(KrakenCalls.Read(_definition.Endpoint, shared.RootElement, _definition.Read));
                    }
                    failures = 0;
                    continue;
                }
                if (role == PollRole.PollAlone)
                {
                    _hub.Metrics.PolledAlone(Key);
                }
                Publish(await PollAsync(share, stop).ConfigureAwait(false));
                failures = 0;
                pause = _interval - _hub.Time.GetElapsedTime(started);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsTransient(e))
            {
                failures++;
                var advised = (e as KrakenException)?.ErrorClass.RetryAfter;
                pause = PollBackoff.Delay(failures, _interval, advised, Random.Shared);
                LogTransientFailure(_hub.Logger, Key, (e as KrakenException)?.ErrorClass.Reason ?? e.GetType().Name, failures, pause);
            }
#pragma warning disable CA1031 // Any other failure is permanent: it must reach the subscribers, not kill the loop silently.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogPermanentFailure(_hub.Logger, Key, e.Message);
                _hub.Retire(this, e);
                return;
            }

            if (pause > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(pause, _hub.Time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // Kraken or the path to it is having a moment (down, busy, throttling, slow, garbled); asking again later will
    // likely work. Anything else (an unknown pair, a refused argument, a missing permission) fails the same way on
    // every poll. A cancellation that is not ours is a request that gave up waiting.
    private static bool IsTransient(Exception failure) => failure switch
    {
        KrakenException kraken => kraken.ErrorClass.Code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted or StatusCode.Internal,
        OperationCanceledException => true,
        _ => false,
    };

    private async Task<StreamPage<TEntry>> PollAsync(IPollShare share, CancellationToken stop)
    {
        var client = _hub.Services.GetRequiredService<KrakenClient>();
        var endpoint = _definition.Endpoint;
        var parameters = _definition.Parameters(_cursor);
        using var response = _definition.Account is { } account
            ? await client.SendPrivateAsync(endpoint, parameters, account, deadline: null, stop).ConfigureAwait(false)
            : await client.SendPublicAsync(endpoint, parameters, deadline: null, stop).ConfigureAwait(false);
        await share.ShareAsync(response.Result).ConfigureAwait(false);
        return KrakenCalls.Read(endpoint, response.Result, _definition.Read);
    }

    /// <summary>Takes an answer into the window and posts what changed to every subscriber.</summary>
    private void Publish(StreamPage<TEntry> page)
    {
        lock (_gate)
        {
            List<TEntry> changed = [];
            foreach (var entry in page.Entries)
            {
                var identity = _definition.Identity(entry);
                if (_window.TryGetValue(identity, out var known) && EqualityComparer<TEntry>.Default.Equals(known, entry))
                {
                    continue;
                }
                _window[identity] = entry;
                changed.Add(entry);
            }
            while (_window.Count > _definition.SnapshotLimit)
            {
                _window.RemoveAt(0);
            }

            _pair = page.Pair.Length > 0 ? page.Pair : _pair;
            _cursor = page.Cursor.Length > 0 ? page.Cursor : _cursor;
            var first = !_answered;
            _answered = true;

            // The first answer is every subscriber's snapshot, even when empty (a pair with no trades yet): it tells
            // the client the stream is live and gives it the cursor. After that, nothing changed means nothing to send.
            if (changed.Count == 0 && !first)
            {
                return;
            }

            _snapshot = null;
            var update = new StreamUpdate<TEntry>(_pair, changed, _cursor, IsSnapshot: first);
            foreach (var mailbox in _subscribers)
            {
                mailbox.Post(update);
            }
        }
    }

    // Each subscriber throws its own exception object (see KrakenException.ForAnotherCaller).
    private Exception ForOneSubscriber(Exception failure) => failure switch
    {
        KrakenException kraken => kraken.ForAnotherCaller(),
        _ => new InvalidOperationException($"The poller of {Key} failed: {failure.Message}", failure),
    };

    private sealed record SharedResponse(StreamUpdate<TEntry> Update, TResponse Response);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Poller {Key} failed transiently ({Reason}, {Failures} in a row); next poll in {Pause}")]
    private static partial void LogTransientFailure(ILogger logger, StreamKey key, string reason, int failures, TimeSpan pause);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Poller {Key} failed permanently, ending its streams: {Problem}")]
    private static partial void LogPermanentFailure(ILogger logger, StreamKey key, string problem);
}
