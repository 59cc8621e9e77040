using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Coordination;
using KrakenGrpc.Kraken.Lanes;
using KrakenGrpc.Kraken.Transport;
using KrakenGrpc.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KrakenGrpc.Tests.Coordination;

/// <summary>
/// The lanes' Redis state, with each "replica" its own connection and coordination object, against a real
/// redis-server: what one replica does is seen by the others, as it is by Kraken.
/// </summary>
[NonParallelizable]
public class RedisLaneCoordinationTests
{
    private RedisServer _redis = null!;
    private readonly List<IDisposable> _replicas = [];

    [OneTimeSetUp]
    public async Task StartRedisAsync() => _redis = await RedisServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopRedisAsync() => await _redis.DisposeAsync();

    [TearDown]
    public void DisposeReplicas()
    {
        foreach (var replica in _replicas)
        {
            replica.Dispose();
        }
        _replicas.Clear();
    }

    // Each test its own key prefix: tests never see each other's keys in the shared server.
    private string _prefix = null!;

    [SetUp]
    public void NewPrefix() => _prefix = "test-" + Guid.NewGuid().ToString("N")[..8];

    private ILaneState Replica(KrakenAccount account, TimeProvider? time = null, TimeSpan? leaseTtl = null)
    {
        var options = Options.Create(new CoordinationOptions { Redis = _redis.ConnectionString, KeyPrefix = _prefix, LeaseTtl = leaseTtl ?? TimeSpan.FromSeconds(5) });
        var connection = new RedisConnection(options);
        _replicas.Add(connection);
        var state = new RedisLaneCoordination(connection, options, time ?? TimeProvider.System, NullLogger<RedisLaneCoordination>.Instance).Open(account);
        _replicas.Add(state);
        return state;
    }

    private static KrakenAccount Account(int maxInFlight = 1) => new("desk", "shared-key", new byte[64], KrakenTier.Pro, maxInFlight);

