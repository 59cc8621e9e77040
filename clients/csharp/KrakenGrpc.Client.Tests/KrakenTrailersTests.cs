using Grpc.Core;

namespace KrakenGrpc.Client.Tests;

public class KrakenTrailersTests
{
    [Test]
    public void GetKrakenWarnings_ReturnsEveryWarningTrailer_InKrakensOrder()
    {
        var trailers = new Metadata
        {
            { KrakenHeaders.Warning, "WGeneral:Deprecated" },
            { "other", "x" },
            { KrakenHeaders.Warning, "WOrder:Something" },
        };

        Assert.That(trailers.GetKrakenWarnings(), Is.EqualTo(new[] { "WGeneral:Deprecated", "WOrder:Something" }));
    }

    [Test]
    public void GetKrakenWarnings_WithoutAny_IsEmpty()
    {
        Assert.That(new Metadata().GetKrakenWarnings(), Is.Empty);
    }

    [Test]
    public void IsReconciled_IsTrueOnlyWhenTheGatewaySetTheTrailer()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new Metadata { { KrakenHeaders.Reconciled, "true" } }.IsReconciled(), Is.True);
            Assert.That(new Metadata().IsReconciled(), Is.False);
        });
    }
}
