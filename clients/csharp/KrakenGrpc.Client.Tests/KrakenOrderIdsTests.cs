namespace KrakenGrpc.Client.Tests;

public class KrakenOrderIdsTests
{
    [Test]
    public void GenerateNewOrderID_Is32LowercaseHexCharacters_OfARandomVersion4Uuid()
    {
        var id = KrakenOrderIds.GenerateNewOrderID();

        Assert.Multiple(() =>
        {
            Assert.That(id, Does.Match("^[0-9a-f]{32}$"));
            Assert.That(Guid.ParseExact(id, "N").Version, Is.EqualTo(4));
        });
    }

    [Test]
    public void GenerateNewOrderID_NeverRepeats()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => KrakenOrderIds.GenerateNewOrderID()).ToList();

        Assert.That(ids, Is.Unique);
    }
}
