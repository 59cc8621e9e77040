using System.Diagnostics.Metrics;
using KrakenGrpc.Kraken.Telemetry;

namespace KrakenGrpc.Server.Streaming;

/// <summary>
/// The hub's metrics: open streams (each one is a subscriber of a poller) by endpoint and account, and running
/// pollers. Together they show the fan-out: many subscribers, few pollers, one upstream request per poller and interval.
/// </summary>
internal sealed class StreamingMetrics
{
    private readonly UpDownCounter<long> _subscribers;
    private readonly Counter<long> _pollsAlone;

    public StreamingMetrics(IMeterFactory meters, MarketDataHub hub)
    {
        var meter = meters.Create(KrakenTelemetry.Name);
        _subscribers = meter.CreateUpDownCounter<long>("kraken.stream.subscribers", "{stream}",
            "Open streams, each a subscriber of the poller of its stream key, by Kraken endpoint (and account for private streams).");
        meter.CreateObservableGauge("kraken.stream.pollers", () => hub.ActivePollers, "{poller}",
            "Running pollers: one per distinct stream key with subscribers, each asking Kraken once per interval.");
        _pollsAlone = meter.CreateCounter<long>("kraken.stream.polls_alone", "{poll}",
            "Polls a replica made for itself because Redis (Coordination:Redis) could not be reached to share them with the other replicas, by endpoint.");
    }

    /// <summary>Counts a poll made without the other replicas (Redis unreachable).</summary>
    public void PolledAlone(StreamKey key) => _pollsAlone.Add(1, new KeyValuePair<string, object?>("endpoint", key.Endpoint));

    /// <summary>Counts a stream of <paramref name="key"/> as open until the result is disposed.</summary>
    public IDisposable StreamOpened(StreamKey key)
    {
        // A public stream has no account label, which keeps its series apart from every account's.
        KeyValuePair<string, object?>[] labels = key.Account is null
            ? [new("endpoint", key.Endpoint)]
            : [new("endpoint", key.Endpoint), new("account", key.Account)];
        _subscribers.Add(1, labels);
        return new OpenStream(_subscribers, labels);
    }

    private sealed class OpenStream(UpDownCounter<long> subscribers, KeyValuePair<string, object?>[] labels) : IDisposable
    {
        public void Dispose() => subscribers.Add(-1, labels);
    }
}
