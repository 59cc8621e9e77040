using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Kraken.Coordination;
using KrakenGrpc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KrakenGrpc.Tests.Coordination;

/// <summary>
/// Stream pollers shared by three replicas through one redis-server: one of them asks Kraken each interval and the
/// others' subscribers get the same answers. Counted at the emulator, which prices move every 100 ms.
/// </summary>
[NonParallelizable]
public class SharedPollerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private RedisServer _redis = null!;
    private KrakenEmulator _kraken = null!;
    private List<GatewayHost> _replicas = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _redis = await RedisServer.StartAsync();
        _kraken = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { PriceTickInterval = TimeSpan.FromMilliseconds(100) });
        _replicas = [];
        for (var i = 0; i < 3; i++)
        {
            _replicas.Add(await GatewayHost.StartAsync(_kraken.BaseAddress, $"--Coordination:Redis={_redis.ConnectionString}", $"--Streaming:PollInterval={Interval}"));
        }
    }

    [TearDown]
    public async Task StopAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
        await _kraken.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private int TickerRequests() => _kraken.Requests.For("/0/public/Ticker").Count;

    /// <summary>Twenty subscribers of the XBTUSD ticker on a replica, noting when each update arrives.</summary>
    private sealed class Subscribers : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _reading = [];

        public Subscribers(GatewayHost replica, int count = 20)
        {
            for (var i = 0; i < count; i++)
            {
                var call = replica.MarketData.StreamTicker(new StreamTickerRequest { Pair = { "XBTUSD" } }, cancellationToken: _stop.Token);
                var arrivals = new ConcurrentQueue<TimeSpan>();
                Arrivals.Add(arrivals);
                _reading.Add(Task.Run(async () =>
                {
                    using (call)
                    {
                        try
                        {
                            await foreach (var _ in call.ResponseStream.ReadAllAsync(_stop.Token))
                            {
                                arrivals.Enqueue(Clock.Elapsed);
                            }
                        }
                        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
                        {
                        }
                        catch (OperationCanceledException)
                        {
                        }
                    }
                }));
            }
        }

        public static Stopwatch Clock { get; } = Stopwatch.StartNew();

        public List<ConcurrentQueue<TimeSpan>> Arrivals { get; } = [];

        public bool AllUpdated => Arrivals.All(a => !a.IsEmpty);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_reading);
            _stop.Dispose();
        }
    }

    [Test]
    public async Task SixtySubscribersOnThreeReplicas_CostAboutOneUpstreamPollPerInterval()
    {
        var subscribers = _replicas.Select(replica => new Subscribers(replica)).ToList();
        await Eventually.TrueAsync(() => subscribers.All(s => s.AllUpdated), "every subscriber had its snapshot");

        var before = TickerRequests();
        var window = TimeSpan.FromSeconds(5);
        await Task.Delay(window);
        var polls = TickerRequests() - before;
        var updatesInWindow = subscribers.SelectMany(s => s.Arrivals).Min(a => a.Count);
        foreach (var group in subscribers)
        {
            await group.DisposeAsync();
        }

        TestContext.Out.WriteLine($"{polls} upstream Ticker requests in {window.TotalSeconds} s at one poll per {Interval.TotalMilliseconds} ms (3 replicas alone: ~{3 * window / Interval})");
        Assert.Multiple(() =>
        {
            // One per interval, give or take the window's edges and a poll that changed hands; three replicas polling
            // alone would make 30.
            Assert.That(polls, Is.InRange(window / Interval - 2, window / Interval + 3));
            Assert.That(updatesInWindow, Is.GreaterThanOrEqualTo(3), "a subscriber on a following replica saw the prices move");
        });
    }

    [Test]
    public async Task WhenThePollingReplicaDies_AnotherTakesOverWithinTwoIntervals_AndItsStreamsGoOn()
    {
        // The first replica with subscribers takes the poller; the others follow it.
        var leader = _replicas[0];
        var onLeader = new Subscribers(leader, count: 1);
        await Eventually.TrueAsync(() => onLeader.AllUpdated, "the first replica's subscriber had its snapshot");
        var survivors = _replicas.Skip(1).Select(replica => new Subscribers(replica, count: 5)).ToList();
        await Eventually.TrueAsync(() => survivors.All(s => s.AllUpdated), "the other replicas' subscribers had their snapshots");
        await Task.Delay(2 * Interval);

        // Dies: its connection to Redis goes first, so it neither renews nor gives back the lease.
        var died = Subscribers.Clock.Elapsed;
        leader.Services.GetRequiredService<RedisConnection>().Dispose();
        await onLeader.DisposeAsync();
        await leader.DisposeAsync();
        _replicas.Remove(leader);
        await Task.Delay(4 * Interval);

        var gaps = survivors.SelectMany(s => s.Arrivals).Select(arrivals =>
        {
            var times = arrivals.ToList();
            var last = times.Where(t => t <= died).DefaultIfEmpty(died).Max();
            var next = times.Where(t => t > died).DefaultIfEmpty(TimeSpan.MaxValue).Min();
            return next - last;
        }).ToList();
        foreach (var group in survivors)
        {
            await group.DisposeAsync();
        }

        TestContext.Out.WriteLine($"longest silence of a surviving stream across the handover: {gaps.Max().TotalMilliseconds:0} ms (interval {Interval.TotalMilliseconds} ms)");
        // Two intervals to take over, plus one for the price to move and the answer to travel on a loaded machine.
        Assert.That(gaps, Has.All.LessThan(3 * Interval));
    }

    [Test]
    public async Task WithRedisDown_EachReplicaPollsAlone_AndStreamsGoOn()
    {
        var subscribers = _replicas.Select(replica => new Subscribers(replica, count: 2)).ToList();
        await Eventually.TrueAsync(() => subscribers.All(s => s.AllUpdated), "every subscriber had its snapshot");

        await _redis.StopAsync();
        var stopped = Subscribers.Clock.Elapsed;
        var before = TickerRequests();
        await Task.Delay(8 * Interval);
        var polls = TickerRequests() - before;
        var updatedSince = subscribers.SelectMany(s => s.Arrivals).All(a => a.Any(t => t > stopped + 2 * Interval));
        foreach (var group in subscribers)
        {
            await group.DisposeAsync();
        }

        Assert.Multiple(() =>
        {
            Assert.That(updatedSince, Is.True, "a stream stalled while Redis was down");
            Assert.That(polls, Is.GreaterThan(8 + 4), "the replicas did not fall back to polling for themselves");
        });
    }
}
