using System.Text.Json;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Lanes;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Kraken.Transport;
using Microsoft.Extensions.Time.Testing;

namespace KrakenGrpc.Tests.Kraken;

/// <summary>The per-pair trading counter model against the worked example and table of protocol.md §8.2.</summary>
public class TradingBudgetTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private TradingBudget _budget = null!;

    [SetUp]
    public void Create() => _budget = new TradingBudget(KrakenTierLimits.For(KrakenTier.Starter), _clock);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private void Place(string txid, string pair = "XBTUSD", string? clientOrderId = null) =>
        _budget.Record(KrakenEndpoints.AddOrder, new KrakenParameters().Add("pair", pair).Add("cl_ord_id", clientOrderId), Json($$"""{"txid":["{{txid}}"]}"""));

    [Test]
    public void AddOrder_CostsOne_OnItsPair_AndBatchesCostHalfAPointPerOrder()
    {
        var single = _budget.ChargeFor(KrakenEndpoints.AddOrder, new KrakenParameters().Add("pair", "XBT/USD"));
        var batch = _budget.ChargeFor(KrakenEndpoints.AddOrderBatch, new KrakenParameters().Add("pair", "XBTUSD")
            .Add("orders", Enumerable.Range(0, 5).Select(_ => new KrakenParameters().Add("volume", "1")).ToArray()));

        Assert.Multiple(() =>
        {
            Assert.That(single, Is.EqualTo(("XBT/USD", 1.0)));
            Assert.That(batch, Is.EqualTo(("XBTUSD", 2.5)));
        });
    }

    [Test]
    public void WorkedExampleOfTheDocs_AddAmendAfter7sCancel36sLater_Costs8()
    {
        var add = _budget.ChargeFor(KrakenEndpoints.AddOrder, new KrakenParameters().Add("pair", "XBTUSD"))!.Value.Points;
        Place("OAAAAA-AAAAA-AAAAAA");
        _clock.Advance(TimeSpan.FromSeconds(7));
        var amend = _budget.ChargeFor(KrakenEndpoints.AmendOrder, new KrakenParameters().Add("txid", "OAAAAA-AAAAA-AAAAAA"))!.Value.Points;
        _budget.Record(KrakenEndpoints.AmendOrder, new KrakenParameters().Add("txid", "OAAAAA-AAAAA-AAAAAA"), Json("""{"amend_id":"TX"}"""));
        _clock.Advance(TimeSpan.FromSeconds(36));
        var cancel = _budget.ChargeFor(KrakenEndpoints.CancelOrder, new KrakenParameters().Add("txid", "OAAAAA-AAAAA-AAAAAA"))!.Value.Points;

        Assert.That(add + amend + cancel, Is.EqualTo(8));
    }

    [TestCase(1, 8)]
    [TestCase(7, 6)]
    [TestCase(12, 5)]
    [TestCase(30, 4)]
    [TestCase(60, 2)]
    [TestCase(200, 1)]
    public void CancelOrder_CostsLessTheOlderTheOrder(int ageSeconds, double points)
    {
        Place("OBBBBB-BBBBB-BBBBBB", clientOrderId: "my-order-1");
        _clock.Advance(TimeSpan.FromSeconds(ageSeconds));

        var byTxid = _budget.ChargeFor(KrakenEndpoints.CancelOrder, new KrakenParameters().Add("txid", "OBBBBB-BBBBB-BBBBBB"));
        var byClientId = _budget.ChargeFor(KrakenEndpoints.CancelOrder, new KrakenParameters().Add("cl_ord_id", "my-order-1"));

        Assert.Multiple(() =>
        {
            Assert.That(byTxid!.Value.Points, Is.EqualTo(points));
            Assert.That(byClientId!.Value.Points, Is.EqualTo(points));
        });
    }

    [Test]
    public void CancelOrder_OfAnOrderOlderThan300s_IsFree_AndOfAnUnknownOrderCannotBePriced()
    {
        Place("OCCCCC-CCCCC-CCCCCC");
        _clock.Advance(TimeSpan.FromSeconds(301));

        Assert.Multiple(() =>
        {
            Assert.That(_budget.ChargeFor(KrakenEndpoints.CancelOrder, new KrakenParameters().Add("txid", "OCCCCC-CCCCC-CCCCCC"))!.Value.Points, Is.Zero);
            Assert.That(_budget.ChargeFor(KrakenEndpoints.CancelOrder, new KrakenParameters().Add("txid", "OUNKNO-WNNNN-NNNNNN")), Is.Null);
        });
    }

    [Test]
    public void ValidateOnly_IsNotCharged()
    {
        Assert.That(_budget.ChargeFor(KrakenEndpoints.AddOrder, new KrakenParameters().Add("pair", "XBTUSD").Add("validate", true)), Is.Null);
    }

    [Test]
    public void CancelAll_ChargesEveryKnownOrderOnItsPair_AndForgetsThem()
    {
        Place("ODDDDD-DDDDD-DDDDDD", "XBTUSD");
        Place("OEEEEE-EEEEE-EEEEEE", "ETHUSD");

        _budget.Record(KrakenEndpoints.CancelAll, new KrakenParameters(), Json("""{"count":2}"""));

        Assert.Multiple(() =>
        {
            Assert.That(_budget.CounterFor("XBTUSD").Value, Is.EqualTo(8));
            Assert.That(_budget.CounterFor("ETHUSD").Value, Is.EqualTo(8));
            Assert.That(_budget.ChargeFor(KrakenEndpoints.CancelOrder, new KrakenParameters().Add("txid", "ODDDDD-DDDDD-DDDDDD")), Is.Null);
        });
    }

    [Test]
    public void OpenOrdersCap_IsSuspectedAtTheTiersLimit_AndClearedByKrakensOwnList()
    {
        for (var i = 0; i < 60; i++)
        {
            Place($"O{i:D5}-AAAAA-AAAAAA");
        }
        var order = new KrakenParameters().Add("pair", "XBTUSD");
        var suspectedBefore = _budget.MayExceedOpenOrders(KrakenEndpoints.AddOrder, order);

        // Kraken says only two of them are still open (the rest filled).
        _budget.ReplaceOpenOrders(Json("""{"open":{"O00001-AAAAA-AAAAAA":{"descr":{"pair":"XBTUSD"}},"O00002-AAAAA-AAAAAA":{"descr":{"pair":"XBTUSD"}}}}"""));

        Assert.Multiple(() =>
        {
            Assert.That(suspectedBefore, Is.True);
            Assert.That(_budget.OpenOrdersOn("XBTUSD"), Is.EqualTo(2));
            Assert.That(_budget.MayExceedOpenOrders(KrakenEndpoints.AddOrder, order), Is.False);
        });
    }

    [Test]
    public void BatchOrders_AreTrackedByTheClientIdsThatWereSent()
    {
        var sent = new KrakenParameters().Add("pair", "ETHUSD").Add("orders", new[]
        {
            new KrakenParameters().Add("cl_ord_id", "first"),
            new KrakenParameters().Add("cl_ord_id", "second"),
        });
        _budget.Record(KrakenEndpoints.AddOrderBatch, sent, Json("""{"orders":[{"txid":"O11111-11111-111111"},{"txid":"O22222-22222-222222"}]}"""));

        var charge = _budget.ChargeFor(KrakenEndpoints.CancelOrder, new KrakenParameters().Add("cl_ord_id", "second"));

        Assert.That(charge, Is.EqualTo(("ETHUSD", 8.0)));
    }
}
