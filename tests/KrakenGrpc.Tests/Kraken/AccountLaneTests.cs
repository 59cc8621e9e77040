using KrakenGrpc.Kraken.Coordination;
using KrakenGrpc.Kraken.Lanes;
using Microsoft.Extensions.Time.Testing;

namespace KrakenGrpc.Tests.Kraken;

public class AccountLaneTests
{
    [Test]
    public void TwoAccountNamesWithOneApiKey_ShareOneLane_BecauseKrakenKeepsOneNoncePerKey()
    {
        var secret = Convert.ToBase64String(new byte[64]);
        var options = new KrakenGrpc.Kraken.Transport.KrakenOptions { ApiKey = "same-key", ApiSecret = secret };
        options.Accounts["alias"] = new KrakenGrpc.Kraken.Transport.KrakenAccountOptions { ApiKey = "same-key", ApiSecret = secret };
        options.Accounts["other"] = new KrakenGrpc.Kraken.Transport.KrakenAccountOptions { ApiKey = "other-key", ApiSecret = secret };
        var accounts = new KrakenGrpc.Kraken.Accounts.KrakenAccounts(Microsoft.Extensions.Options.Options.Create(options));
        using var lanes = new AccountLanes(new InProcessLaneCoordination(TimeProvider.System), TimeProvider.System);

        Assert.Multiple(() =>
        {
            Assert.That(lanes.For(accounts.Resolve("alias")), Is.SameAs(lanes.For(accounts.Resolve(null))));
            Assert.That(lanes.For(accounts.Resolve("other")), Is.Not.SameAs(lanes.For(accounts.Resolve(null))));
        });
    }

    [Test]
    public async Task Nonces_FromManyThreads_AreStrictlyIncreasingAndUnique()
    {
        var nonces = new NonceSequence(TimeProvider.System);
        var batches = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Enumerable.Range(0, 10_000).Select(_ => nonces.Next()).ToList())));

        Assert.Multiple(() =>
        {
            Assert.That(batches.SelectMany(b => b), Is.Unique);
            foreach (var batch in batches)
            {
                Assert.That(batch, Is.Ordered.Ascending);
            }
        });
    }

    [Test]
    public void Nonces_WhenTheClockStandsStill_StillRise()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var nonces = new NonceSequence(clock);

        var first = nonces.Next();
        var second = nonces.Next();

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(1_700_000_000_000_000_000L), "unix nanoseconds");
            Assert.That(second, Is.EqualTo(first + 1));
        });
    }

    [Test]
    public void Nonces_AfterARestart_ContinueAboveTheOldOnes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var before = new NonceSequence(clock).Next();
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.That(new NonceSequence(clock).Next(), Is.GreaterThan(before));
    }

    [Test]
    public void Counter_StarterBudget_TakesFifteenAtOnce_ThenAsksToWaitForTheDecay()
    {
        var clock = new FakeTimeProvider();
        var counter = new DecayingCounter(15, 0.33, clock);

        var fitted = Enumerable.Range(0, 15).Count(_ => counter.TryReserve(1, TimeSpan.Zero, out TimeSpan _));
        var sixteenth = counter.TryReserve(1, TimeSpan.Zero, out var wait);

        Assert.Multiple(() =>
        {
            Assert.That(fitted, Is.EqualTo(15));
            Assert.That(sixteenth, Is.False);
            Assert.That(wait.TotalSeconds, Is.EqualTo(1 / 0.33 + DecayingCounter.Margin.TotalSeconds).Within(0.001));
        });
    }

    [Test]
    public void Counter_ReservationsThatMustWait_QueueBehindEachOther()
    {
        var clock = new FakeTimeProvider();
        var counter = new DecayingCounter(15, 0.5, clock);
        counter.Add(15);

        counter.TryReserve(2, TimeSpan.MaxValue, out var first);
        counter.TryReserve(2, TimeSpan.MaxValue, out var second);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(TimeSpan.FromSeconds(4) + DecayingCounter.Margin));
            Assert.That(second, Is.EqualTo(TimeSpan.FromSeconds(8) + DecayingCounter.Margin));
        });
    }

    [Test]
    public void Counter_Decays_AtItsRate()
    {
        var clock = new FakeTimeProvider();
        var counter = new DecayingCounter(20, 2.34, clock);
        counter.Add(20);

        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.That(counter.Value, Is.EqualTo(20 - 5 * 2.34).Within(1e-9));
    }
}
