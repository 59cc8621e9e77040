using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Transport;
using KrakenGrpc.Server.Streaming;

namespace KrakenGrpc.Tests.Streaming;

/// <summary>A private poller spends a point of its account's REST counter per poll: by default a third of what the tier regains.</summary>
public class PrivatePollFloorTests
{
    [TestCase(KrakenTier.Starter, 9.0, 9.2)]
    [TestCase(KrakenTier.Intermediate, 6.0, 6.0)]
    [TestCase(KrakenTier.Pro, 3.0, 3.0)]
    public void Unset_FollowsTheTier_SoOnePollerSpendsAThirdOfTheDecay(KrakenTier tier, double atLeastSeconds, double atMostSeconds)
    {
        var limits = KrakenTierLimits.For(tier);

        var floor = new StreamingOptions().PrivatePollFloorFor(limits);

        Assert.Multiple(() =>
        {
            Assert.That(floor.TotalSeconds, Is.InRange(atLeastSeconds, atMostSeconds));
            Assert.That(1 / floor.TotalSeconds, Is.LessThanOrEqualTo(limits.RestCounterDecayPerSecond / 3 + 1e-9), "one poller spends more than a third of the decay");
        });
    }

    [Test]
    public void Configured_IsUsedAsIs_WhateverTheTier()
    {
        var options = new StreamingOptions { PrivatePollFloor = TimeSpan.FromMilliseconds(500) };

        Assert.That(options.PrivatePollFloorFor(KrakenTierLimits.For(KrakenTier.Starter)), Is.EqualTo(TimeSpan.FromMilliseconds(500)));
    }
}