    [Test]
    public async Task ThreeReplicas_TakeTurnsOneAtATime_AndTheirNoncesRiseInTheOrderOfTheTurns()
    {
        var account = Account();
        var replicas = Enumerable.Range(0, 3).Select(_ => Replica(account)).ToList();
        var inside = 0;
        var mostInside = 0;
        var nonces = new List<long>();
        var gate = new Lock();

        await Task.WhenAll(replicas.SelectMany(replica => Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await using var turn = await replica.EnterAsync(CancellationToken.None);
            var now = Interlocked.Increment(ref inside);
            lock (gate)
            {
                mostInside = Math.Max(mostInside, now);
            }
            var nonce = await turn.NextNonceAsync(CancellationToken.None);
            lock (gate)
            {
                nonces.Add(nonce);
            }
            await Task.Delay(1);
            Interlocked.Decrement(ref inside);
        }))));

        Assert.Multiple(() =>
        {
            Assert.That(mostInside, Is.EqualTo(1), "two replicas held the key's turn at once");
            Assert.That(nonces, Has.Count.EqualTo(60));
            Assert.That(nonces, Is.Ordered.Ascending.And.Unique);
        });
    }

    [Test]
    public async Task AKeyWithANonceWindow_LetsAsManyTurnsInAtOnceAsItsMaxInFlight()
    {
        var account = Account(maxInFlight: 3);
        var replicas = Enumerable.Range(0, 2).Select(_ => Replica(account)).ToList();
        var inside = 0;
        var mostInside = 0;

        await Task.WhenAll(replicas.SelectMany(replica => Enumerable.Range(0, 15).Select(_ => Task.Run(async () =>
        {
            await using var turn = await replica.EnterAsync(CancellationToken.None);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref mostInside, now);
            await turn.NextNonceAsync(CancellationToken.None);
            await Task.Delay(20);
            Interlocked.Decrement(ref inside);
        }))));

        Assert.That(mostInside, Is.InRange(2, 3));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    [Test]
    public async Task AReplicaWhoseClockIsBehind_StillGetsANonceAboveEveryNonceUsed_ExactToTheNanosecond()
    {
        var account = Account();
        var ahead = Replica(account);
        var behind = Replica(account, new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1)));

        long first;
        await using (var turn = await ahead.EnterAsync(CancellationToken.None))
        {
            first = await turn.NextNonceAsync(CancellationToken.None);
        }
        await using var late = await behind.EnterAsync(CancellationToken.None);
        var second = await late.NextNonceAsync(CancellationToken.None);
        var third = await late.NextNonceAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            // Nanosecond nonces lie beyond what a double holds exactly: off by one would show as a rounding step.
            Assert.That(second, Is.EqualTo(first + 1));
            Assert.That(third, Is.EqualTo(first + 2));
        });
    }

    [Test]
    public async Task TheRestCounter_IsOneCounterForAllReplicas()
    {
        var account = Account();
        var limits = KrakenTierLimits.For(KrakenTier.Pro);
        var counters = Enumerable.Range(0, 2).Select(_ => Replica(account).Counter("rest", limits.RestCounterMax, limits.RestCounterDecayPerSecond)).ToList();

        var booked = 0;
        for (var i = 0; i < limits.RestCounterMax; i++)
        {
            booked += (await counters[i % 2].ReserveAsync(1, TimeSpan.Zero, CancellationToken.None)).Booked ? 1 : 0;
        }
        var beyond = await counters[1].ReserveAsync(1, TimeSpan.Zero, CancellationToken.None);
        var patient = await counters[0].ReserveAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(booked, Is.EqualTo((int)limits.RestCounterMax));
            Assert.That(beyond.Booked, Is.False);
            Assert.That(beyond.Wait.TotalSeconds, Is.EqualTo(1 / limits.RestCounterDecayPerSecond + DecayingCounter.Margin.TotalSeconds).Within(0.2));
            Assert.That(patient.Booked, Is.True, "a caller who can wait is booked behind the others");
            Assert.That(counters[0].Value, Is.EqualTo(limits.RestCounterMax + 1).Within(0.2));
        });
    }

    [Test]
    public async Task AReplicaThatDiesHoldingTheTurn_HoldsTheOthersUpOnlyUntilItsLeaseExpires()
    {
        var account = Account();
        var doomed = Replica(account, leaseTtl: TimeSpan.FromSeconds(1));
        var survivor = Replica(account, leaseTtl: TimeSpan.FromSeconds(1));
        var held = await doomed.EnterAsync(CancellationToken.None);
        // Its process is gone: no renewal, no release.
        foreach (var replica in _replicas.Take(2))
        {
            replica.Dispose();
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using var turn = await survivor.EnterAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        var nonce = await turn.NextNonceAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
            Assert.That(nonce, Is.Positive);
        });
        GC.KeepAlive(held);
    }

    [Test]
    public async Task AReplicaWhoseTurnExpired_IsRefusedANonce_RatherThanRaceTheNextHolder()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var account = Account();
        var stalled = Replica(account, clock, leaseTtl: TimeSpan.FromSeconds(1));
        var other = Replica(account, leaseTtl: TimeSpan.FromSeconds(1));
        // The fake clock never advances, so the stalled replica's renewal never runs: as if its process froze.
        await using var stale = await stalled.EnterAsync(CancellationToken.None);
        await using var fresh = await other.EnterAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        Assert.ThrowsAsync<LaneCoordinationException>(async () => await stale.NextNonceAsync(CancellationToken.None));
        Assert.That(await fresh.NextNonceAsync(CancellationToken.None), Is.Positive);
    }

    [Test]
    public async Task APauseLearntByOneReplica_HoldsTheOthers()
    {
        var account = Account();
        var learner = Replica(account);
        var other = Replica(account);
        var until = DateTimeOffset.UtcNow.AddMinutes(15);

        await learner.PauseAsync(new LanePause(until, LanePauseKind.Lockout));
        await learner.PauseAsync(new LanePause(until.AddMinutes(-10), LanePauseKind.Throttle));

        var seen = await other.CurrentPauseAsync(CancellationToken.None);
        Assert.That(seen, Is.EqualTo(new LanePause(DateTimeOffset.FromUnixTimeMilliseconds(until.ToUnixTimeMilliseconds()), LanePauseKind.Lockout)), "the later pause wins");
    }

    [Test]
    public async Task AnOrderPlacedThroughOneReplica_IsFoundByTheOthers_ByEitherId_UntilForgotten()
    {
        var account = Account();
        var placing = Replica(account).Orders;
        var cancelling = Replica(account).Orders;
        var changed = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var order = new TrackedOrder("OAAAAA-BBBBB-CCCCCC", "my|order", "XBTUSD", changed);

        await placing.TrackAsync(order);
        await placing.TrackAsync(new TrackedOrder("ODDDDD-EEEEE-FFFFFF", null, "ETHUSD", changed));
        var byTxid = await cancelling.FindAsync(order.Txid);
        var byClientId = await cancelling.FindAsync("my|order");
        var all = await cancelling.AllAsync();
        var forgotten = await cancelling.ForgetAsync("my|order");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(byTxid, Is.EqualTo(order));
            Assert.That(byClientId, Is.EqualTo(order));
            Assert.That(all.Select(o => o.Txid), Is.EquivalentTo(new[] { order.Txid, "ODDDDD-EEEEE-FFFFFF" }));
            Assert.That(forgotten, Is.EqualTo(order));
            Assert.That(await placing.FindAsync(order.Txid), Is.Null);
            Assert.That(await placing.FindAsync("my|order"), Is.Null);
        });

        await placing.ReplaceAsync([order]);
        Assert.That((await cancelling.AllAsync()).Select(o => o.Txid), Is.EqualTo(new[] { order.Txid }));
    }

    [Test]
    public async Task WithRedisDown_TurnsAndCountersFailAtOnce_AndWorkAgainWhenItReturns()
    {
        var account = Account();
        var replica = Replica(account);
        var counter = replica.Counter("rest", 20, 1);
        await using (var turn = await replica.EnterAsync(CancellationToken.None))
        {
            await turn.NextNonceAsync(CancellationToken.None);
        }

        await _redis.StopAsync();
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.ThrowsAsync<LaneCoordinationException>(async () => await replica.EnterAsync(CancellationToken.None));
            Assert.ThrowsAsync<LaneCoordinationException>(async () => await counter.ReserveAsync(1, TimeSpan.Zero, CancellationToken.None));
            Assert.ThrowsAsync<LaneCoordinationException>(async () => await replica.CurrentPauseAsync(CancellationToken.None));
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(6)), "a caller waited on an unreachable Redis");
        }
        finally
        {
            await _redis.RestartAsync();
        }

        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await using var turn = await replica.EnterAsync(CancellationToken.None);
                return await turn.NextNonceAsync(CancellationToken.None) > 0;
            }
            catch (LaneCoordinationException)
            {
                return false;
            }
        }, "the replica works again after Redis came back");
    }
}
