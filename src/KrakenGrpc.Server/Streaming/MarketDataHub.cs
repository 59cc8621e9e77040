using KrakenGrpc.Kraken.Accounts;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace KrakenGrpc.Server.Streaming;

/// <summary>
/// The fan-out hub of the streaming RPCs: one poller per stream key (endpoint, account, normalised parameters),
/// started by its first subscriber and stopped when its last one leaves, however many subscribers share it. Each
/// subscriber reads from its own <see cref="Mailbox{TEntry}"/>, so a slow client never slows the poller or the other
/// clients. The hub knows nothing of gRPC: a subscription ends by completing (the gateway is shutting down), by
/// throwing the poller's permanent failure, or by the subscriber's cancellation.
/// </summary>
internal sealed partial class MarketDataHub : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<StreamKey, IStreamPoller> _pollers = [];
    private readonly StreamingOptions _options;
    private readonly CancellationTokenRegistration _stopping;
    private bool _closed;

    public MarketDataHub(
        IServiceProvider services, IOptions<StreamingOptions> options, IPollCoordination polling, TimeProvider time, IHostApplicationLifetime lifetime, IMeterFactory meters, ILogger<MarketDataHub> logger)
    {
        Services = services;
        Polling = polling;
        Time = time;
        Logger = logger;
        _options = options.Value;
        Metrics = new StreamingMetrics(meters, this);

        // Streams never end by themselves: without this, shutting down would wait for every client to hang up.
        _stopping = lifetime.ApplicationStopping.Register(Close);
    }

    /// <summary>How many pollers are running (one per distinct stream key with subscribers).</summary>
    public int ActivePollers
    {
        get
        {
            lock (_gate)
            {
                return _pollers.Count;
            }
        }
    }

    internal IServiceProvider Services { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    /// <summary>How pollers share their stream keys with other replicas (or not).</summary>
    internal IPollCoordination Polling { get; }

    internal StreamingMetrics Metrics { get; }

    /// <summary>
    /// The updates of <paramref name="definition"/>'s stream for one subscriber: a snapshot first, then changes. Joins
    /// the poller of the definition's key (starting it when there is none) on the first read, and leaves it when the
    /// enumeration ends, whatever ends it.
    /// </summary>
    public async IAsyncEnumerable<TResponse> Subscribe<TEntry, TResponse>(
        StreamDefinition<TEntry, TResponse> definition, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (poller, mailbox) = Join(definition);
        using var open = Metrics.StreamOpened(definition.Key);
        try
        {
            while (await mailbox.TakeAsync(cancellationToken).ConfigureAwait(false) is { } update)
            {
                yield return poller.ResponseOf(update);
            }
        }
        finally
        {
            Leave(poller, mailbox);
        }
    }

    /// <summary>Called by a poller that failed permanently: it is replaced by a new one for the next subscriber.</summary>
    internal void Retire(IStreamPoller poller, Exception failure)
    {
        lock (_gate)
        {
            if (_pollers.TryGetValue(poller.Key, out var current) && current == poller)
            {
                _pollers.Remove(poller.Key);
            }
        }
        poller.Close(failure);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        Close();
    }

    private (StreamPoller<TEntry, TResponse> Poller, Mailbox<TEntry> Mailbox) Join<TEntry, TResponse>(StreamDefinition<TEntry, TResponse> definition)
    {
        lock (_gate)
        {
            StreamPoller<TEntry, TResponse> poller;
            if (_pollers.TryGetValue(definition.Key, out var existing))
            {
                // The key names the endpoint, and each endpoint has one kind of stream, so the types always match.
                poller = (StreamPoller<TEntry, TResponse>)existing;
            }
            else
            {
                poller = new StreamPoller<TEntry, TResponse>(definition, this, IntervalOf(definition));
                if (_closed)
                {
                    // Shutting down: the subscription ends at once instead of starting a poller.
                    poller.Close(failure: null);
                    return (poller, poller.Join());
                }
                _pollers.Add(definition.Key, poller);
                poller.Start();
                LogPollerStarted(Logger, definition.Key);
            }
            return (poller, poller.Join());
        }
    }

    private void Leave<TEntry, TResponse>(StreamPoller<TEntry, TResponse> poller, Mailbox<TEntry> mailbox)
    {
        lock (_gate)
        {
            // A retired poller is no longer in the map; a newer poller of the same key must not be stopped.
            if (poller.Leave(mailbox) > 0 || !_pollers.TryGetValue(poller.Key, out var current) || current != poller)
            {
                return;
            }
            _pollers.Remove(poller.Key);
        }
        poller.Stop();
        LogPollerStopped(Logger, poller.Key);
    }

    // Private streams spend their account's REST counter on every poll, so they never poll faster than the floor.
    private TimeSpan IntervalOf<TEntry, TResponse>(StreamDefinition<TEntry, TResponse> definition) =>
        definition.Account is not { } account
            ? _options.PollInterval
            : TimeSpan.FromTicks(Math.Max(_options.PollInterval.Ticks, _options.PrivatePollFloorFor(KrakenTierLimits.For(account.Tier)).Ticks));

    /// <summary>Ends every stream normally (the gateway is shutting down) and refuses new ones.</summary>
    private void Close()
    {
        IStreamPoller[] pollers;
        lock (_gate)
        {
            _closed = true;
            pollers = [.. _pollers.Values];
            _pollers.Clear();
        }
        foreach (var poller in pollers)
        {
            poller.Close(failure: null);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Poller {Key} started")]
    private static partial void LogPollerStarted(ILogger logger, StreamKey key);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Poller {Key} stopped: its last subscriber left")]
    private static partial void LogPollerStopped(ILogger logger, StreamKey key);
}
